#!/usr/bin/env bash
# Benchmark of content-db on large ContentEngine databases (see BENCHMARKS.md): builds the
# release CLI, the generator and (unless dist/ exists and BENCH_BUILD is unset) the release
# page, generates the databases, then runs benches/run.mjs.
#   BENCH_SIZES="10 100 500"  sizes in MB (default: 10)
#   BENCH_REPS=3              repetitions per way (default: 3)
#   BENCH_SEED=1              generator seed
#   BENCH_WAYS="page cli sqlite3 sqljs alembic"  which ways to run (alembic: real Alembic's
#                             upgrade head, from the venv .venv on tests/contentengine)
#   BENCH_OUT=benches/out     where databases and results go (git-ignored)
#   BENCH_DIST=dist           the built page to measure
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-target}"
out="${BENCH_OUT:-benches/out}"
mkdir -p "$out"
cargo build --release --bin content-db --example gen_content_db
if [[ ! -f dist/index.html || -n "${BENCH_BUILD:-}" ]]; then
  trunk build --release --offline
fi
for size in ${BENCH_SIZES:-10}; do
  db="$out/content-${size}mb-seed${BENCH_SEED:-1}.db"
  [[ -f "$db" ]] || "$target/release/examples/gen_content_db" --size-mb "$size" --seed "${BENCH_SEED:-1}" -o "$db"
done
CONTENT_DB_BIN="$target/release/content-db" BENCH_OUT="$out" node benches/run.mjs
