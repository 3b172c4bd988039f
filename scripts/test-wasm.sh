#!/usr/bin/env bash
# Tests the core compiled to WebAssembly, in headless Chromium (wasm-bindgen-test; options in
# webdriver.json). The web app's pure parts (protocol, worker session, reducer) are unit-tested
# natively by plain `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "== wasm32: tests/wasm_core.rs and tests/wasm_migrations.rs in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
  cargo test --target wasm32-unknown-unknown --no-default-features --test wasm_core --test wasm_migrations
