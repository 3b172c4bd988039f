#!/usr/bin/env python3
"""Changes and checks for the schema-insight end-to-end test (insight.test.mjs), run with the
venv's Python on files real Alembic made (fixture.py make / make-unversioned).

usage:
  insight.py drift PATH       adds posts.foo TEXT and drops index ix_posts_status (schema drift)
  insight.py drop-version PATH
                              drops alembic_version (a file that was never stamped)
"""
import sqlite3
import sys


def run(path, sql):
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
        conn.commit()
    finally:
        conn.close()


def main(argv):
    if len(argv) == 2 and argv[0] == "drift":
        run(argv[1], "ALTER TABLE posts ADD COLUMN foo TEXT; DROP INDEX ix_posts_status;")
    elif len(argv) == 2 and argv[0] == "drop-version":
        run(argv[1], "DROP TABLE alembic_version;")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
