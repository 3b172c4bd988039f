//! `upgrade`, `downgrade`, `stamp`: the same step lines and `alembic_version` rows as real Alembic,
//! new files where Alembic makes them, `--sql` and read-only commands that write nothing, atomic
//! replacement that keeps permissions, and WAL files.

use std::fs;
use std::path::Path;

use crate::common::*;
use crate::fixture::*;

/// Runs the same migration commands on two copies and compares step lines and version rows
/// after each command.
fn same_steps(start: &[&str], commands: &[&str]) {
    let fixture = Fixture::alembic(start);
    let ours = fixture.copy("ours.db");
    let theirs = fixture.copy("theirs.db");
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().collect();
        let mine = content_db_ok(&ours, &args);
        let oracle = alembic_run(&theirs, &args);
        assert_eq!(oracle.code, 0, "alembic {command} failed:\n{oracle:#?}");
        assert_eq!(
            mine.step_lines(),
            oracle.step_lines(),
            "steps of `{command}` after {start:?}"
        );
        // Sorted: after a merge is rolled back Alembic inserts the branch heads in the order of
        // a Python set, which changes from run to run.
        let sorted = |db: &Path| {
            let mut rows = version_rows(db);
            rows.sort();
            rows
        };
        assert_eq!(
            sorted(&ours),
            sorted(&theirs),
            "alembic_version after `{command}` from {start:?}"
        );
        assert_eq!(
            mine.stdout, "",
            "migration commands print their log on stderr only"
        );
    }
    // Alembic continues from the file content-db wrote.
    let (mine, oracle) = (
        alembic_run(&ours, &["current"]),
        alembic_run(&theirs, &["current"]),
    );
    assert_eq!((mine.code, oracle.code), (0, 0), "{mine:#?}\n{oracle:#?}");
    assert_eq!(lines_as_set(&mine.stdout), lines_as_set(&oracle.stdout));
}

#[test]
fn upgrade_and_downgrade_steps_match_alembic() {
    same_steps(
        &[],
        &[
            "upgrade head",
            "downgrade -1",
            "upgrade head",
            "downgrade base",
            "upgrade +2",
        ],
    );
    same_steps(
        &["upgrade c3e7a1d9f482"],
        &["upgrade d5f0b2c8e614", "downgrade -1", "upgrade heads"],
    );
    same_steps(
        &["upgrade head"],
        &[
            "downgrade b81d3e5f0a27",
            "upgrade e9a4",
            "downgrade d5f0b2c8e614",
        ],
    );
}

#[test]
fn stamp_steps_match_alembic() {
    same_steps(
        &["upgrade b81d3e5f0a27"],
        &[
            "stamp head",
            "stamp --purge f17b8d2e4c90",
            "stamp base",
            "stamp c3e7a1d9f482",
        ],
    );
}

#[test]
fn upgrade_and_stamp_create_a_missing_file_and_say_so() {
    for command in [&["upgrade", "head"][..], &["stamp", "head"][..]] {
        let fixture = Fixture::empty();
        let run = content_db_ok(&fixture.db(), command);
        assert!(fixture.db().exists(), "{command:?} created no file");
        assert!(
            run.stderr.contains("created a new one"),
            "{command:?}: {}",
            run.stderr
        );
        assert_eq!(version_rows(&fixture.db()), vec![HEAD.to_string()]);
        // Alembic reads it as at head.
        assert!(alembic_ok(&fixture.db(), &["current"]).contains("0a6c9e3f5b71 (head)"));
    }
}

#[test]
fn upgrade_on_a_missing_file_writes_the_same_schema_as_alembic() {
    let fixture = Fixture::empty();
    content_db_ok(&fixture.path("ours.db"), &["upgrade", "head"]);
    alembic_ok(&fixture.path("theirs.db"), &["upgrade", "head"]);
    assert_eq!(
        dump_schema(&fixture.path("ours.db")),
        dump_schema(&fixture.path("theirs.db"))
    );
}

