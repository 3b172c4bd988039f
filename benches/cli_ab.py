#!/usr/bin/env python3
"""A/B of content-db CLI builds on one database, alternating (issue 4, the "cli" way).

    python3 benches/cli_ab.py DB REPS NAME=BINARY[,VAR=VALUE...] ...

Each repetition copies DB once per build (the order rotates every repetition, so no build always
runs first) and runs the operations of benches/run.mjs's cli way on that copy, one process each:
`current`, `query` with integrity_check and a row count, `upgrade head`, `downgrade -1`,
`upgrade head`. Prints, per build and operation, the median wall time and, in brackets, the
median CPU time (user + system) of the process, which varies less on a busy machine.
VAR=VALUE pairs are set in that build's environment.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HEAD = '0a6c9e3f5b71'
OPS = [
    ('current', ['current']),
    ('overview', ['query', 'SELECT (SELECT group_concat(integrity_check) FROM pragma_integrity_check), '
                           '(SELECT count(*) FROM posts)']),
    ('upgrade', ['upgrade', 'head']),
    ('downgrade', ['downgrade', '-1']),
    ('back', ['upgrade', 'head']),
]


def main():
    db, reps, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    builds = []
    for spec in specs:
        name, rest = spec.split('=', 1)
        binary, *pairs = rest.split(',')
        env = dict(os.environ, **dict(pair.split('=', 1) for pair in pairs))
        builds.append((name, binary, env))
    work = os.path.join(os.path.dirname(os.path.abspath(db)), 'cli-ab')
    os.makedirs(work, exist_ok=True)
    wall = {name: {op: [] for op, _ in OPS} for name, _, _ in builds}
    cpu = {name: {op: [] for op, _ in OPS} for name, _, _ in builds}
    for rep in range(reps):
        turn = rep % len(builds)
        for name, binary, env in builds[turn:] + builds[:turn]:
            copy = os.path.join(work, 'ab.db')
            shutil.copyfile(db, copy)
            for op, args in OPS:
                before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
                run = subprocess.run([binary, '--db', copy, *args], env=env, capture_output=True, text=True)
                end, after = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
                if run.returncode:
                    sys.exit(f'{name} {op} failed: {run.stderr}')
                wall[name][op].append((end - start) * 1000)
                cpu[name][op].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
            current = subprocess.run([binary, '--db', copy, 'current'], capture_output=True, text=True).stdout
            if not current.startswith(HEAD):
                sys.exit(f'{name} ended at {current!r}')
            os.remove(copy)
    os.rmdir(work)
    load = open('/proc/loadavg').read().split()[:3]
    print(f'{os.path.basename(db)}, {reps} repetitions, median wall ms (median CPU ms); load {" ".join(load)}')
    print('| build | ' + ' | '.join(op for op, _ in OPS) + ' |')
    print('|---|' + '---|' * len(OPS))
    for name, _, _ in builds:
        cells = [f'{statistics.median(wall[name][op]):.0f} ({statistics.median(cpu[name][op]):.0f})' for op, _ in OPS]
        print(f'| {name} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
