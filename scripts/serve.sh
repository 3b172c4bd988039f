#!/usr/bin/env bash
# Builds the release page and serves it on this machine only (127.0.0.1).
#
# usage: bash scripts/serve.sh          # http://127.0.0.1:8080/
#        PORT=9000 bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --build-only
# Trunk takes wasm-opt (binaryen 132, from npm) and wasm-bindgen from PATH; it never downloads.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --offline

PORT="${PORT:-8080}"
echo
echo "content-db is served at http://127.0.0.1:${PORT}/  (Ctrl+C to stop)"
exec python3 -m http.server --bind 127.0.0.1 "$PORT" --directory dist
