//! Tests of `apply` with hand-built steps along ContentEngine's history (no planner needed).

use super::super::test_support::{
    downgrade_head_to_base, reference, section_of, sections, step, upgrade_from_empty,
    UPGRADE_ORDER,
};
use super::*;
use crate::revision::VersionOp;

fn upgraded_to(target: &str) -> Database {
    let sections = sections();
    let mut database = Database::new_empty().expect("new database");
    database
        .apply_steps(
            &upgrade_from_empty(target),
            |step| Ok(section_of(&sections, step)),
            |_| {},
        )
        .expect("upgrade");
    database
}

fn schema_json(database: &Database) -> serde_json::Value {
    serde_json::to_value(database.schema().expect("schema")).expect("JSON")
}

/// Every row of every table, in a stable order, to compare data across steps.
fn all_rows(database: &Database) -> Vec<String> {
    let conn = database.connection();
    let mut tables = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare");
    let names: Vec<String> = tables
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    let mut out = Vec::new();
    for name in names {
        let mut rows = conn
            .prepare(&format!("SELECT * FROM \"{name}\" ORDER BY 1"))
            .expect("prepare");
        let count = rows.column_count();
        let mut query = rows.query([]).expect("query");
        while let Some(row) = query.next().expect("row") {
            let values: Vec<String> = (0..count)
                .map(|i| format!("{:?}", row.get_ref(i).expect("value")))
                .collect();
            out.push(format!("{name}: {}", values.join(" | ")));
        }
    }
    out
}

#[test]
fn every_revision_from_empty_matches_alembics_reference() {
    for target in UPGRADE_ORDER {
        let database = upgraded_to(target);
        assert_eq!(
            schema_json(&database),
            reference(target),
            "schema at {target}"
        );
    }
}

#[test]
fn version_rows_follow_the_branches() {
    let sections = sections();
    let mut database = Database::new_empty().expect("new");
    let steps = upgrade_from_empty("0a6c9e3f5b71");
    let mut seen = Vec::new();
    database
        .apply_steps(
            &steps[..4],
            |step| Ok(section_of(&sections, step)),
            |report| seen.push(report.step.revision.clone()),
        )
        .expect("upgrade both branches");
    assert_eq!(seen, UPGRADE_ORDER[..4].to_vec());
    // While both branch heads are applied, alembic_version holds two rows, in insertion order.
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["d5f0b2c8e614", "c3e7a1d9f482"]
    );
}

#[test]
fn downgrade_to_base_leaves_an_empty_alembic_version() {
    let sections = sections();
    let mut database = upgraded_to("0a6c9e3f5b71");
    let report = database
        .apply_steps(
            &downgrade_head_to_base(),
            |step| Ok(section_of(&sections, step)),
            |_| {},
        )
        .expect("downgrade");
    assert_eq!(report.steps.len(), 7);
    assert!(report.steps.iter().all(|step| step.millis >= 0.0));
    let json = schema_json(&database);
    assert_eq!(
        json,
        serde_json::json!({"alembic_version": [], "tables": {"alembic_version": reference("4f2a9c1e7b3d")["tables"]["alembic_version"]}})
    );
}

#[test]
fn data_migrations_set_is_demo_and_unschedule_posts() {
    let sections = sections();
    let mut database = upgraded_to("b81d3e5f0a27");
    database
        .connection()
        .execute_batch(
            "INSERT INTO posts (id, content, platform, external_id) VALUES \
             (1, 'seeded', 'linkedin', 'demo-1'), (2, 'real', 'linkedin', 'urn:li:1'), \
             (3, 'no id', 'x', NULL);",
        )
        .expect("rows");
    let rest: Vec<_> = upgrade_from_empty("0a6c9e3f5b71")[2..].to_vec();
    database
        .apply_steps(&rest, |step| Ok(section_of(&sections, step)), |_| {})
        .expect("to head");
    let demo: Vec<i64> = database
        .connection()
        .prepare("SELECT is_demo FROM posts ORDER BY id")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(demo, vec![1, 0, 0]);
    database
        .connection()
        .execute_batch(
            "UPDATE posts SET status = 'scheduled', scheduled_at = '2026-01-01' WHERE id = 2",
        )
        .expect("schedule");
    database
        .apply_steps(
            &downgrade_head_to_base()[..1],
            |step| Ok(section_of(&sections, step)),
            |_| {},
        )
        .expect("down one");
    let status: String = database
        .connection()
        .query_row("SELECT status FROM posts WHERE id = 2", [], |row| {
            row.get(0)
        })
        .expect("status");
    assert_eq!(status, "draft");
}

