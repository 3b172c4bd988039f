//! Failures: exit 1 with a specific message and the file byte-identical; usage errors exit 2.

use std::fs;

use crate::common::*;
use crate::fixture::*;

#[test]
fn errors_leave_the_file_byte_identical() {
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    let db = fixture.db();
    fails_unchanged(&db, &["upgrade", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["upgrade", "+1"], &["c3e7a1d9f482", "d5f0b2c8e614"]);
    fails_unchanged(&db, &["downgrade", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["stamp", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["show", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["upgrade", "--sql", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["init"], &["already exists", "reset"]);
    fails_unchanged(&db, &["reset"], &["--yes"]);
    let missing = fixture.path("missing.db");
    let run = content_db_run(&missing, &["upgrade", "zzzz"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(!missing.exists(), "a failed upgrade created the file");
    assert!(!run.stderr.contains("created"), "{}", run.stderr);
    let base = Fixture::alembic(&["upgrade 4f2a9c1e7b3d", "downgrade base"]);
    fails_unchanged(&base.db(), &["downgrade", "-1"], &["-1"]);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_kept() {
    let fixture = Fixture::empty();
    let db = fixture.db();
    fs::write(&db, b"this is a text file, not a database\n".repeat(200)).expect("write");
    for args in [
        &["current"][..],
        &["upgrade", "head"],
        &["stamp", "head"],
        &["check"],
        &["downgrade", "base"],
    ] {
        fails_unchanged(&db, args, &["not a SQLite database"]);
    }
}

#[test]
fn an_unknown_revision_in_the_file_is_named() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let conn = rusqlite::Connection::open(fixture.db()).expect("open");
    conn.execute(
        "UPDATE alembic_version SET version_num = 'abc123abc123'",
        [],
    )
    .expect("update");
    drop(conn);
    fails_unchanged(&fixture.db(), &["current"], &["abc123abc123"]);
    fails_unchanged(&fixture.db(), &["upgrade", "head"], &["abc123abc123"]);
    // `stamp --purge` is the way out, as in Alembic.
    content_db_ok(&fixture.db(), &["stamp", "--purge", "head"]);
    assert_eq!(version_rows(&fixture.db()), vec![HEAD.to_string()]);
}

#[test]
fn missing_files_are_reported_and_not_created() {
    let fixture = Fixture::empty();
    let db = fixture.db();
    for args in [
        &["current"][..],
        &["downgrade", "base"],
        &["check"],
        &["reset", "--yes"],
        &["show", "current"],
    ] {
        let run = content_db_run(&db, args);
        assert_eq!(run.code, 1, "{args:?}: {run:#?}");
        assert!(
            run.stderr.contains("no database at"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("content-db init"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!db.exists(), "{args:?} created the file");
    }
}

#[test]
fn usage_errors_exit_2() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let before = fs::read(fixture.db()).expect("read");
    for args in [
        &["upgrade"][..],
        &["frobnicate"],
        &["stamp", "--bogus", "head"],
    ] {
        let run = content_db_run(&fixture.db(), args);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
    }
    assert_eq!(fs::read(fixture.db()).expect("read"), before);
}
