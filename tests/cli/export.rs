//! Exports against a file made by real Alembic: `dump` round-trips through the `sqlite3` shell
//! (same schema, same rows, same storage classes, identical `sqlite3 .dump` of both), `export`
//! and `query` give CSV and JSON that parse back to the stored values, and `query` cannot write.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::*;
use crate::fixture::*;

/// A file at head with awkward values: NULLs, blobs, unicode, quotes, newlines, REAL values.
fn awkward() -> Fixture {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let conn = rusqlite::Connection::open(fixture.db()).expect("open");
    conn.execute_batch(
        "INSERT INTO users (id, linkedin_sub, name) VALUES (1, 'sub', 'Zoë \"Z\" O''Brien ✓');
         INSERT INTO posts (content, platform, user_id, error_message) VALUES
           ('line one
line two, with comma', 'li', 1, NULL),
           (X'00ff10', 'x', NULL, '');
         CREATE TABLE extra (a, b REAL, c BLOB, \"we\"\"ird col\" TEXT);
         INSERT INTO extra VALUES
           (0.1, 1.0, X'', 'tab	here'),
           (1e300, -2.5e-308, X'DEADBEEF', NULL),
           (1.0/3, 9e999, NULL, '日本語'),
           (-0.0, 123456789012.5, zeroblob(3), 'a' || char(0) || 'b'),
           (9223372036854775807, NULL, NULL, CAST(X'C3' AS TEXT));",
    )
    .expect("fill");
    fixture
}

/// `sqlite3 DB .dump`.
fn shell_dump(db: &Path) -> String {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(".dump")
        .output()
        .expect("the sqlite3 shell (scripts/setup.sh installs it)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every row of every table with each value's storage class and exact bytes / bits.
fn snapshot(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .map(|name| name.expect("name"))
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let sql = format!("SELECT * FROM \"{}\"", table.replace('"', "\"\""));
        let mut statement = conn.prepare(&sql).expect("prepare");
        let width = statement.column_count();
        let mut rows = statement.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            let mut line = format!("{table}:");
            for index in 0..width {
                use rusqlite::types::ValueRef;
                line.push_str(&match row.get_ref(index).expect("value") {
                    ValueRef::Null => "null|".to_string(),
                    ValueRef::Integer(n) => format!("int {n}|"),
                    ValueRef::Real(f) => format!("real {:x}|", f.to_bits()),
                    ValueRef::Text(b) => format!("text {b:?}|"),
                    ValueRef::Blob(b) => format!("blob {b:?}|"),
                });
            }
            out.push(line);
        }
    }
    out
}

#[test]
fn dump_round_trips_through_the_sqlite3_shell() {
    let fixture = awkward();
    let dump = content_db_ok(&fixture.db(), &["dump"]).stdout;
    assert!(dump.starts_with("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"));
    assert!(dump.contains("INSERT INTO \"alembic_version\" VALUES('0a6c9e3f5b71');"));
    let loaded = fixture.path("loaded.db");
    let mut child = Command::new("sqlite3")
        .arg(&loaded)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), dump.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(snapshot(&loaded), snapshot(&fixture.db()));
    assert_eq!(dump_schema(&loaded), dump_schema(&fixture.db()));
    assert_eq!(shell_dump(&loaded), shell_dump(&fixture.db()));
    assert!(snapshot(&loaded).len() > 8);
    // -o writes the same text to a file.
    let path = fixture.path("dump.sql");
    content_db_ok(
        &fixture.db(),
        &["dump", "-o", path.to_str().expect("utf-8")],
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), dump);
}

#[test]
fn export_and_query_parse_back_to_the_stored_values() {
    let fixture = awkward();
    let json = content_db_ok(&fixture.db(), &["export", "users", "--format", "json"]).stdout;
    let rows: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(rows[0]["name"], "Zoë \"Z\" O'Brien ✓");
    assert_eq!(rows[0]["email"], serde_json::Value::Null);
    let json = content_db_ok(&fixture.db(), &["export", "extra", "--format", "json"]).stdout;
    let rows: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(rows[0]["a"], serde_json::json!(0.1));
    assert_eq!(rows[1]["c"], serde_json::json!({"blob_hex": "deadbeef"}));
    assert_eq!(rows[2]["we\"ird col"], "日本語");

    // CSV, read back by Python's csv module.
    let csv = content_db_ok(&fixture.db(), &["export", "posts"]).stdout;
    let path = fixture.path("posts.csv");
    fs::write(&path, &csv).expect("write");
    let out = Command::new(python())
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))",
        ])
        .arg(&path)
        .output()
        .expect("python");
    let parsed: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).expect("rows");
    assert_eq!(parsed[0][..3], ["id", "content", "platform"]);
    assert_eq!(parsed[1][1], "line one\nline two, with comma");
    assert_eq!(parsed[2][1], "\\x00ff10");
    assert_eq!(parsed.len(), 3);

    let run = content_db_ok(
        &fixture.db(),
        &[
            "query",
            "SELECT platform, count(*) AS n FROM posts GROUP BY platform ORDER BY 1",
        ],
    );
    assert_eq!(run.stdout, "platform,n\r\nli,1\r\nx,1\r\n");
    let run = fails_unchanged(
        &fixture.db(),
        &["export", "nope"],
        &["no table or view named \"nope\""],
    );
    assert!(run.stderr.contains("posts"));
}

#[test]
fn query_refuses_to_write() {
    let fixture = awkward();
    for sql in [
        "DELETE FROM posts",
        "UPDATE users SET name = 'x'",
        "DROP TABLE extra",
        "INSERT INTO extra VALUES (1, 2, 3, 4)",
        "PRAGMA user_version = 3",
    ] {
        fails_unchanged(
            &fixture.db(),
            &["query", sql],
            &["only runs statements that read"],
        );
    }
    fails_unchanged(
        &fixture.db(),
        &["query", "SELECT 1; DELETE FROM posts"],
        &["exactly one statement"],
    );
}
