#!/usr/bin/env python3
"""Databases for the end-to-end test, made and checked with real Alembic (the oracle).

usage:
  fixture.py make PATH REVISION     real Alembic upgrades an empty PATH to REVISION, then sample
                                    rows are inserted; prints JSON: the revision, the head, and
                                    the log lines Alembic prints upgrading a copy to head
  fixture.py head                   prints the head revision id(s), as `alembic heads` does
  fixture.py make-unknown PATH      a database at head whose alembic_version names a revision
                                    that does not exist
  fixture.py make-big PATH N        real Alembic upgrades an empty PATH to head, then N posts are
                                    inserted (post 1 holds a <script>, post 2 an <img onerror>);
                                    prints JSON: the head and the first contents by id and content
  fixture.py make-wal PATH REVISION like make, then the file is switched to WAL mode
  fixture.py make-two-heads PATH    populated at the branchpoint, then both branches applied
                                    (two alembic_version rows)
  fixture.py make-bad PATH          populated at the branchpoint plus a trigger that refuses to
                                    record c3e7a1d9f482 in alembic_version, so that step fails;
                                    prints JSON: the alembic_version rows real Alembic leaves when
                                    it upgrades a copy to heads (it fails too)
  fixture.py make-unversioned PATH  ContentEngine's tables at head (by real Alembic), then
                                    alembic_version dropped: a file that was never stamped
  fixture.py alembic-state PATH     prints JSON: `alembic current` and the last line of
                                    `alembic check` for PATH
  fixture.py facts PATH             prints JSON: sqlite3 library version, page size, journal
                                    mode, integrity_check, foreign_key_check, row counts,
                                    alembic_version rows (Python's sqlite3 reading the file)
  fixture.py count PATH TABLE [COLUMN]
                                    rows of TABLE, or non-NULL values of TABLE.COLUMN
  fixture.py pad PATH MIB            adds a table `padding` of MIB zero blobs of 1 MiB each
  fixture.py same A B               exits non-zero unless A and B are byte for byte equal
  fixture.py compare BEFORE AFTER COMMAND TARGET
                                    real Alembic runs `COMMAND TARGET` (upgrade, downgrade or
                                    stamp) on a copy of BEFORE; AFTER must have the same schema,
                                    rows and alembic_version; prints `alembic current` of AFTER
  fixture.py check ORIGINAL DOWNLOADED
                                    DOWNLOADED must be ORIGINAL upgraded to head exactly as real
                                    Alembic does it: same schema (dump_schema.py --no-sql), same
                                    rows in every table, alembic_version = head; and Alembic must
                                    accept it (`current` prints "HEAD (head)", `check` passes)
  fixture.py make-overlap PATH      populated at b81d3e5f0a27 by real Alembic, upgraded to
                                    c3e7a1d9f482, then Python adds the b81d3e5f0a27 row back:
                                    two alembic_version rows, one the other's ancestor
  fixture.py make-base PATH         real Alembic upgrades PATH to head and downgrades it to base:
                                    an empty alembic_version and no other table
  fixture.py make-base-tables PATH  like make PATH head, then alembic_version emptied by Python
  fixture.py make-exotic PATH       populated at b81d3e5f0a27 by real Alembic, then Python adds a
                                    table with a 20,000-character name holding text with NULs,
                                    invalid UTF-8 and a 10 MB blob, and puts the same values in
                                    posts; prints JSON: the table name's length and SHA-256
                                    (also a table of every kind of value: CR, LF, NUL, control
                                    characters, i64 extremes, 1e308, -0.0, 5e-324, infinities,
                                    blobs, empty text and NULL)
  fixture.py check-exotic ORIGINAL DOWNLOADED
                                    every value make-exotic added is in DOWNLOADED with the same
                                    storage class and bytes, the odd table is there, and
                                    integrity_check is ok; prints JSON: the alembic_version rows

Paths come from the environment as in tests/common/mod.rs: CONTENTENGINE_DIR (default
tests/contentengine in the crate) and CONTENT_DB_VENV (default .venv in the crate).
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

CRATE = Path(__file__).resolve().parents[2]
CONTENTENGINE = Path(os.environ.get("CONTENTENGINE_DIR", CRATE / "tests/contentengine")).resolve()
VENV = Path(os.environ.get("CONTENT_DB_VENV", CRATE / ".venv"))
ALEMBIC = VENV / "bin" / "alembic"
PYTHON = VENV / "bin" / "python"

# Rows valid at b81d3e5f0a27 (users, sessions, posts and oauth_tokens before any rebuild).
# Two posts carry a 'demo-' external id: c3e7a1d9f482's data migration must flag them.
USERS = [
    (1, "li-ada", "ada@example.org", "Ada Lovelace", "2025-02-12 08:30:00"),
    (2, "li-jose", None, "José Müller-Łukasiewicz", "2025-02-14 11:02:45"),
    (3, "li-hanako", "hanako@example.jp", "山田 花子 🌸", "2025-02-20 17:45:10"),
]
SESSIONS = [
    ("0d4f6c2a-1b3e-4a5f-8c7d-9e0f1a2b3c4d", 1, "2025-03-01 19:04:12", "2025-03-31 19:04:12"),
    ("9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b", 3, "2025-02-28 07:15:00", "2025-03-30 07:15:00"),
]
POSTS = [
    (1, "Ünïcödé post 🚀 — “quoted”", "linkedin", "posted", "2025-02-15 09:05:00", "urn:li:share:1", None),
    (2, "Brouillon : « bientôt »", "linkedin", "draft", None, None, None),
    (3, "デモ投稿", "twitter", "posted", "2025-02-21 10:00:30", "demo-0001", None),
    (4, "Rate limited", "twitter", "failed", None, None, "429 Too Many Requests"),
    (5, "Seeded for a demo", "linkedin", "draft", None, "demo-0002", None),
    (6, "Long text ✍️ " + "lorem ipsum dolor sit amet, ünïcödé " * 600, "linkedin", "draft", None, None, None),
]
TOKENS = [
    (1, "linkedin", "access-1", "refresh-1", "2025-04-01 00:00:00"),
    (2, "twitter", "access-2", None, None),
]


def alembic(db, *args):
    """Runs real Alembic on ContentEngine's project against `db`; returns (stdout, stderr)."""
    done = subprocess.run(
        [str(ALEMBIC), "-x", f"db={db}", *args],
        cwd=CONTENTENGINE,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if done.returncode != 0:
        sys.exit(f"alembic {' '.join(args)} failed on {db}:\n{done.stdout}{done.stderr}")
    return done.stdout, done.stderr


def head():
    return alembic(os.devnull, "heads")[0].split()[0]


def running_lines(log):
    """Alembic's "Running upgrade ..." log lines (it logs to stderr) without the logger prefix."""
    return [line.split("] ", 1)[1] for line in log.splitlines() if "] Running " in line]


def make(path, revision):
    path = Path(path)
    path.unlink(missing_ok=True)
    alembic(path, "upgrade", revision)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO users (id, linkedin_sub, email, name, created_at) VALUES (?, ?, ?, ?, ?)", USERS
        )
        conn.executemany("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", SESSIONS)
        conn.executemany(
            "INSERT INTO posts (id, content, platform, status, posted_at, external_id, error_message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            POSTS,
        )
        conn.executemany(
            "INSERT INTO oauth_tokens (id, platform, access_token, refresh_token, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            TOKENS,
        )
    conn.close()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.db"
        shutil.copy(path, copy)
        log = running_lines(alembic(copy, "upgrade", "head")[1])
    _, versions = rows(path)
    print(json.dumps({"revision": " ".join(versions), "head": head(), "upgrade_log": log}))


