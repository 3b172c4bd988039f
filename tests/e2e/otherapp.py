#!/usr/bin/env python3
"""Databases of "another application" (tests/fixtures/otherapp, a notes app kept with Alembic),
made and checked with real Alembic, for other-migrations.test.mjs.

usage:
  otherapp.py make PATH REVISION    real Alembic upgrades an empty PATH to REVISION, then rows are
                                    added (notes whose body starts with "!" get pinned later)
  otherapp.py head                  prints the head revision id, as `alembic heads` does
  otherapp.py check ORIGINAL DOWNLOADED
                                    DOWNLOADED must be ORIGINAL upgraded to head exactly as real
                                    Alembic does it: same schema (dump_schema.py) and rows as a
                                    copy Alembic upgraded, the schema of a fresh database at head,
                                    `alembic current` says head, and `alembic upgrade head`
                                    changes nothing; prints JSON of what was compared
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PROJECT = os.path.join(ROOT, "tests", "fixtures", "otherapp")
DUMP_SCHEMA = os.path.join(ROOT, "tests", "contentengine", "dump_schema.py")


def alembic(db: str, *args: str) -> str:
    """Runs real Alembic on the project against `db` (its env.py reads `-x db=PATH`)."""
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", os.path.join(PROJECT, "alembic.ini"),
         "-x", f"db={os.path.abspath(db)}", *args],
        cwd=PROJECT, capture_output=True, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if done.returncode != 0:
        sys.exit(f"alembic {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def schema(db: str) -> dict:
    out = subprocess.run([sys.executable, DUMP_SCHEMA, db, "--no-sql"], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def rows(db: str) -> dict:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tables = [name for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    found = {table: [list(map(repr, row)) for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
             for table in tables}
    con.close()
    return found


def make(path: str, revision: str) -> None:
    alembic(path, "upgrade", revision)
    con = sqlite3.connect(path)
    con.executescript(
        """
        INSERT INTO notebooks (id, title) VALUES (1, 'Work'), (2, 'Home ✓');
        INSERT INTO notes (id, notebook_id, body, created) VALUES
          (1, 1, '!call the plumber', '2025-02-02 08:00:00.000000'),
          (2, 1, 'it''s fine'||char(13)||char(10)||'two lines', '2025-02-03 09:30:00.000000'),
          (3, 2, '!water the plants', '2025-02-04 18:45:00.123456');
        """
    )
    con.commit()
    con.close()


def head() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        out = alembic(os.path.join(scratch, "x.db"), "heads")
    return out.split()[0]


def check(original: str, downloaded: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        theirs = os.path.join(scratch, "alembic.db")
        shutil.copyfile(original, theirs)
        alembic(theirs, "upgrade", "head")
        fresh = os.path.join(scratch, "fresh.db")
        alembic(fresh, "upgrade", "head")
        assert schema(downloaded) == schema(theirs), "schema differs from Alembic's upgrade"
        assert schema(downloaded) == schema(fresh), "schema differs from a fresh database at head"
        assert rows(downloaded) == rows(theirs), (rows(downloaded), rows(theirs))
        current = alembic(downloaded, "current").strip().splitlines()[-1]
        assert current.startswith(f"{head()} (head)"), current
        again = os.path.join(scratch, "again.db")
        shutil.copyfile(downloaded, again)
        alembic(again, "upgrade", "head")
        assert schema(again) == schema(downloaded) and rows(again) == rows(downloaded), \
            "alembic upgrade head changed the downloaded file"
        con = sqlite3.connect(downloaded)
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = con.execute("PRAGMA foreign_key_check").fetchall()
        con.close()
        assert integrity == "ok" and foreign == [], (integrity, foreign)
        print(json.dumps({"current": current, "rows": rows(downloaded)}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"make": make, "head": lambda: print(head()), "check": check}[command](*args)
