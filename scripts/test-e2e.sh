#!/usr/bin/env bash
# End-to-end test of the page in Chromium (Playwright): builds the release page exactly as
# scripts/serve.sh does, packs it into package/content-db.html as scripts/package.sh
# does, then runs tests/e2e/ with node's built-in test runner. Screenshots go
# to tests/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

trunk build --release --offline
# The single-file page from the same build (tests/e2e/single-file.test.mjs opens it from disk).
node scripts/single-file.mjs dist package/content-db.html
node --test --test-concurrency=1 tests/e2e/