def make_unknown(path):
    path = Path(path)
    path.unlink(missing_ok=True)
    alembic(path, "upgrade", "head")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'fedcba987654'")
    conn.close()


HOSTILE = ["<script>window.__pwned = 1</script>", '<img src=x onerror="window.__pwned = 2">']


def make_big(path, count):
    path = Path(path)
    path.unlink(missing_ok=True)
    alembic(path, "upgrade", "head")
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO posts (id, content, platform, status, external_id) VALUES (?, ?, ?, ?, ?)",
            (
                (
                    i,
                    HOSTILE[i - 1] if i <= len(HOSTILE) else f"post {i:06d} ✓",
                    ("linkedin", "twitter")[i % 2],
                    ("draft", "posted", "failed", "scheduled")[i % 4],
                    None if i % 3 == 0 else f"ext-{i}",
                )
                for i in range(1, count + 1)
            ),
        )
        by_content = [c for (c,) in conn.execute("SELECT content FROM posts ORDER BY content LIMIT 3")]
        by_id_desc = [i for (i,) in conn.execute("SELECT id FROM posts ORDER BY id DESC LIMIT 3")]
    conn.close()
    print(json.dumps({"head": head(), "count": count, "by_content": by_content, "by_id_desc": by_id_desc}))


def rows(path):
    """Every row of every table (but alembic_version), in primary-key order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'alembic_version' ORDER BY name")]
        return {
            table: [list(row) for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1')]
            for table in tables
        }, [v for (v,) in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()


def dump_schema(path):
    done = subprocess.run(
        [str(PYTHON), str(CONTENTENGINE / "dump_schema.py"), str(path), "--no-sql"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def check(original, downloaded):
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        expected = Path(scratch) / "by-alembic.db"
        shutil.copy(original, expected)
        alembic(expected, "upgrade", "head")
        want_rows, _ = rows(expected)
        want_schema = dump_schema(expected)
    got_rows, versions = rows(downloaded)
    head_id = head()
    if versions != [head_id]:
        failures.append(f"alembic_version is {versions}, expected [{head_id!r}]")
    if got_rows != want_rows:
        for table in sorted(set(want_rows) | set(got_rows)):
            if want_rows.get(table) != got_rows.get(table):
                failures.append(
                    f"rows of {table} differ from Alembic's upgrade:\n  alembic: {want_rows.get(table)}"
                    f"\n  page:    {got_rows.get(table)}")
    if dump_schema(downloaded) != want_schema:
        failures.append("the schema differs from the one real Alembic makes (dump_schema.py --no-sql)")
    original_rows, _ = rows(original)
    for table, table_rows in original_rows.items():
        if len(got_rows.get(table, [])) != len(table_rows):
            failures.append(f"{table} had {len(table_rows)} rows, the download has {len(got_rows.get(table, []))}")
    current = alembic(downloaded, "current")[0].strip()
    if current != f"{head_id} (head)":
        failures.append(f"alembic current printed {current!r}, expected {head_id + ' (head)'!r}")
    check_output = alembic(downloaded, "check")[0]  # a schema diff exits non-zero: fails us
    if failures:
        sys.exit("\n".join(failures))
    print(json.dumps({"head": head_id, "current": current, "check": check_output.strip().splitlines()[-1],
                      "rows": {table: len(r) for table, r in got_rows.items()}}))


def make_wal(path, revision):
    make(path, revision)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()  # the last connection checkpoints: one file whose header says WAL


def make_two_heads(path):
    quietly(make, path, "b81d3e5f0a27")
    alembic(path, "upgrade", "c3e7a1d9f482")
    alembic(path, "upgrade", "d5f0b2c8e614")
    print(json.dumps({"revision": " ".join(rows(path)[1])}))


def make_bad(path):
    quietly(make, path, "b81d3e5f0a27")
    conn = sqlite3.connect(path)
    for event in ("INSERT", "UPDATE"):
        conn.execute(
            f"CREATE TRIGGER frozen_{event.lower()} BEFORE {event} ON alembic_version"
            " WHEN NEW.version_num = 'c3e7a1d9f482'"
            " BEGIN SELECT RAISE(ABORT, 'frozen by the e2e test'); END")
    conn.commit()
    conn.close()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.db"
        shutil.copy(path, copy)
        done = subprocess.run([str(ALEMBIC), "-x", f"db={copy}", "upgrade", "heads"], cwd=CONTENTENGINE,
                              capture_output=True, text=True)
        if done.returncode == 0 or "frozen by the e2e test" not in done.stderr:
            sys.exit(f"real Alembic did not fail on the trigger:\n{done.stderr}")
        _, versions = rows(copy)
    print(json.dumps({"alembic_versions": versions}))


def make_unversioned(path):
    path = Path(path)
    path.unlink(missing_ok=True)
    alembic(path, "upgrade", "head")
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE alembic_version")
    conn.commit()
    conn.close()


def alembic_state(path):
    current = alembic(path, "current")[0].strip()
    check_output = alembic(path, "check")[0].strip().splitlines()[-1]
    print(json.dumps({"current": current, "check": check_output}))


def facts(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        result = {
            "sqlite_version": sqlite3.sqlite_version,
            "page_size": conn.execute("PRAGMA page_size").fetchone()[0],
            "integrity": [r for (r,) in conn.execute("PRAGMA integrity_check")],
            "foreign_keys": [list(r) for r in conn.execute("PRAGMA foreign_key_check")],
            "tables": {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables},
            "versions": [v for (v,) in conn.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables else None,
        }
    finally:
        conn.close()
    with open(path, "rb") as f:
        header = f.read(100)
    result["wal_header"] = header[18] == 2
    print(json.dumps(result))


def count(path, table, column=None):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        what = f'"{column}"' if column else "*"
        print(conn.execute(f'SELECT count({what}) FROM "{table}"').fetchone()[0])
    finally:
        conn.close()


def same(a, b):
    if Path(a).read_bytes() != Path(b).read_bytes():
        sys.exit(f"{a} and {b} differ ({Path(a).stat().st_size} vs {Path(b).stat().st_size} bytes)")
    print("same")


def compare(before, after, command, target):
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        expected = Path(scratch) / "by-alembic.db"
        shutil.copy(before, expected)
        alembic(expected, command, target)
        want_rows, want_versions = rows(expected)
        want_schema = dump_schema(expected)
    got_rows, got_versions = rows(after)
    if sorted(got_versions) != sorted(want_versions):
        failures.append(f"alembic_version is {got_versions}, Alembic made {want_versions}")
    if got_rows != want_rows:
        failures.append(f"rows differ from Alembic's {command} {target}")
    if dump_schema(after) != want_schema:
        failures.append(f"schema differs from Alembic's {command} {target}")
    if failures:
        sys.exit("\n".join(failures))
    print(alembic(after, "current")[0].strip())


def quietly(function, *args):
    """Runs `function` with its JSON output on stdout thrown away."""
    with open(os.devnull, "w") as quiet:
        stdout = sys.stdout
        sys.stdout = quiet
        try:
            function(*args)
        finally:
            sys.stdout = stdout


def make_overlap(path):
    quietly(make, path, "b81d3e5f0a27")
    alembic(path, "upgrade", "c3e7a1d9f482")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO alembic_version (version_num) VALUES ('b81d3e5f0a27')")
    conn.commit()
    conn.close()
    print(json.dumps({"versions": rows(path)[1]}))


def make_base(path):
    path = Path(path)
    path.unlink(missing_ok=True)
    alembic(path, "upgrade", "head")
    alembic(path, "downgrade", "base")


def make_base_tables(path):
    quietly(make, path, "head")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()


# A table name no one would type: quotes, brackets, `;`, `--`, non-ASCII, 20,000 characters.
EXOTIC_TABLE = ("odd \"name\" [x] `y`; -- ünï 表 " * 800)[:20_000]
# Text with NULs, text that is not UTF-8 (stored with CAST, as a C program could write it),
# and a 10 MB blob of pseudo-random bytes (seeded: the same on every run).
NUL_TEXT = "before\x00after\x00\x00end"
BAD_UTF8 = b"caf\xe9 \xff\xfe \xc3\x28 ok"
BLOB_SIZE = 10 * 1024 * 1024
VALUES_TABLE = 'values "odd" ;-- [x]'
EXACT_VALUES = [
    "line1\nline2\r\nline3", "\r", "ends with CR\r", "a\x00b", "\x01\x02\t\x0b\x0c\x1b\x7f",
    ".quit\n.dump\n", "", None, 9223372036854775807, -9223372036854775808, 0,
    1e308, -1e308, -0.0, 5e-324, 0.1, 1.0, float("inf"), float("-inf"),
    b"", b"\x00\xff\r\n'",
]


def exotic_blob():
    import random
    return random.Random(5).randbytes(BLOB_SIZE)


def make_exotic(path):
    quietly(make, path, "b81d3e5f0a27")
    quoted = '"' + EXOTIC_TABLE.replace('"', '""') + '"'
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE {quoted} (id INTEGER PRIMARY KEY, nul_text TEXT, bad_text TEXT, big BLOB)")
    conn.execute(f"INSERT INTO {quoted} VALUES (1, ?, CAST(? AS TEXT), ?)", (NUL_TEXT, BAD_UTF8, exotic_blob()))
    conn.execute(f"INSERT INTO {quoted} VALUES (2, NULL, '', x'')")
    # The same values in posts, which the migrations after b81d3e5f0a27 rebuild.
    conn.execute("UPDATE posts SET content = ? WHERE id = 1", (NUL_TEXT,))
    conn.execute("UPDATE posts SET content = CAST(? AS TEXT) WHERE id = 2", (BAD_UTF8,))
    conn.execute("UPDATE posts SET error_message = ? WHERE id = 3", (exotic_blob(),))
    # Every kind of value a dump must carry byte for byte (issue 12), under an odd name.
    values_quoted = '"' + VALUES_TABLE.replace('"', '""') + '"'
    conn.execute(f"CREATE TABLE {values_quoted} (id INTEGER PRIMARY KEY, v)")
    conn.executemany(f"INSERT INTO {values_quoted} (v) VALUES (?)", [(v,) for v in EXACT_VALUES])
    conn.execute(f"INSERT INTO {values_quoted} (v) VALUES (CAST(? AS TEXT))", (BAD_UTF8,))
    conn.commit()
    conn.close()
    import hashlib
    print(json.dumps({"name_length": len(EXOTIC_TABLE),
                      "name_sha256": hashlib.sha256(EXOTIC_TABLE.encode()).hexdigest()}))


def raw_values(path, sql):
    """Rows of `sql` as (storage class, hex of the bytes), so NULs and bad UTF-8 compare exactly."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def check_exotic(original, downloaded):
    quoted = '"' + EXOTIC_TABLE.replace('"', '""') + '"'
    failures = []
    queries = {
        "odd table": f"SELECT id, typeof(nul_text), hex(nul_text), typeof(bad_text), hex(bad_text),"
                     f" typeof(big), length(big), hex(substr(big, 1, 64)), hex(substr(big, -64)) FROM {quoted}"
                     " ORDER BY id",
        "posts": "SELECT id, typeof(content), hex(content), typeof(error_message), length(error_message),"
                 " hex(substr(error_message, 1, 64)), hex(substr(error_message, -64)) FROM posts"
                 " WHERE id IN (1, 2, 3) ORDER BY id",
    }
    for what, sql in queries.items():
        want, got = raw_values(original, sql), raw_values(downloaded, sql)
        if want != got:
            failures.append(f"{what} differs:\n  original:   {str(want)[:600]}\n  downloaded: {str(got)[:600]}")
    # Beyond the sampled ends: every byte of both blobs, in Python.
    blob = exotic_blob()
    for label, sql in (("odd table blob", f"SELECT CAST(big AS BLOB) FROM {quoted} WHERE id = 1"),
                       ("posts blob", "SELECT CAST(error_message AS BLOB) FROM posts WHERE id = 3")):
        value = raw_values(downloaded, sql)[0][0]
        if value != blob:
            failures.append(f"{label}: {len(value) if value is not None else None} bytes, not the 10 MB written")
    nul = raw_values(downloaded, f"SELECT nul_text, CAST(bad_text AS BLOB) FROM {quoted} WHERE id = 1")[0]
    if nul != (NUL_TEXT, BAD_UTF8):
        failures.append(f"odd table text values read back as {nul!r}")
    tables = [n for (n,) in raw_values(downloaded, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    if EXOTIC_TABLE not in tables:
        failures.append("the table with the 20,000-character name is gone")
    integrity = [r for (r,) in raw_values(downloaded, "PRAGMA integrity_check")]
    if integrity != ["ok"]:
        failures.append(f"integrity_check says {integrity}")
    if failures:
        sys.exit("\n".join(failures))
    versions = [v for (v,) in raw_values(downloaded, "SELECT version_num FROM alembic_version")]
    print(json.dumps({"versions": versions, "blob_bytes": len(blob), "tables": len(tables)}))


# Each command: its function and the numbers of arguments it takes (after the command name).
def pad(path, mib):
    """Adds a table `padding` of `mib` blobs of 1 MiB (zeros) to the database at `path`: a
    valid file larger than the page refused before issue 16, made in seconds."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("CREATE TABLE padding (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO padding (bytes) SELECT zeroblob(1048576) FROM n",
        (int(mib),),
    )
    conn.close()


COMMANDS = {
    "pad": (pad, (2,)),
    "head": (lambda: print(head()), (0,)),
    "make": (make, (2,)),
    "make-unknown": (make_unknown, (1,)),
    "make-big": (lambda path, rows: make_big(path, int(rows)), (2,)),
    "make-wal": (make_wal, (2,)),
    "make-two-heads": (make_two_heads, (1,)),
    "make-bad": (make_bad, (1,)),
    "make-unversioned": (make_unversioned, (1,)),
    "alembic-state": (alembic_state, (1,)),
    "facts": (facts, (1,)),
    "count": (count, (2, 3)),
    "same": (same, (2,)),
    "compare": (compare, (4,)),
    "check": (check, (2,)),
    "make-overlap": (make_overlap, (1,)),
    "make-base": (make_base, (1,)),
    "make-base-tables": (make_base_tables, (1,)),
    "make-exotic": (make_exotic, (1,)),
    "check-exotic": (check_exotic, (2,)),
}


def main(argv):
    command = COMMANDS.get(argv[0]) if argv else None
    if command is None or len(argv) - 1 not in command[1]:
        sys.exit(__doc__)
    command[0](*argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
