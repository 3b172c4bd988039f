//! Every value survives every export (issue 12): `dump` loaded by the `sqlite3` shell gives back
//! each value byte for byte (CR, LF, NUL and other control characters, text that is not UTF-8,
//! the largest and smallest integers, 1e308, -0.0, 5e-324, blobs, empty text apart from NULL) in
//! tables with odd names, which `sqlite3 .dump`'s own round trip does not; CSV and JSON carry the
//! same values in the encoding docs/EXPORTS.md documents.

use std::path::Path;
use std::process::{Command, Stdio};

use rusqlite::types::{Value, ValueRef};

use crate::common::*;

/// The odd table names the values are stored under.
const TABLES: [&str; 3] = ["we\"ird ta'ble;--", "select", "日本 [x]"];

/// The values every table holds, one per row.
fn values() -> Vec<Value> {
    vec![
        Value::Text("line1\nline2\r\nline3".into()),
        Value::Text("\r".into()),
        Value::Text("ends with CR\r".into()),
        Value::Text("\r\n\r\n".into()),
        Value::Text("a\0b".into()),
        Value::Text("\u{1}\u{2}\t\u{b}\u{c}\u{1b}\u{7f}".into()),
        Value::Text("'quoted' \"double\" ; -- not a comment".into()),
        Value::Text(".dump on a line of its own\n.quit\n".into()),
        Value::Text("Zoë ✓ 日本語 🎉".into()),
        Value::Text(String::new()),
        Value::Null,
        Value::Integer(i64::MAX),
        Value::Integer(i64::MIN),
        Value::Integer(0),
        Value::Real(1e308),
        Value::Real(-1e308),
        Value::Real(f64::MAX),
        Value::Real(-0.0),
        Value::Real(5e-324),
        Value::Real(2.2250738585072014e-308),
        Value::Real(0.1),
        Value::Real(1.0 / 3.0),
        Value::Real(1.0),
        Value::Real(f64::INFINITY),
        Value::Real(f64::NEG_INFINITY),
        Value::Blob(Vec::new()),
        Value::Blob(vec![0, 0xff, b'\r', b'\n', b'\'']),
    ]
}

/// Text whose bytes are not UTF-8, which only a cast can store.
const NOT_UTF8: [&str; 2] = ["CAST(X'ff00fe' AS TEXT)", "CAST(X'0d0ac3' AS TEXT)"];

/// A database with [`TABLES`], each holding [`values`] and [`NOT_UTF8`] in column `v` (no type,
/// so SQLite keeps every storage class as given), row ids in order.
fn exotic(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("create");
    for table in TABLES {
        let name = format!("\"{}\"", table.replace('"', "\"\""));
        conn.execute_batch(&format!("CREATE TABLE {name} (id INTEGER PRIMARY KEY, v)"))
            .expect("table");
        for value in values() {
            conn.execute(&format!("INSERT INTO {name} (v) VALUES (?1)"), [value])
                .expect("row");
        }
        for cast in NOT_UTF8 {
            conn.execute_batch(&format!("INSERT INTO {name} (v) VALUES ({cast})"))
                .expect("row");
        }
    }
}

/// Every value of every table: table, storage class and exact bytes (floats by their bits).
fn stored(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut out = Vec::new();
    for table in TABLES {
        let name = format!("\"{}\"", table.replace('"', "\"\""));
        let mut statement = conn
            .prepare(&format!("SELECT id, v FROM {name} ORDER BY id"))
            .expect("the table is there");
        let mut rows = statement.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            let id: i64 = row.get(0).expect("id");
            out.push(format!(
                "{table} {id} {}",
                describe(row.get_ref(1).expect("v"))
            ));
        }
    }
    out
}

/// A value's storage class and exact content.
fn describe(value: ValueRef) -> String {
    match value {
        ValueRef::Null => "null".to_string(),
        ValueRef::Integer(n) => format!("integer {n}"),
        ValueRef::Real(f) => format!("real {:016x} ({f:?})", f.to_bits()),
        ValueRef::Text(bytes) => format!("text {bytes:02x?}"),
        ValueRef::Blob(bytes) => format!("blob {bytes:02x?}"),
    }
}

