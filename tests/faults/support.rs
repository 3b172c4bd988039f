//! What the fault tests share: generated databases, a fingerprint of a database's whole content,
//! the seed and the number of runs.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::content_db;
use crate::generate;

/// The head of the history.
pub const HEAD: &str = "0a6c9e3f5b71";

/// A generated ContentEngine database of about 2 MB at f17b8d2e4c90, one step before head, so
/// `upgrade head` rebuilds `posts` (made once per process).
pub fn generated_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let spec = generate::Spec {
            target_bytes: 2 * 1024 * 1024,
            seed: 12,
        };
        generate::generate(spec).expect("generate a database").0
    })
}

/// Writes the generated database to `dir/name` and returns its path.
pub fn generated_db(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, generated_bytes()).expect("write the database");
    path
}

/// A hash of everything in the database: its schema, every row of every table (values with
/// their storage class), and `integrity_check`'s verdict. Opening it is what the application
/// does next: a hot journal is rolled back first.
pub fn fingerprint(db: &Path) -> u64 {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    conn.busy_timeout(Duration::from_secs(10))
        .expect("busy timeout");
    fingerprint_of(&conn)
}

/// [`fingerprint`] of an open connection.
pub fn fingerprint_of(conn: &rusqlite::Connection) -> u64 {
    let mut hasher = DefaultHasher::new();
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity_check");
    assert_eq!(verdict, "ok", "the database is damaged");
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .expect("schema");
    let schema: Vec<(String, String, Option<String>)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("schema")
        .map(|row| row.expect("schema row"))
        .collect();
    schema.hash(&mut hasher);
    for (kind, name, _) in &schema {
        if kind != "table" {
            continue;
        }
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let mut rows = conn
            .prepare(&format!("SELECT * FROM {quoted} ORDER BY rowid"))
            .expect("select rows");
        let width = rows.column_count();
        let mut cursor = rows.query([]).expect("rows");
        while let Some(row) = cursor.next().expect("row") {
            for index in 0..width {
                format!("{:?}", row.get_ref(index).expect("value")).hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// The seed of this run's random choices: `CONTENT_DB_FAULT_SEED`, else from the clock. Printed
/// so a failing run can be repeated.
pub fn seed(test: &str) -> u64 {
    let seed = std::env::var("CONTENT_DB_FAULT_SEED")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .as_nanos() as u64
        });
    eprintln!("{test}: seed {seed} (repeat with CONTENT_DB_FAULT_SEED={seed})");
    seed
}

/// How many kill runs the suite makes: `CONTENT_DB_FAULT_RUNS`, default 100.
pub fn runs() -> usize {
    std::env::var("CONTENT_DB_FAULT_RUNS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(100)
}

/// Starts `content-db --db DB ARGS...` (stdin closed, output kept).
pub fn spawn(db: &Path, args: &[&str]) -> Child {
    spawn_by(content_db(), db, args).expect("start content-db")
}

/// Starts `command` (content-db itself, or a program that runs it) with `--db DB ARGS...`.
pub fn spawn_by(mut command: Command, db: &Path, args: &[&str]) -> std::io::Result<Child> {
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// What a finished process said.
#[derive(Debug)]
pub struct Finished {
    /// Its exit code (-1 when killed by a signal).
    pub code: i32,
    /// Its stderr.
    pub stderr: String,
}

/// Waits for `child` and collects its exit code and stderr.
pub fn finish(child: Child) -> Finished {
    let out = child.wait_with_output().expect("wait for content-db");
    Finished {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `content-db` to the end and returns how long it took and what it said.
pub fn timed(db: &Path, args: &[&str]) -> (Duration, Finished) {
    let start = Instant::now();
    let finished = finish(spawn(db, args));
    (start.elapsed(), finished)
}

/// Runs a command that must succeed.
pub fn ok(db: &Path, args: &[&str]) {
    let (_, finished) = timed(db, args);
    assert_eq!(finished.code, 0, "content-db {args:?}: {finished:?}");
}

/// The `alembic_version` rows of `db`.
pub fn versions(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut statement = conn
        .prepare("SELECT version_num FROM alembic_version ORDER BY version_num")
        .expect("prepare");
    let rows = statement
        .query_map([], |row| row.get(0))
        .expect("query")
        .map(|row| row.expect("row"))
        .collect();
    rows
}

/// Opens `db` with Python's sqlite3 (as ContentEngine would) and reads it, which rolls back a
/// hot journal.
pub fn open_with_python(db: &Path) {
    let status = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); \
             c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()",
        )
        .arg(db)
        .status()
        .expect("run python3");
    assert!(status.success(), "python3 could not read {}", db.display());
}