/// A step of revision `f17b8d2e4c90` whose SQL is `sql`, from a database at `e9a4c6b1d358`.
fn failing_step_leaves_database_unchanged(sql: &str, failing_statement: &str) {
    let mut database = upgraded_to("e9a4c6b1d358");
    database
        .connection()
        .execute_batch("INSERT INTO users (id, linkedin_sub) VALUES (1, 'sub-1');")
        .expect("a user");
    let bytes_before = database.to_bytes().expect("bytes");
    let rows_before = all_rows(&database);
    let steps = vec![step(
        "f17b8d2e4c90",
        Direction::Upgrade,
        vec![VersionOp::Update {
            from: "e9a4c6b1d358".into(),
            to: "f17b8d2e4c90".into(),
        }],
    )];
    let error = database
        .apply_steps(
            &steps,
            |_| Ok(sql),
            |_| panic!("the step must not complete"),
        )
        .expect_err("the step fails");
    match &error {
        DbError::StepFailed {
            revision,
            direction,
            statement,
            ..
        } => {
            assert_eq!(revision, "f17b8d2e4c90");
            assert_eq!(direction, "upgrade");
            assert_eq!(statement, failing_statement);
        }
        other => panic!("unexpected error {other}"),
    }
    assert_eq!(all_rows(&database), rows_before);
    assert_eq!(
        database.to_bytes().expect("bytes"),
        bytes_before,
        "byte-identical after rollback"
    );
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["e9a4c6b1d358"]
    );
}

#[test]
fn failure_at_the_first_statement_rolls_back() {
    failing_step_leaves_database_unchanged(
        "INSERT INTO nowhere VALUES (1);\nCREATE TABLE t (a INT);",
        "INSERT INTO nowhere VALUES (1)",
    );
}

#[test]
fn failure_at_a_middle_statement_rolls_back() {
    failing_step_leaves_database_unchanged(
        "CREATE TABLE t (a INT NOT NULL);\nDELETE FROM users;\n-- bad\nINSERT INTO t VALUES (NULL);\nDROP TABLE posts;",
        "INSERT INTO t VALUES (NULL)",
    );
}

#[test]
fn failure_at_the_last_statement_rolls_back() {
    failing_step_leaves_database_unchanged(
        "CREATE TABLE t (a INT);\nDROP TABLE posts;\nUPDATE users SET name = 'x';\nALTER TABLE nope RENAME TO other;",
        "ALTER TABLE nope RENAME TO other",
    );
}

#[test]
fn a_new_foreign_key_violation_fails_the_step() {
    let mut database = upgraded_to("e9a4c6b1d358");
    let before = database.to_bytes().expect("bytes");
    let steps = vec![step("f17b8d2e4c90", Direction::Upgrade, vec![])];
    let sql = "INSERT INTO sessions (id, user_id, expires_at) VALUES ('s1', 999, '2030-01-01');";
    let error = database
        .apply_steps(&steps, |_| Ok(sql), |_| {})
        .expect_err("orphan session");
    let DbError::CheckFailed { check, details, .. } = &error else {
        panic!("unexpected error {error}");
    };
    assert_eq!(check, "foreign_key_check");
    assert_eq!(
        details,
        "1 foreign key violation: sessions row 1 points to a missing users row"
    );
    assert_eq!(database.to_bytes().expect("bytes"), before);
}

#[test]
fn violations_already_in_the_file_do_not_block_migrations() {
    let sections = sections();
    let mut database = upgraded_to("b81d3e5f0a27");
    database
        .connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;\
             INSERT INTO sessions (id, user_id, expires_at) VALUES ('orphan', 42, '2030-01-01');\
             PRAGMA foreign_keys = ON;",
        )
        .expect("orphan row, as ContentEngine can leave one");
    let rest: Vec<_> = upgrade_from_empty("0a6c9e3f5b71")[2..].to_vec();
    database
        .apply_steps(&rest, |step| Ok(section_of(&sections, step)), |_| {})
        .expect("Alembic would migrate this file, so must we");
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["0a6c9e3f5b71"]
    );
}

#[test]
fn foreign_keys_setting_is_restored_after_success_and_failure() {
    let sections = sections();
    for initially_on in [true, false] {
        let mut database = Database::new_empty().expect("new");
        database
            .connection()
            .pragma_update(None, "foreign_keys", initially_on)
            .expect("set");
        database
            .apply_steps(
                &upgrade_from_empty("4f2a9c1e7b3d"),
                |step| Ok(section_of(&sections, step)),
                |_| {},
            )
            .expect("upgrade");
        let bad = vec![step("b81d3e5f0a27", Direction::Upgrade, vec![])];
        database
            .apply_steps(&bad, |_| Ok("SELECT * FROM nowhere;"), |_| {})
            .expect_err("fails");
        let now: bool = database
            .connection()
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))
            .expect("read");
        assert_eq!(now, initially_on);
    }
}

