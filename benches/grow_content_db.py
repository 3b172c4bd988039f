"""Grows a ContentEngine database (from examples/gen_content_db) to a size no generator run
holds in memory, for benches/big_file.mjs: copies of its posts (new ids, the same users, the
same texts) are appended until the file is at least --size-mb MiB. Row counts of every table
are printed at the end, as JSON, for the benchmark to check the download against.

    python3 benches/grow_content_db.py --size-mb 4400 benches/out/content-big.db
"""

import argparse
import json
import os
import sqlite3

COLUMNS = (
    "content, platform, status, created_at, updated_at, posted_at, external_id, "
    "error_message, user_id, is_demo"
)


def grow(path: str, target: int) -> dict:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # a scratch file: nothing to roll back to
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    originals = conn.execute("SELECT max(id) FROM posts").fetchone()[0]
    while conn.execute("PRAGMA page_count").fetchone()[0] * page_size < target:
        conn.execute("BEGIN")
        conn.execute(
            f"INSERT INTO posts ({COLUMNS}) SELECT {COLUMNS} FROM posts WHERE id <= ? ORDER BY id",
            (originals,),
        )
        conn.execute("COMMIT")
        print(f"{os.path.getsize(path)} bytes", flush=True)
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, required=True)
    parser.add_argument("path")
    args = parser.parse_args()
    print(json.dumps(grow(args.path, args.size_mb << 20)))


if __name__ == "__main__":
    main()