/// Loads `sql` into a new database `db` with the `sqlite3` shell.
fn load_with_shell(db: &Path, sql: &[u8]) {
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sqlite3 shell (scripts/setup.sh installs it)");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), sql).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dump_round_trips_every_value_byte_for_byte_where_sqlite3_dump_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let original = dir.path().join("exotic.db");
    exotic(&original);
    let expected = stored(&original);
    assert_eq!(
        expected.len(),
        TABLES.len() * (values().len() + NOT_UTF8.len())
    );

    let ours = content_db()
        .arg("--db")
        .arg(&original)
        .arg("dump")
        .output()
        .expect("run content-db dump");
    assert!(ours.status.success());
    let loaded = dir.path().join("ours.db");
    load_with_shell(&loaded, &ours.stdout);
    assert_eq!(stored(&loaded), expected, "content-db dump | sqlite3");

    // The shell's own round trip, for comparison: what it loses, ours keeps.
    let theirs = Command::new("sqlite3")
        .arg(&original)
        .arg(".dump")
        .output()
        .expect("sqlite3 .dump");
    let shell_loaded = dir.path().join("theirs.db");
    load_with_shell(&shell_loaded, &theirs.stdout);
    let lost: Vec<String> = stored(&shell_loaded)
        .into_iter()
        .zip(&expected)
        .filter(|(got, want)| got != *want)
        .map(|(got, want)| format!("{want}  →  {got}"))
        .collect();
    eprintln!(
        "sqlite3 .dump | sqlite3 changed {} of {} values:\n{}",
        lost.len(),
        expected.len(),
        lost.join("\n")
    );
}

/// Runs `content-db export TABLE --format FORMAT` on `db`.
fn export(db: &Path, table: &str, format: &str) -> String {
    content_db_ok(db, &["export", table, "--format", format]).stdout
}

#[test]
fn csv_and_json_carry_every_value_in_the_documented_encoding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("exotic.db");
    exotic(&db);
    let table = TABLES[0];
    let mut expected: Vec<(Value, Option<&str>)> =
        values().into_iter().map(|value| (value, None)).collect();
    expected.push((Value::Null, Some("ff00fe")));
    expected.push((Value::Null, Some("0d0ac3")));

    // JSON: strings exactly, numbers exactly, blobs and non-UTF-8 text as hex objects.
    let json: serde_json::Value =
        serde_json::from_str(&export(&db, table, "json")).expect("valid JSON");
    let rows = json.as_array().expect("an array");
    assert_eq!(rows.len(), expected.len());
    for (row, (value, not_utf8)) in rows.iter().zip(&expected) {
        let got = &row["v"];
        match (value, not_utf8) {
            (_, Some(hex)) => assert_eq!(got, &serde_json::json!({ "text_hex": hex })),
            (Value::Null, None) => assert!(got.is_null()),
            (Value::Integer(n), _) => assert_eq!(got.as_i64(), Some(*n), "{got}"),
            (Value::Real(f), _) if f.is_infinite() => assert!(got.is_null(), "{got}"),
            (Value::Real(f), _) => {
                let back = got.as_f64().expect("a number");
                assert_eq!(back.to_bits(), f.to_bits(), "{f:?} came back as {got}");
            }
            (Value::Text(text), _) => assert_eq!(got.as_str(), Some(text.as_str())),
            (Value::Blob(bytes), _) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(got, &serde_json::json!({ "blob_hex": hex }));
            }
        }
    }

    // CSV, read back by Python's csv module: text exactly (CR, LF, NUL included), numbers in
    // their shortest exact form, blobs and non-UTF-8 text as \x hex; NULL an empty field and
    // empty text "" (told apart in the file itself).
    let csv = export(&db, table, "csv");
    let path = dir.path().join("t.csv");
    std::fs::write(&path, &csv).expect("write");
    let out = Command::new(python())
        .args([
            "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
        ])
        .arg(&path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).expect("rows");
    assert_eq!(parsed[0], ["id", "v"]);
    assert_eq!(parsed.len(), expected.len() + 1);
    for (row, (value, not_utf8)) in parsed[1..].iter().zip(&expected) {
        let field = row[1].as_str();
        match (value, not_utf8) {
            (_, Some(hex)) => assert_eq!(field, format!("\\x{hex}")),
            (Value::Null, None) => assert_eq!(field, ""),
            (Value::Integer(n), _) => assert_eq!(field, n.to_string()),
            (Value::Real(f), _) if f.is_infinite() => {
                assert_eq!(field, if *f > 0.0 { "Inf" } else { "-Inf" })
            }
            (Value::Real(f), _) => {
                let back: f64 = field.parse().expect("a float");
                assert_eq!(back.to_bits(), f.to_bits(), "{f:?} came back as {field}");
            }
            (Value::Text(text), _) => assert_eq!(field, text),
            (Value::Blob(bytes), _) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(field, format!("\\x{hex}"));
            }
        }
    }
    // NULL and empty text differ in the file: an empty field and "".
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines.contains(&"10,\"\""), "empty text is \"\"");
    assert!(lines.contains(&"11,"), "NULL is an empty field");
}
