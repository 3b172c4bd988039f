//! Migrations that fail: at their first, a middle or their last statement, on a constraint the
//! existing rows break (a NOT NULL column added by a rebuild, a UNIQUE index over duplicates),
//! or on a foreign key check after a rebuild. Each is rolled back to the state before that
//! migration (byte for byte), the error names the revision and the statement, and the CLI
//! leaves the file byte-identical with exit 1.

use content_db::Database;

use crate::common::*;
use crate::scratch::*;

const HEAD: &str = "0a6c9e3f5b71";
/// A good revision on top of ContentEngine's head, before the broken one.
const GOOD: &str = "aaaa00000001";
/// The broken revision.
const BROKEN: &str = "bbbb00000002";

/// The good revision (adds a `notes` table) and the broken one with `up_sql`.
fn files(up_sql: &str) -> Vec<(String, String)> {
    vec![
        (
            format!("{GOOD}_add_notes.sql"),
            migration(
                GOOD,
                HEAD,
                "add notes",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\nINSERT INTO notes (body) VALUES ('kept');",
                "DROP TABLE notes;",
            ),
        ),
        (
            format!("{BROKEN}_broken.sql"),
            migration(BROKEN, GOOD, "broken", up_sql, "SELECT 1;"),
        ),
    ]
}

/// The failing statements, by case.
const CASES: &[(&str, &str)] = &[
    (
        "fails at its first statement",
        "INSERT INTO nowhere VALUES (1);\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\nCREATE TABLE tag_links (tag_id INTEGER);",
    ),
    (
        "fails at a middle statement",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n-- a typo in a column name\nUPDATE posts SET contnet = 'x';\nCREATE TABLE tag_links (tag_id INTEGER);",
    ),
    (
        "fails at its last statement",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO tags VALUES (1, 'a');\nINSERT INTO tags VALUES (1, 'b');",
    ),
    (
        "NOT NULL column added to a table with rows (batch rebuild)",
        "CREATE TABLE _alembic_tmp_notes (id INTEGER PRIMARY KEY, body TEXT, slug TEXT NOT NULL);\n\
         INSERT INTO _alembic_tmp_notes (id, body) SELECT notes.id, notes.body FROM notes;\n\
         DROP TABLE notes;\nALTER TABLE _alembic_tmp_notes RENAME TO notes;",
    ),
    (
        "NOT NULL column added to a table with rows (ALTER TABLE)",
        "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL;",
    ),
    (
        "UNIQUE constraint over duplicate values",
        "CREATE UNIQUE INDEX uq_posts_platform ON posts (platform);",
    ),
    (
        "a rebuild that loses rows other tables point to (foreign key check)",
        "CREATE TABLE _alembic_tmp_users (id INTEGER NOT NULL, linkedin_sub VARCHAR(255) NOT NULL, PRIMARY KEY (id));\n\
         INSERT INTO _alembic_tmp_users (id, linkedin_sub) SELECT id, linkedin_sub FROM users WHERE id > 1;\n\
         DROP TABLE users;\nALTER TABLE _alembic_tmp_users RENAME TO users;",
    ),
];

/// A populated database at head, in memory.
fn populated_head(history: &content_db::History) -> Database {
    let mut database = Database::new_empty().expect("new");
    let plan = history.plan_upgrade(&[], HEAD).expect("plan");
    database.apply(history, &plan, |_| {}).expect("upgrade");
    database
        .connection()
        .execute_batch(POPULATE_HEAD)
        .expect("populate");
    database
}