#[test]
fn stamp_changes_only_version_rows_and_creates_the_table() {
    let mut database = Database::new_empty().expect("new");
    let mut stamp = step(
        "0a6c9e3f5b71",
        Direction::Upgrade,
        vec![VersionOp::Insert("0a6c9e3f5b71".into())],
    );
    stamp.run_sql = false;
    database
        .apply_steps(&[stamp], |_| panic!("a stamp runs no SQL"), |_| {})
        .expect("stamp");
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["0a6c9e3f5b71"]
    );
    let tables: Vec<String> = database
        .schema()
        .expect("schema")
        .tables
        .into_keys()
        .collect();
    assert_eq!(tables, vec!["alembic_version"]);
}

#[test]
fn a_missing_version_row_fails_like_alembic_and_rolls_back() {
    let mut database = upgraded_to("4f2a9c1e7b3d");
    let steps = vec![step(
        "b81d3e5f0a27",
        Direction::Upgrade,
        vec![VersionOp::Update {
            from: "ffffffffffff".into(),
            to: "b81d3e5f0a27".into(),
        }],
    )];
    let error = database
        .apply_steps(&steps, |_| Ok("CREATE TABLE t (a INT);"), |_| {})
        .expect_err("row missing");
    assert!(matches!(error, DbError::VersionRows { .. }), "{error}");
    assert!(error.to_string().contains(
        "expected to match one row when updating 'ffffffffffff' to 'b81d3e5f0a27' in 'alembic_version'; 0 found"
    ));
    assert!(!database.schema().expect("schema").tables.contains_key("t"));
}

#[test]
fn the_first_step_creates_alembic_version_and_a_failure_removes_it_again() {
    let mut database = Database::new_empty().expect("new");
    let steps = vec![step(
        "4f2a9c1e7b3d",
        Direction::Upgrade,
        vec![VersionOp::Insert("4f2a9c1e7b3d".into())],
    )];
    database
        .apply_steps(
            &steps,
            |_| Ok("CREATE TABLE t (a INT); SELECT * FROM nowhere;"),
            |_| {},
        )
        .expect_err("fails");
    assert!(!database.is_versioned().expect("query"));
}

#[test]
fn apply_refuses_when_a_transaction_is_open() {
    let mut database = Database::new_empty().expect("new");
    database.connection().execute_batch("BEGIN").expect("begin");
    let steps = upgrade_from_empty("4f2a9c1e7b3d");
    let error = database
        .apply_steps(&steps, |_| Ok(""), |_| {})
        .expect_err("open transaction");
    assert!(matches!(error, DbError::TransactionOpen));
}

#[test]
fn a_duplicate_version_row_names_alembics_statement() {
    let mut database = upgraded_to("4f2a9c1e7b3d");
    let steps = vec![step(
        "b81d3e5f0a27",
        Direction::Upgrade,
        vec![VersionOp::Insert("4f2a9c1e7b3d".into())],
    )];
    let error = database
        .apply_steps(&steps, |_| Ok(""), |_| {})
        .expect_err("duplicate row");
    let DbError::StepFailed {
        statement, message, ..
    } = &error
    else {
        panic!("unexpected error {error}");
    };
    assert_eq!(
        statement,
        "INSERT INTO alembic_version (version_num) VALUES ('4f2a9c1e7b3d')"
    );
    assert_eq!(
        message,
        "UNIQUE constraint failed: alembic_version.version_num"
    );
}

/// A database at `e9a4c6b1d358` with one user and, as ContentEngine can leave them (foreign keys
/// off), one session of a user that does not exist.
fn with_an_orphan_session() -> Database {
    let database = upgraded_to("e9a4c6b1d358");
    database
        .connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;\
             INSERT INTO users (id, linkedin_sub) VALUES (1, 'sub-1');\
             INSERT INTO sessions (id, user_id, expires_at) VALUES ('orphan', 42, '2030-01-01');",
        )
        .expect("rows");
    database
}

#[test]
fn a_new_violation_fails_the_step_even_beside_old_ones() {
    // The first check of the plan finds two violations; which one is new can only be told
    // from the state before the step, which is worked out after rolling the step back.
    let mut database = with_an_orphan_session();
    let before = database.to_bytes().expect("bytes");
    let steps = vec![step("f17b8d2e4c90", Direction::Upgrade, vec![])];
    let sql = "INSERT INTO sessions (id, user_id, expires_at) VALUES ('new', 7, '2030-01-01');";
    let mut completed = 0;
    let error = database
        .apply_steps(&steps, |_| Ok(sql), |_| completed += 1)
        .expect_err("a new orphan");
    let DbError::CheckFailed { check, details, .. } = &error else {
        panic!("unexpected error {error}");
    };
    assert_eq!(check, "foreign_key_check");
    assert_eq!(
        details,
        "1 foreign key violation: sessions row 2 points to a missing users row"
    );
    assert_eq!(completed, 0);
    assert_eq!(database.to_bytes().expect("bytes"), before);
}

