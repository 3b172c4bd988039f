#!/usr/bin/env bash
# Issue 16's A/B: the user's whole job (open + upgrade head + download) in two built pages and
# real Alembic's `upgrade head`, alternating in one run, so the ratios share the machine's load.
#   bash benches/ab_job.sh DIST_A DIST_B   (env BENCH_SIZES="100 500", BENCH_REPS=2)
# Needs the benchmark files (bash benches/run.sh makes them) and the venv. Prints one line per
# run (the summary line of benches/run.mjs) and the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
a="$1" b="$2"
for size in ${BENCH_SIZES:-100 500}; do
  for rep in $(seq "${BENCH_REPS:-2}"); do
    for way in "A=$a" "B=$b" alembic; do
      if [[ "$way" == alembic ]]; then
        line=$(BENCH_SIZES="$size" BENCH_REPS=1 BENCH_WAYS=alembic node benches/run.mjs 2>&1 | grep -E '^\| alembic' || true)
      else
        line=$(BENCH_DIST="${way#*=}" BENCH_SIZES="$size" BENCH_REPS=1 BENCH_WAYS=page node benches/run.mjs 2>&1 \
          | grep -E '^\| page \||worker spans|wasm memory' | tr '\n' ' ' || true)
      fi
      echo "$size MB rep $rep ${way%%=*}: $line [load $(cut -d' ' -f1-3 /proc/loadavg)]"
    done
  done
done