#[test]
fn each_failure_rolls_back_to_the_state_before_that_migration() {
    let mut messages = Vec::new();
    for (case, up_sql) in CASES {
        let history = history_with(&files(up_sql));
        let mut database = populated_head(&history);
        // One call from head to the broken revision: GOOD completes, BROKEN fails.
        let plan = history
            .plan_upgrade(&[HEAD.to_string()], BROKEN)
            .expect("plan");
        let mut completed = Vec::new();
        let error = database
            .apply(&history, &plan, |report| {
                completed.push(report.step.revision.clone())
            })
            .expect_err(case);
        assert_eq!(completed, vec![GOOD.to_string()], "{case}");
        // The state before BROKEN is HEAD + GOOD, made again on a twin database.
        let mut twin = populated_head(&history);
        let to_good = history
            .plan_upgrade(&[HEAD.to_string()], GOOD)
            .expect("plan");
        twin.apply(&history, &to_good, |_| {}).expect("good step");
        assert_eq!(
            database.current_versions().expect("rows"),
            vec![GOOD.to_string()]
        );
        assert_eq!(
            database.to_bytes().expect("bytes"),
            twin.to_bytes().expect("bytes"),
            "{case}: not rolled back to the state before {BROKEN}"
        );
        let text = error.to_string();
        assert!(text.contains(BROKEN), "{case}: {text}");
        messages.push(format!("{case}:\n  {text}"));
    }
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn the_cli_names_revision_and_statement_and_writes_nothing() {
    for (case, up_sql) in CASES {
        let scratch = Scratch::new();
        let dir = scratch.path("migrations");
        migrations_dir_with(&dir, &files(up_sql));
        let db = scratch.head_with("content.db", POPULATE_HEAD);
        let dir_arg = dir.display().to_string();
        let stderr = refused(&db, &["--migrations", &dir_arg, "upgrade", "heads"]);
        assert!(
            stderr.contains(&format!("upgrade {BROKEN}")),
            "{case}: {stderr}"
        );
        assert!(
            stderr.contains("is unchanged: nothing was written"),
            "{case}"
        );
        // The failing statement is quoted, unless a check after the step failed.
        if !stderr.contains("foreign_key_check") {
            assert!(stderr.contains("at the statement `"), "{case}: {stderr}");
        }
        assert_eq!(version_rows(&db), vec![HEAD.to_string()]);
    }
}

#[cfg(unix)]
#[test]
fn a_failed_cli_run_leaves_mode_mtime_and_folder_as_they_were() {
    use std::os::unix::fs::PermissionsExt;
    // GOOD completes on the working copy before BROKEN fails: the copy is thrown away.
    let (_, up_sql) = CASES[1];
    let scratch = Scratch::new();
    let dir = scratch.path("migrations");
    migrations_dir_with(&dir, &files(up_sql));
    let db = scratch.head_with("content.db", POPULATE_HEAD);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let modified = std::fs::metadata(&db)
        .expect("meta")
        .modified()
        .expect("mtime");
    let dir_arg = dir.display().to_string();
    refused(&db, &["--migrations", &dir_arg, "upgrade", "heads"]);
    let meta = std::fs::metadata(&db).expect("meta");
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert_eq!(meta.modified().expect("mtime"), modified);
    assert_eq!(folder_of(&db), vec!["content.db", "migrations"]);
}

#[test]
fn a_failing_downgrade_is_rolled_back_too() {
    let extra = vec![(
        format!("{GOOD}_add_notes.sql"),
        migration(
            GOOD,
            HEAD,
            "add notes",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY);",
            "DROP TABLE notes;\nDROP TABLE no_such_table;",
        ),
    )];
    let history = history_with(&extra);
    let mut database = populated_head(&history);
    let up = history
        .plan_upgrade(&[HEAD.to_string()], GOOD)
        .expect("plan");
    database.apply(&history, &up, |_| {}).expect("up");
    let before = database.to_bytes().expect("bytes");
    let down = history
        .plan_downgrade(&[GOOD.to_string()], "-1")
        .expect("plan");
    let error = database.apply(&history, &down, |_| {}).expect_err("fails");
    insta::assert_snapshot!(error.to_string());
    assert_eq!(database.to_bytes().expect("bytes"), before);
}

/// A migration that damages the file's structure without any statement failing: an index made,
/// through `writable_schema`, to describe another column than the one its entries hold.
const DAMAGING_SQL: &str = "CREATE TABLE tags (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);\n\
     CREATE INDEX ix_tags_a ON tags (a);\n\
     INSERT INTO tags VALUES (1, 1, 10), (2, 2, 20);\n\
     PRAGMA writable_schema = ON;\n\
     UPDATE sqlite_master SET sql = 'CREATE INDEX ix_tags_a ON tags (b)' WHERE name = 'ix_tags_a';\n\
     PRAGMA writable_schema = RESET;";

#[test]
fn a_migration_that_damages_the_file_is_caught_before_the_cli_writes() {
    // Steps no longer run integrity_check (src/db/apply.rs): the library completes the step and
    // the damage is seen by the check that runs once before a file is written.
    let history = history_with(&files(DAMAGING_SQL));
    let mut database = populated_head(&history);
    let plan = history
        .plan_upgrade(&[HEAD.to_string()], BROKEN)
        .expect("plan");
    database
        .apply(&history, &plan, |_| {})
        .expect("no step check fails");
    let problems = database.integrity_problems().expect("integrity_check runs");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("missing from index ix_tags_a")),
        "{problems:?}"
    );

    let scratch = Scratch::new();
    let dir = scratch.path("migrations");
    migrations_dir_with(&dir, &files(DAMAGING_SQL));
    let db = scratch.head_with("content.db", POPULATE_HEAD);
    let dir_arg = dir.display().to_string();
    let stderr = refused(&db, &["--migrations", &dir_arg, "upgrade", "heads"]);
    assert!(
        stderr.contains("failed PRAGMA integrity_check (row 1 missing from index ix_tags_a"),
        "{stderr}"
    );
    assert!(stderr.contains("so it was not written"), "{stderr}");
    assert_eq!(version_rows(&db), vec![HEAD.to_string()]);
    // Without the damaging revision, the same command writes the file.
    let scratch = Scratch::new();
    let dir = scratch.path("migrations");
    migrations_dir_with(&dir, &files("CREATE TABLE tags (id INTEGER PRIMARY KEY);"));
    let db = scratch.head_with("content.db", POPULATE_HEAD);
    let dir_arg = dir.display().to_string();
    content_db_ok(&db, &["--migrations", &dir_arg, "upgrade", "heads"]);
    assert_eq!(version_rows(&db), vec![BROKEN.to_string()]);
}
