//! An application keeping one connection open and committing rows in a loop (as ContentEngine
//! does) while `upgrade head`, `downgrade -1` and `upgrade head` run on the same file: every row
//! it was told was committed is in the file afterwards, and its connection keeps working and sees
//! the new schema. In rollback-journal and in WAL mode.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::folder_of;
use crate::support::*;

/// The application: commits one `users` row per transaction until the stop file appears,
/// printing `ok N` after each commit; then reads the revision through the same connection and
/// commits one more row.
const APP: &str = r#"
import os, sqlite3, sys, time
db, stop = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, timeout=60, isolation_level=None)
n = 0
while not os.path.exists(stop):
    n += 1
    try:
        conn.execute("INSERT INTO users (linkedin_sub, email, name) VALUES (?, ?, 'app')",
                     (f"app-{n}", f"{n}@app"))
    except sqlite3.Error as error:
        print(f"error {n} {error}", flush=True)
        continue
    print(f"ok {n}", flush=True)
    time.sleep(0.001)
rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
print("version " + ",".join(row[0] for row in rows), flush=True)
conn.execute("INSERT INTO users (linkedin_sub, email, name) VALUES ('final', 'final@app', 'app')")
print("final ok", flush=True)
"#;

fn writer_survives(journal_mode: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = generated_db(dir.path(), "content.db");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mode: String = conn
        .query_row(&format!("PRAGMA journal_mode={journal_mode}"), [], |row| {
            row.get(0)
        })
        .expect("journal mode");
    assert_eq!(mode, journal_mode.to_lowercase());
    drop(conn);
    let stop = dir.path().join("stop");
    let mut app = Command::new("python3")
        .arg("-c")
        .arg(APP)
        .arg(&db)
        .arg(&stop)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the application");
    let mut lines = BufReader::new(app.stdout.take().expect("stdout")).lines();
    let mut said: Vec<String> = Vec::new();
    // Writing before the first command starts.
    for _ in 0..20 {
        said.push(lines.next().expect("a line").expect("text"));
    }
    for args in [
        &["upgrade", "head"][..],
        &["downgrade", "-1"],
        &["upgrade", "head"],
    ] {
        ok(&db, args);
    }
    std::fs::write(&stop, b"").expect("stop the application");
    said.extend(lines.map(|line| line.expect("text")));
    let status = app.wait().expect("the application ends");
    assert!(status.success(), "the application failed: {said:?}");
    let committed: Vec<&str> = said
        .iter()
        .filter_map(|line| line.strip_prefix("ok "))
        .collect();
    let errors: Vec<&String> = said
        .iter()
        .filter(|line| line.starts_with("error"))
        .collect();
    assert!(
        errors.is_empty(),
        "the application's writes failed: {errors:?}"
    );
    assert!(
        said.contains(&format!("version {HEAD}")),
        "its connection does not see the new revision: {said:?}"
    );
    assert!(said.contains(&"final ok".to_string()), "{said:?}");
    let check = rusqlite::Connection::open(&db).expect("open");
    let stored: i64 = check
        .query_row(
            "SELECT count(*) FROM users WHERE name = 'app' AND linkedin_sub LIKE 'app-%'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(
        stored,
        committed.len() as i64,
        "rows the application committed are missing"
    );
    for n in committed {
        let found: i64 = check
            .query_row(
                "SELECT count(*) FROM users WHERE linkedin_sub = ?1",
                [format!("app-{n}")],
                |row| row.get(0),
            )
            .expect("look up");
        assert_eq!(found, 1, "row app-{n} was committed and is gone");
    }
    eprintln!(
        "{journal_mode}: {stored} rows committed by the application during 3 commands, all kept"
    );
    assert_eq!(versions(&db), vec![HEAD.to_string()]);
    drop(check);
    assert_folder_clean(&db);
}

/// Nothing is left beside the file once every connection closed.
fn assert_folder_clean(db: &Path) {
    let left: Vec<String> = folder_of(db)
        .into_iter()
        .filter(|name| name.starts_with("content.db") && name != "content.db")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_application_writing_in_a_loop_loses_nothing_rollback_journal() {
    writer_survives("DELETE");
}

#[test]
fn an_application_writing_in_a_loop_loses_nothing_wal() {
    writer_survives("WAL");
}
