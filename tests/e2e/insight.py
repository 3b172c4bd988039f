#!/usr/bin/env python3
"""Changes and checks for the schema-insight end-to-end test (insight.test.mjs), run with the
venv's Python on files real Alembic made (fixture.py make / make-unversioned).

usage:
  insight.py drift PATH       adds posts.foo TEXT and drops index ix_posts_status (schema drift)
  insight.py drop-version PATH
                              drops alembic_version (a file that was never stamped)
  insight.py svg-tables PATH  parses the SVG file with xml.etree (fails when it is not
                              well-formed) and prints JSON: the data-table of every table box
                              and the data-from/data-to of every foreign-key edge
  insight.py same-rows DB SQL FORMAT FILE
                              FILE (csv or json, as the page exported it) must hold exactly the
                              rows of SQL run on DB by Python's sqlite3, values and order
  insight.py dump-exact DB DUMP  the sqlite3 CLI loads DUMP into a new database, which must hold
                              every value of every table of DB with the same storage class and the
                              same bytes (float bits); prints JSON: how many values
  insight.py dump-roundtrip DB DUMP
                              the sqlite3 CLI loads DUMP into a new database, which must have the
                              same schema (sqlite_master) and the same rows, each value with the
                              same storage class, as DB; prints JSON: the row count per table
"""
import csv
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def run(path, sql):
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
        conn.commit()
    finally:
        conn.close()


def svg_tables(path):
    root = ET.parse(path).getroot()
    if root.tag != f"{SVG}svg":
        sys.exit(f"{path}: the root element is {root.tag}, not svg")
    tables = [g.get("data-table") for g in root.iter(f"{SVG}g") if g.get("class") == "table"]
    edges = [[p.get("data-from"), p.get("data-to")] for p in root.iter(f"{SVG}path") if p.get("class") == "fk"]
    print(json.dumps({"tables": tables, "edges": edges}))


def query(db, sql):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        cursor = conn.execute(sql)
        return [d[0] for d in cursor.description], [list(r) for r in cursor]
    finally:
        conn.close()


def same_rows(db, sql, fmt, path):
    columns, rows = query(db, sql)
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            got = list(csv.reader(f))
        want = [columns] + [["" if v is None else str(v) for v in row] for row in rows]
    else:
        with open(path, encoding="utf-8") as f:
            got = json.load(f)
        want = [dict(zip(columns, row)) for row in rows]
    if got != want:
        sys.exit(f"{path} differs from {sql!r} on {db}:\n  got  {got[:3]}\n  want {want[:3]}")
    print(len(rows))


def snapshot(db):
    """The schema and every row with each value's storage class."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        schema = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                        key=lambda r: (r[0], r[1]))
        tables = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        rows = {}
        for table in tables:
            columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")')]
            typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
            rows[table] = [list(r) for r in conn.execute(f'SELECT {typed} FROM "{table}" ORDER BY rowid')]
        return schema, rows
    finally:
        conn.close()


def load_dump(dump, loaded):
    """The sqlite3 shell loads DUMP into the new database LOADED (exits on any complaint)."""
    with open(dump, "rb") as f:
        done = subprocess.run(["sqlite3", "-bail", str(loaded)], stdin=f, capture_output=True)
    if done.returncode != 0 or done.stderr:
        sys.exit(f"sqlite3 could not load {dump}: {done.stderr.decode()}")


def dump_roundtrip(db, dump):
    with tempfile.TemporaryDirectory() as scratch:
        loaded = Path(scratch) / "loaded.db"
        load_dump(dump, loaded)
        want_schema, want_rows = snapshot(db)
        got_schema, got_rows = snapshot(loaded)
    if got_schema != want_schema:
        sys.exit(f"the schema differs:\n  got  {got_schema}\n  want {want_schema}")
    for table in sorted(set(want_rows) | set(got_rows)):
        if want_rows.get(table) != got_rows.get(table):
            sys.exit(f"the rows of {table} differ")
    print(json.dumps({table: len(r) for table, r in got_rows.items()}))


def exact_values(db):
    """Every value of every table as (table, rowid, column, storage class, exact content): bytes
    of text and blobs in hex, the bits of a float (so -0.0 is not 0.0)."""
    import struct
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.text_factory = bytes
    try:
        out = []
        tables = [n.decode() for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            columns = [c[1].decode() for c in conn.execute(f"PRAGMA table_info({quoted})")]
            for column in columns:
                col = '"' + column.replace('"', '""') + '"'
                for rowid, kind, value in conn.execute(f"SELECT rowid, typeof({col}), {col} FROM {quoted} ORDER BY rowid"):
                    exact = struct.pack(">d", value).hex() if isinstance(value, float) else \
                        value.hex() if isinstance(value, bytes) else repr(value)
                    out.append((table, rowid, column, kind.decode(), exact))
        return out
    finally:
        conn.close()


def dump_exact(db, dump):
    """DUMP loaded by the sqlite3 shell holds every value of DB byte for byte."""
    with tempfile.TemporaryDirectory() as scratch:
        loaded = Path(scratch) / "loaded.db"
        load_dump(dump, loaded)
        want, got = exact_values(db), exact_values(loaded)
    if want != got:
        differ = [(w, g) for w, g in zip(want, got) if w != g][:5]
        sys.exit(f"{len(want)} values, {len(got)} loaded; first differences: {differ}")
    print(json.dumps({"values": len(got)}))


def main(argv):
    if len(argv) == 2 and argv[0] == "drift":
        run(argv[1], "ALTER TABLE posts ADD COLUMN foo TEXT; DROP INDEX ix_posts_status;")
    elif len(argv) == 2 and argv[0] == "drop-version":
        run(argv[1], "DROP TABLE alembic_version;")
    elif len(argv) == 5 and argv[0] == "same-rows":
        same_rows(*argv[1:])
    elif len(argv) == 3 and argv[0] == "dump-roundtrip":
        dump_roundtrip(*argv[1:])
    elif len(argv) == 3 and argv[0] == "dump-exact":
        dump_exact(*argv[1:])
    elif len(argv) == 2 and argv[0] == "svg-tables":
        svg_tables(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
