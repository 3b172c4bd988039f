#!/usr/bin/env bash
# Builds content-db to carry around, into package/ (git-ignored):
#   package/content-db.html  the whole page in one file: double-click it, no server, no network
#                            (scripts/single-file.mjs packs the release page Trunk builds)
#   package/content-db       the release command-line tool for this machine
#
# usage: bash scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --build-only
# Trunk takes wasm-opt (binaryen 132, from npm) and wasm-bindgen from PATH; it never downloads.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --offline
node scripts/single-file.mjs dist package/content-db.html

cargo build --release --bin content-db
mkdir -p package
cp target/release/content-db package/content-db

echo
for file in package/content-db.html package/content-db; do
  printf '%s  %s bytes\n' "$PWD/$file" "$(wc -c < "$file" | tr -d " ")"
done
echo "Open package/content-db.html in a browser (double-click it) and drop a database on it."
