//! Shared helpers of the integration tests: where ContentEngine's Alembic project and the test
//! venv are, and how to run real Alembic (the oracle) and the `content-db` binary.
#![allow(dead_code)] // each test binary uses its own subset of these helpers

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ContentEngine's real Alembic project: `$CONTENTENGINE_DIR`, else `../shared/contentengine`.
pub fn contentengine_dir() -> PathBuf {
    match std::env::var_os("CONTENTENGINE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => crate_dir().join("../shared/contentengine"),
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
