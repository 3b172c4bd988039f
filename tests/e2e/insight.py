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
"""
import json
import sqlite3
import sys
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


def main(argv):
    if len(argv) == 2 and argv[0] == "drift":
        run(argv[1], "ALTER TABLE posts ADD COLUMN foo TEXT; DROP INDEX ix_posts_status;")
    elif len(argv) == 2 and argv[0] == "drop-version":
        run(argv[1], "DROP TABLE alembic_version;")
    elif len(argv) == 2 and argv[0] == "svg-tables":
        svg_tables(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