#[test]
fn replacing_an_old_violation_by_a_new_one_fails_the_step() {
    // As many violations after as before (one), but not the same row.
    let mut database = with_an_orphan_session();
    let before = database.to_bytes().expect("bytes");
    let steps = vec![step("f17b8d2e4c90", Direction::Upgrade, vec![])];
    let sql = "INSERT INTO sessions (id, user_id, expires_at) VALUES ('new', 7, '2030-01-01');\
               DELETE FROM sessions WHERE id = 'orphan';";
    let error = database
        .apply_steps(&steps, |_| Ok(sql), |_| {})
        .expect_err("a different orphan");
    assert!(
        matches!(&error, DbError::CheckFailed { check, .. } if check == "foreign_key_check"),
        "{error}"
    );
    assert_eq!(database.to_bytes().expect("bytes"), before);
}

#[test]
fn a_later_step_is_checked_against_the_violations_the_earlier_one_left() {
    // Step 1 keeps the old orphan (accepted after its "before" was worked out); step 2 is
    // checked against what step 1 left, adds an orphan and alone is rolled back.
    let mut database = with_an_orphan_session();
    let steps = vec![
        step("f17b8d2e4c90", Direction::Upgrade, vec![]),
        step("0a6c9e3f5b71", Direction::Upgrade, vec![]),
    ];
    let first = "CREATE TABLE notes (id INTEGER PRIMARY KEY);";
    let second = "INSERT INTO notes VALUES (1);\
                  INSERT INTO sessions (id, user_id, expires_at) VALUES ('new', 7, '2030-01-01');";
    let mut completed = Vec::new();
    let error = database
        .apply_steps(
            &steps,
            |step| {
                Ok(if step.revision == "f17b8d2e4c90" {
                    first
                } else {
                    second
                })
            },
            |report| completed.push(report.step.revision.clone()),
        )
        .expect_err("step 2 adds an orphan");
    assert_eq!(completed, vec!["f17b8d2e4c90"]);
    assert!(error.to_string().contains("0a6c9e3f5b71"), "{error}");
    assert!(error.to_string().contains("sessions row 2"), "{error}");
    let notes: i64 = database
        .connection()
        .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
        .expect("step 1 kept");
    assert_eq!(notes, 0, "step 2 rolled back");
}

#[test]
fn a_step_beside_old_violations_runs_once_in_the_result() {
    // The step is rolled back and run again when its first check finds the old orphan; its
    // effects must be there exactly once.
    let mut database = with_an_orphan_session();
    let steps = vec![step("f17b8d2e4c90", Direction::Upgrade, vec![])];
    let sql = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\
               INSERT INTO notes (body) VALUES ('once');";
    let mut reports = 0;
    database
        .apply_steps(&steps, |_| Ok(sql), |_| reports += 1)
        .expect("the old orphan does not block the step");
    assert_eq!(reports, 1);
    let notes: i64 = database
        .connection()
        .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
        .expect("count");
    assert_eq!(notes, 1);
    let orphans: i64 = database
        .connection()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })
        .expect("check");
    assert_eq!(orphans, 1, "the old orphan is still there, nothing new");
}

#[test]
fn steps_do_not_run_integrity_check_but_the_database_reports_it() {
    // A damaging step (an index whose definition no longer matches its entries) completes: the
    // check runs once before a file leaves (CLI write, page download), not after every step.
    let mut database = upgraded_to("e9a4c6b1d358");
    let steps = vec![step("f17b8d2e4c90", Direction::Upgrade, vec![])];
    let sql = "CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_a ON t (a);\
               INSERT INTO t VALUES (1, 10), (2, 20);\
               PRAGMA writable_schema = ON;\
               UPDATE sqlite_master SET sql = 'CREATE INDEX t_a ON t (b)' WHERE name = 't_a';\
               PRAGMA writable_schema = RESET;";
    assert_eq!(
        database.integrity_problems().expect("check"),
        Vec::<String>::new()
    );
    database
        .apply_steps(&steps, |_| Ok(sql), |_| {})
        .expect("no per-step integrity_check");
    assert_eq!(
        database.integrity_problems().expect("check"),
        vec![
            "row 1 missing from index t_a",
            "row 2 missing from index t_a"
        ]
    );
}
