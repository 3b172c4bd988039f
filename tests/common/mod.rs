//! Shared helpers of the integration tests: where ContentEngine's Alembic project and the test
//! venv are, and how to run real Alembic (the oracle) and the `content-db` binary.
#![allow(dead_code)] // each test binary uses its own subset of these helpers

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ContentEngine's real Alembic project: `$CONTENTENGINE_DIR`, else the copy in
/// `tests/contentengine/`.
pub fn contentengine_dir() -> PathBuf {
    match std::env::var_os("CONTENTENGINE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => crate_dir().join("tests/contentengine"),
    }
}

/// The venv made by `scripts/setup.sh`: `$CONTENT_DB_VENV`, else `.venv` in the crate root.
pub fn venv_dir() -> PathBuf {
    match std::env::var_os("CONTENT_DB_VENV") {
        Some(dir) => PathBuf::from(dir),
        None => crate_dir().join(".venv"),
    }
}

/// The venv's Python (with alembic and sqlalchemy installed).
pub fn python() -> PathBuf {
    venv_dir().join("bin/python")
}

/// Panics with a hint when the venv is missing, so a missing set-up is not mistaken for a bug.
pub fn require_venv() {
    let alembic = venv_dir().join("bin/alembic");
    assert!(
        alembic.exists(),
        "{} is missing: run `bash scripts/setup.sh` first (it creates the venv with real Alembic)",
        alembic.display()
    );
}

/// Runs real Alembic on ContentEngine's project against the database `db`:
/// `alembic -x db=DB ARGS...`, from the project folder (it imports `models.py` from there).
pub fn alembic(db: &Path, args: &[&str]) -> Output {
    require_venv();
    Command::new(venv_dir().join("bin/alembic"))
        .arg("-x")
        .arg(format!("db={}", db.display()))
        .args(args)
        .current_dir(contentengine_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run alembic")
}

/// Like [`alembic`], but panics with Alembic's output when it fails; returns stdout + stderr.
pub fn alembic_ok(db: &Path, args: &[&str]) -> String {
    let out = alembic(db, args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "alembic {args:?} failed:\n{text}");
    text
}

/// `dump_schema.py PATH --no-sql`: the normalized schema of a file, as JSON.
pub fn dump_schema(db: &Path) -> serde_json::Value {
    require_venv();
    let out = Command::new(python())
        .arg(contentengine_dir().join("dump_schema.py"))
        .arg(db)
        .arg("--no-sql")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run dump_schema.py");
    assert!(
        out.status.success(),
        "dump_schema.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("dump_schema.py prints JSON")
}

/// The `content-db` binary built for this test run.
pub fn content_db() -> Command {
    Command::new(env!("CARGO_BIN_EXE_content-db"))
}

/// What a finished command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Everything on stdout.
    pub stdout: String,
    /// Everything on stderr.
    pub stderr: String,
}

impl Run {
    /// What `out` says: exit code, stdout and stderr as text.
    pub fn from_output(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The `Running upgrade/downgrade/stamp_revision ...` log lines, as printed.
    pub fn step_lines(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|line| line.contains("] Running "))
            .map(str::to_string)
            .collect()
    }
}

/// Runs `content-db --db DB ARGS...` with stdin closed; never panics on failure.
pub fn content_db_run(db: &Path, args: &[&str]) -> Run {
    let out = content_db()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run content-db");
    Run::from_output(out)
}

/// The names in the folder holding `db`, sorted: a command that leaves the file alone must leave
/// these alone too (no temporary copy, no `-wal`/`-shm`/`-journal` left behind).
pub fn folder_of(db: &Path) -> Vec<String> {
    let folder = match db.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("list the database's folder")
        .map(|entry| {
            entry
                .expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Like [`content_db_run`], but panics with both outputs unless the exit code is 0.
pub fn content_db_ok(db: &Path, args: &[&str]) -> Run {
    let run = content_db_run(db, args);
    assert_eq!(run.code, 0, "content-db {args:?} failed:\n{run:#?}");
    run
}

/// Runs real Alembic (see [`alembic`]) and keeps stdout and stderr apart.
pub fn alembic_run(db: &Path, args: &[&str]) -> Run {
    Run::from_output(alembic(db, args))
}

/// The rows of `alembic_version`, in table order (empty when the table is missing).
pub fn version_rows(db: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the database read-only");
    let has_table: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'",
            [],
            |row| row.get::<_, i64>(0),
        )
        .expect("query sqlite_master")
        > 0;
    if !has_table {
        return Vec::new();
    }
    let mut stmt = conn
        .prepare("SELECT version_num FROM alembic_version")
        .expect("prepare");
    let rows = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .expect("query alembic_version");
    rows.map(|row| row.expect("a version row")).collect()
}

/// Copies `migrations/` of the crate into `dir` (for `--migrations DIR` tests).
pub fn copy_migrations(dir: &Path) {
    std::fs::create_dir_all(dir).expect("create the migrations copy");
    for entry in std::fs::read_dir(crate_dir().join("migrations")).expect("read migrations/") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|ext| ext == "sql") {
            std::fs::copy(&path, dir.join(path.file_name().expect("a file name")))
                .expect("copy a migration");
        }
    }
}