#[test]
fn sql_prints_from_the_files_revision_and_changes_nothing() {
    let fixture = Fixture::alembic(&["upgrade e9a4c6b1d358"]);
    let db = fixture.db();
    let before = fs::read(&db).expect("read");
    let run = content_db_ok(&db, &["upgrade", "head", "--sql"]);
    assert_eq!(fs::read(&db).expect("read"), before, "--sql wrote the file");
    assert!(
        run.stdout.contains("chat_messages"),
        "f17b8d2e4c90's SQL is missing:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("posts_new"),
        "0a6c9e3f5b71's SQL is missing:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("CREATE TABLE oauth_tokens"),
        "already applied SQL is printed"
    );
    assert_eq!(run.step_lines().len(), 2, "{}", run.stderr);

    let run = content_db_ok(&db, &["downgrade", "b81d3e5f0a27", "--sql"]);
    assert_eq!(fs::read(&db).expect("read"), before, "--sql wrote the file");
    assert!(!run.stdout.trim().is_empty());
    assert_eq!(run.step_lines().len(), 3, "{}", run.stderr);

    let missing = fixture.path("missing.db");
    let run = content_db_ok(&missing, &["upgrade", "head", "--sql"]);
    assert!(!missing.exists(), "--sql created a file");
    assert!(run.stdout.contains("CREATE TABLE"), "{}", run.stdout);
}

#[test]
fn read_only_commands_never_write() {
    let fixture = Fixture::alembic(&["upgrade c3e7a1d9f482"]);
    let db = fixture.db();
    let before = fs::read(&db).expect("read");
    let modified = fs::metadata(&db).expect("meta").modified().expect("mtime");
    let folder = folder_of(&db);
    for args in [
        &["current"][..],
        &["current", "-v"],
        &["heads"],
        &["history", "-r", "current:"],
        &["show", "current"],
        &["check"],
        &["upgrade", "head", "--sql"],
        &["upgrade", "c3e7a1d9f482"],
    ] {
        content_db_ok(&db, args);
        assert_eq!(
            folder_of(&db),
            folder,
            "{args:?} left files beside the database"
        );
    }
    assert_eq!(fs::read(&db).expect("read"), before);
    assert_eq!(
        fs::metadata(&db).expect("meta").modified().expect("mtime"),
        modified
    );
}

#[cfg(unix)]
#[test]
fn a_successful_change_keeps_permissions_and_leaves_no_temp_file() {
    use std::os::unix::fs::PermissionsExt;
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    let db = fixture.db();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o640)).expect("chmod");
    content_db_ok(&db, &["upgrade", "head"]);
    let mode = fs::metadata(&db).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(folder_of(&db), vec!["db.sqlite".to_string()]);
}

#[test]
fn a_wal_mode_file_migrates_in_place_with_its_wal_content() {
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    let db = fixture.db();
    let app = rusqlite::Connection::open(&db).expect("open");
    let mode: String = app
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .expect("switch to WAL");
    assert_eq!(mode, "wal");
    // The application's rows that are only in the -wal (not checkpointed) while it runs.
    app.execute_batch(
        "PRAGMA wal_autocheckpoint=0;\
         INSERT INTO users (linkedin_sub, email, name) \
         VALUES ('sub-1', 'w@x', 'in-wal');",
    )
    .expect("a row in the -wal");
    assert!(
        fs::metadata(fixture.path("db.sqlite-wal"))
            .expect("wal")
            .len()
            > 0
    );
    content_db_ok(&db, &["upgrade", "head"]);
    // The same connection keeps working and sees its row and the new schema.
    let name: String = app
        .query_row("SELECT name FROM users WHERE email = 'w@x'", [], |row| {
            row.get(0)
        })
        .expect("the row committed to the -wal survived");
    assert_eq!(name, "in-wal");
    let version: String = app
        .query_row("SELECT version_num FROM alembic_version", [], |row| {
            row.get(0)
        })
        .expect("version");
    assert_eq!(version, HEAD);
    drop(app); // the last connection checkpoints and removes the -wal and -shm
               // Still in WAL mode, as SQLite keeps it, with nothing left beside it.
    assert_eq!(fs::read(&db).expect("read")[18..20], [2, 2]);
    assert_eq!(folder_of(&db), vec!["db.sqlite".to_string()]);
    assert!(alembic_ok(&db, &["current"]).contains("0a6c9e3f5b71 (head)"));
}
