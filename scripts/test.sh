#!/usr/bin/env bash
# Runs every test of content-db: formatting and lints, native unit and integration tests (CLI,
# differential tests against real Alembic), the core on wasm32 in headless Chromium, and the
# end-to-end tests of the built page. Installs what is missing first (scripts/setup.sh).
#
# usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
start=$(date +%s)

step "set-up (skipped where already present)"
bash scripts/setup.sh

step "the repository stands on its own: no tracked file reads the sibling shared folder"
# The pattern is built from pieces so that this script does not match it.
sibling="..""/shared"
if git grep -nF -e "$sibling" -e "/work""/shared" -- . ; then
  echo "these lines name a folder outside the repository (tests/contentengine/ has what they need)"
  exit 1
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native and wasm32) -D warnings"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --no-default-features --features web --lib --bins -- -D warnings

step "native tests: unit, CLI, differential against real Alembic"
cargo test

step "core on wasm32 in headless Chromium"
bash scripts/test-wasm.sh

step "end-to-end: the built page in Chromium"
bash scripts/test-e2e.sh

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - start ))"
