//! content-db against real Alembic (the oracle), on ContentEngine's own Alembic project:
//! the same schema at every revision, the same rows after every step of a populated database,
//! files handed from one tool to the other and back, and failing steps that change nothing.

#![cfg(not(target_arch = "wasm32"))] // runs real Alembic and Python: native only

mod common;

use common::{alembic_ok, dump_schema};
use content_db::db::DbError;
use content_db::migrations::EMBEDDED_MIGRATIONS;
use content_db::{Database, History};
use rusqlite::types::Value;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// ContentEngine's revisions in the order `alembic upgrade head` runs them.
const UPGRADE_ORDER: [&str; 7] = [
    "4f2a9c1e7b3d",
    "b81d3e5f0a27",
    "d5f0b2c8e614",
    "c3e7a1d9f482",
    "e9a4c6b1d358",
    "f17b8d2e4c90",
    "0a6c9e3f5b71",
];
const HEAD: &str = "0a6c9e3f5b71";

fn history() -> &'static History {
    History::embedded().expect("the embedded history parses")
}

/// `reference/<rev>.json` without its `"sql"` part.
fn reference(revision: &str) -> serde_json::Value {
    let path = common::contentengine_dir()
        .join("reference")
        .join(format!("{revision}.json"));
    let text = std::fs::read_to_string(&path).expect("reference file");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    json.as_object_mut().expect("object").remove("sql");
    json
}

/// Opens `path` (or a new database when it does not exist), runs `alembic upgrade|downgrade
/// TARGET` with content-db, and writes the result back.
fn content_db_migrate(path: &Path, upgrade: bool, target: &str) {
    let mut database = if path.exists() {
        Database::open_path(path).expect("content-db opens the file")
    } else {
        Database::new_empty().expect("new database")
    };
    let current = database.current_versions().expect("versions");
    let plan = if upgrade {
        history().plan_upgrade(&current, target)
    } else {
        history().plan_downgrade(&current, target)
    }
    .unwrap_or_else(|error| panic!("plan to {target} from {current:?}: {error}"));
    database
        .apply(history(), &plan, |_| {})
        .unwrap_or_else(|error| panic!("content-db to {target}: {error}"));
    std::fs::write(path, database.to_bytes().expect("bytes")).expect("write file");
}

/// Every table's rows, sorted by primary key (rowid when there is none), values typed.
fn table_rows(path: &Path) -> BTreeMap<String, Vec<Vec<Value>>> {
    let conn = Connection::open(path).expect("open with rusqlite");
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    let mut all = BTreeMap::new();
    for name in names {
        let pk: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
            .expect("prepare")
            .query_map([&name], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("pk");
        let order = if pk.is_empty() {
            "rowid".to_string()
        } else {
            pk.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut statement = conn
            .prepare(&format!("SELECT * FROM \"{name}\" ORDER BY {order}"))
            .expect("prepare");
        let width = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                (0..width).map(|i| row.get::<_, Value>(i)).collect()
            })
            .expect("query")
            .collect::<Result<Vec<Vec<Value>>, _>>()
            .expect("rows");
        all.insert(name, rows);
    }
    all
}

/// Asserts that two files hold the same schema (dump_schema.py) and the same rows.
fn assert_same_files(ours: &Path, alembics: &Path, context: &str) {
    assert_eq!(
        dump_schema(ours),
        dump_schema(alembics),
        "schema differs {context}"
    );
    assert_eq!(
        table_rows(ours),
        table_rows(alembics),
        "rows differ {context}"
    );
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn every_revision_from_empty_matches_the_reference_and_live_alembic() {
    let dir = scratch();
    for revision in UPGRADE_ORDER {
        let ours = dir.path().join(format!("ours-{revision}.db"));
        let alembics = dir.path().join(format!("alembic-{revision}.db"));
        content_db_migrate(&ours, true, revision);
        alembic_ok(&alembics, &["upgrade", revision]);
        let dumped = dump_schema(&ours);
        assert_eq!(
            dumped,
            reference(revision),
            "content-db vs reference at {revision}"
        );
        assert_eq!(
            dumped,
            dump_schema(&alembics),
            "content-db vs Alembic at {revision}"
        );
        // Our own read-back gives the script's JSON for the same file.
        let read_back = Database::open_path(&ours)
            .expect("open")
            .schema()
            .expect("schema");
        assert_eq!(
            serde_json::to_value(read_back).expect("JSON"),
            dumped,
            "Database::schema vs dump_schema.py at {revision}"
        );
    }
}

/// Rows a ContentEngine database could hold at `revision`, as SQL (ids are unique per revision).
fn seed_sql(revision: &str) -> &'static str {
    match revision {
        "4f2a9c1e7b3d" => {
            "INSERT INTO posts (id, content, platform, status, posted_at, external_id, error_message) VALUES
               (1, 'Hello, world', 'linkedin', 'posted', '2025-01-07 10:00:00', 'urn:li:share:1', NULL),
               (2, 'Démo — 日本語 ✓ emoji 🚀', 'linkedin', 'draft', NULL, 'demo-001', NULL),
               (3, 'failed one', 'x', 'failed', NULL, NULL, 'HTTP 429: rate limited'),
               (4, 'Demo in capitals', 'linkedin', 'draft', NULL, 'DEMO-002', NULL),
               (5, 'not quite demo', 'linkedin', 'draft', NULL, 'xdemo-3', '');
             INSERT INTO posts (id, content, platform) SELECT 6, group_concat('long text ', ''), 'linkedin'
               FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT i FROM n);
             INSERT INTO oauth_tokens (id, platform, access_token, refresh_token, expires_at) VALUES
               (1, 'linkedin', 'AQX-token-ä', 'refresh-1', '2025-03-01 00:00:00'),
               (2, 'x', 'tok-2', NULL, NULL);"
        }
        "b81d3e5f0a27" => {
            "INSERT INTO users (id, linkedin_sub, email, name, profile_picture_url, access_token, created_at) VALUES
               (1, 'sub-ünïcode', 'ana@example.com', 'Ana Łukasiewicz', 'https://example.com/a.png', 'tok', '2025-02-12 08:00:00'),
               (2, 'sub-2', NULL, NULL, NULL, NULL, '2025-02-12 09:00:00');
             INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES
               ('0b6e7c1e-1111-4e2b-9c1a-000000000001', 1, '2025-02-12 08:00:00', '2025-03-12 08:00:00'),
               ('0b6e7c1e-1111-4e2b-9c1a-000000000002', 2, '2025-02-12 09:00:00', '2025-03-12 09:00:00');
             INSERT INTO posts (id, content, platform, external_id) VALUES (7, 'after users', 'linkedin', 'demo-007');"
        }
        "d5f0b2c8e614" => {
            "INSERT INTO oauth_tokens (id, platform, access_token, user_sub, user_email) VALUES
               (3, 'linkedin', 'tok-3', 'sub-ünïcode', 'ana@example.com'),
               (4, 'linkedin', 'tok-4', NULL, NULL),
               (5, 'linkedin', 'tok-5', NULL, 'nobody@example.com');"
        }
        "c3e7a1d9f482" => {
            "INSERT INTO posts (id, content, platform, user_id, is_demo, external_id) VALUES
               (8, 'owned', 'linkedin', 1, 0, NULL),
               (9, 'owned demo', 'linkedin', 2, 1, 'demo-009');
             UPDATE posts SET user_id = 1 WHERE id IN (1, 2);"
        }
        "f17b8d2e4c90" => {
            "INSERT INTO chat_messages (id, user_id, role, content, created_at) VALUES
               (1, 1, 'user', 'Write a post about Rust 🦀', '2025-04-18 10:00:00'),
               (2, 1, 'assistant', 'Sure!\nHere is a draft…', '2025-04-18 10:00:05'),
               (3, 2, 'system', '', '2025-04-18 11:00:00');"
        }
        HEAD => {
            "INSERT INTO posts (id, content, platform, status, user_id, scheduled_at, external_id) VALUES
               (10, 'scheduled for later', 'linkedin', 'scheduled', 1, '2026-01-01 10:00:00', NULL),
               (11, 'scheduled demo', 'linkedin', 'scheduled', NULL, '2026-02-01 10:00:00', 'demo-011');
             UPDATE posts SET scheduled_at = '2025-12-24 18:00:00' WHERE id = 3;"
        }
        _ => "",
    }
}

fn seed(path: &Path, revision: &str) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(seed_sql(revision))
        .unwrap_or_else(|error| panic!("seed at {revision}: {error}"));
}

/// Runs one command with both tools on identical copies and compares the results; the next
/// round continues from content-db's file.
fn both_tools(dir: &Path, ours: &Path, upgrade: bool, target: &str) {
    let alembics: PathBuf = dir.join("alembic.db");
    std::fs::copy(ours, &alembics).expect("copy");
    content_db_migrate(ours, upgrade, target);
    let verb = if upgrade { "upgrade" } else { "downgrade" };
    alembic_ok(&alembics, &[verb, target]);
    assert_same_files(ours, &alembics, &format!("after {verb} {target}"));
}

#[test]
fn populated_database_step_by_step_up_and_down_matches_alembic() {
    let dir = scratch();
    let ours = dir.path().join("content.db");
    content_db_migrate(&ours, true, UPGRADE_ORDER[0]);
    seed(&ours, UPGRADE_ORDER[0]);
    for target in &UPGRADE_ORDER[1..] {
        both_tools(dir.path(), &ours, true, target);
        seed(&ours, target);
    }
    // The data migrations did their part on the way up.
    let conn = Connection::open(&ours).expect("open");
    let demo: Vec<i64> = conn
        .prepare("SELECT id FROM posts WHERE is_demo = 1 ORDER BY id")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids");
    assert_eq!(
        demo,
        vec![2, 4, 7, 9],
        "LIKE 'demo-%' is case-insensitive in SQLite"
    );
    drop(conn);
    for target in [
        "f17b8d2e4c90",
        "e9a4c6b1d358",
        "c3e7a1d9f482",
        "b81d3e5f0a27",
        "4f2a9c1e7b3d",
        "base",
    ] {
        both_tools(dir.path(), &ours, false, target);
    }
}

#[test]
fn files_content_db_wrote_continue_in_alembic() {
    let dir = scratch();
    for revision in UPGRADE_ORDER {
        let path = dir.path().join(format!("{revision}.db"));
        content_db_migrate(&path, true, revision);
        let current = alembic_ok(&path, &["current"]);
        assert!(
            current.contains(revision),
            "alembic current at {revision}: {current}"
        );
        alembic_ok(&path, &["upgrade", "head"]);
        let check = alembic_ok(&path, &["check"]);
        assert!(
            check.contains("No new upgrade operations detected."),
            "alembic check after {revision}: {check}"
        );
        assert_eq!(dump_schema(&path), reference(HEAD));
        alembic_ok(&path, &["downgrade", "base"]);
        let schema = dump_schema(&path);
        assert_eq!(schema["alembic_version"], serde_json::json!([]));
        assert_eq!(schema["tables"].as_object().expect("tables").len(), 1);
    }
}

#[test]
fn files_alembic_wrote_continue_in_content_db() {
    let dir = scratch();
    for revision in UPGRADE_ORDER {
        let path = dir.path().join(format!("{revision}.db"));
        alembic_ok(&path, &["upgrade", revision]);
        let database = Database::open_path(&path).expect("content-db opens Alembic's file");
        assert_eq!(database.current_versions().expect("rows"), vec![revision]);
        content_db_migrate(&path, true, "head");
        assert_eq!(dump_schema(&path), reference(HEAD), "head after {revision}");
        content_db_migrate(&path, false, "base");
        let schema = dump_schema(&path);
        assert_eq!(
            schema["alembic_version"],
            serde_json::json!([]),
            "base after {revision}"
        );
        assert_eq!(schema["tables"].as_object().expect("tables").len(), 1);
        // Alembic takes the file back at base.
        alembic_ok(&path, &["upgrade", "head"]);
        assert_eq!(dump_schema(&path), reference(HEAD));
    }
}

/// The embedded migrations with the upgrade section of `f17b8d2e4c90` replaced by `sql`.
fn history_with_broken_chat_upgrade(sql: &str) -> History {
    let files: Vec<(String, String)> = EMBEDDED_MIGRATIONS
        .iter()
        .map(|(name, text)| {
            let text = if name.starts_with("f17b8d2e4c90") {
                let (head, rest) = text.split_once("-- migrate:up").expect("up");
                let (_, down) = rest.split_once("-- migrate:down").expect("down");
                format!("{head}-- migrate:up\n{sql}\n\n-- migrate:down{down}")
            } else {
                text.to_string()
            };
            (format!("migrations/{name}"), text)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    History::from_files(&borrowed).expect("the edited history parses")
}

fn failing_upgrade_changes_nothing(broken_sql: &str, failing_statement: &str) {
    let dir = scratch();
    let path = dir.path().join("content.db");
    content_db_migrate(&path, true, "e9a4c6b1d358");
    for revision in &UPGRADE_ORDER[..5] {
        seed(&path, revision);
    }
    let before = std::fs::read(&path).expect("read");
    let history = history_with_broken_chat_upgrade(broken_sql);
    let mut database = Database::open_path(&path).expect("open");
    let plan = history
        .plan_upgrade(&database.current_versions().expect("rows"), "head")
        .expect("plan");
    let mut completed = Vec::new();
    let error = database
        .apply(&history, &plan, |step| {
            completed.push(step.step.revision.clone())
        })
        .expect_err("the broken step fails");
    assert!(completed.is_empty(), "no step completed: {completed:?}");
    match &error {
        DbError::StepFailed {
            revision,
            direction,
            statement,
            ..
        } => {
            assert_eq!(
                (revision.as_str(), direction.as_str(), statement.as_str()),
                ("f17b8d2e4c90", "upgrade", failing_statement)
            );
        }
        other => panic!("unexpected error: {other}"),
    }
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["e9a4c6b1d358"]
    );
    let after = database.to_bytes().expect("bytes");
    assert_eq!(after, before, "byte-identical to the file before the step");
}

#[test]
fn a_step_failing_at_its_first_statement_changes_nothing() {
    failing_upgrade_changes_nothing(
        "INSERT INTO chat_history SELECT * FROM chat;\nCREATE TABLE chat_messages (id INTEGER);",
        "INSERT INTO chat_history SELECT * FROM chat",
    );
}

#[test]
fn a_step_failing_at_a_middle_statement_changes_nothing() {
    failing_upgrade_changes_nothing(
        "CREATE TABLE chat_messages (id INTEGER NOT NULL, user_id INTEGER NOT NULL);\n\
         DELETE FROM sessions;\n\
         INSERT INTO chat_messages (id, user_id) SELECT id, NULL FROM users;\n\
         DROP TABLE posts;",
        "INSERT INTO chat_messages (id, user_id) SELECT id, NULL FROM users",
    );
}

#[test]
fn a_step_failing_at_its_last_statement_changes_nothing() {
    failing_upgrade_changes_nothing(
        "CREATE TABLE chat_messages (id INTEGER);\nDROP TABLE posts;\nUPDATE users SET name = 'x';\n\
         CREATE INDEX ix_chat ON chat_messages (no_such_column);",
        "CREATE INDEX ix_chat ON chat_messages (no_such_column)",
    );
}

#[test]
fn a_step_that_breaks_a_foreign_key_is_rolled_back() {
    let dir = scratch();
    let path = dir.path().join("content.db");
    content_db_migrate(&path, true, "e9a4c6b1d358");
    let before = std::fs::read(&path).expect("read");
    let history = history_with_broken_chat_upgrade(
        "CREATE TABLE chat_messages (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n\
         INSERT INTO chat_messages VALUES (1, 404);",
    );
    let mut database = Database::open_path(&path).expect("open");
    let plan = history
        .plan_upgrade(&database.current_versions().expect("rows"), "head")
        .expect("plan");
    let error = database
        .apply(&history, &plan, |_| {})
        .expect_err("violation");
    assert!(
        matches!(&error, DbError::CheckFailed { check, .. } if check == "foreign_key_check"),
        "{error}"
    );
    assert_eq!(database.to_bytes().expect("bytes"), before);
}

#[test]
fn expected_schema_replays_the_history_like_alembic() {
    for revision in UPGRADE_ORDER {
        let expected =
            Database::expected_schema_at(history(), &[revision.to_string()]).expect("replay");
        assert_eq!(
            serde_json::to_value(&expected).expect("JSON"),
            reference(revision),
            "expected schema at {revision}"
        );
    }
    // Both branch heads applied: no reference file, so live Alembic is the oracle.
    let dir = scratch();
    let both = dir.path().join("both.db");
    alembic_ok(&both, &["upgrade", "c3e7a1d9f482"]);
    alembic_ok(&both, &["upgrade", "d5f0b2c8e614"]);
    let expected = Database::expected_schema_at(
        history(),
        &["c3e7a1d9f482".to_string(), "d5f0b2c8e614".to_string()],
    )
    .expect("replay both branches");
    assert_eq!(
        serde_json::to_value(&expected).expect("JSON"),
        dump_schema(&both)
    );
    // No revisions: what `downgrade base` leaves, an empty alembic_version.
    let base = dir.path().join("base.db");
    alembic_ok(&base, &["upgrade", "head"]);
    alembic_ok(&base, &["downgrade", "base"]);
    let expected = Database::expected_schema_at(history(), &[]).expect("replay nothing");
    assert_eq!(
        serde_json::to_value(&expected).expect("JSON"),
        dump_schema(&base)
    );
}

#[test]
fn a_hand_altered_file_is_described_in_words() {
    let dir = scratch();
    let path = dir.path().join("content.db");
    alembic_ok(&path, &["upgrade", HEAD]);
    Connection::open(&path)
        .expect("open")
        .execute_batch(
            "ALTER TABLE posts ADD COLUMN foo TEXT;\
             DROP INDEX ix_posts_status;\
             CREATE INDEX ix_extra ON users (email);",
        )
        .expect("alter by hand");
    let database = Database::open_path(&path).expect("open");
    let expected =
        Database::expected_schema_at(history(), &database.current_versions().expect("rows"))
            .expect("replay");
    let differences: Vec<String> =
        content_db::schema::diff(&expected, &database.schema().expect("schema"))
            .iter()
            .map(ToString::to_string)
            .collect();
    assert_eq!(
        differences,
        vec![
            "posts has an extra column `foo TEXT`",
            "index ix_posts_status on posts is missing",
            "users has an extra index ix_extra",
        ]
    );
}

#[test]
fn a_zero_byte_file_is_a_new_database_for_both_tools() {
    let dir = scratch();
    let ours = dir.path().join("ours.db");
    let alembics = dir.path().join("alembic.db");
    std::fs::write(&ours, b"").expect("touch");
    std::fs::write(&alembics, b"").expect("touch");
    content_db_migrate(&ours, true, "head");
    alembic_ok(&alembics, &["upgrade", "head"]);
    assert_same_files(&ours, &alembics, "after upgrade head from a 0-byte file");
}

#[test]
fn both_branch_heads_applied_hand_over_in_both_directions() {
    let dir = scratch();
    // content-db → Alembic
    let ours = dir.path().join("ours.db");
    content_db_migrate(&ours, true, "c3e7a1d9f482");
    content_db_migrate(&ours, true, "d5f0b2c8e614");
    let current = alembic_ok(&ours, &["current"]);
    assert!(
        current.contains("c3e7a1d9f482") && current.contains("d5f0b2c8e614"),
        "alembic current: {current}"
    );
    alembic_ok(&ours, &["upgrade", "head"]);
    assert_eq!(dump_schema(&ours), reference(HEAD));
    // Alembic → content-db, with the rows in the order Alembic wrote them.
    let alembics = dir.path().join("alembic.db");
    alembic_ok(&alembics, &["upgrade", "d5f0b2c8e614"]);
    alembic_ok(&alembics, &["upgrade", "c3e7a1d9f482"]);
    let database = Database::open_path(&alembics).expect("open");
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["d5f0b2c8e614", "c3e7a1d9f482"]
    );
    content_db_migrate(&alembics, true, "heads");
    assert_eq!(dump_schema(&alembics), reference(HEAD));
}

#[test]
fn alembic_version_has_alembics_exact_create_text() {
    let dir = scratch();
    let ours = dir.path().join("ours.db");
    content_db_migrate(&ours, true, "4f2a9c1e7b3d");
    let ours_sql: String = Connection::open(&ours)
        .expect("open")
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'",
            [],
            |row| row.get(0),
        )
        .expect("table");
    let path = common::contentengine_dir().join("reference/4f2a9c1e7b3d.json");
    let raw: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    assert_eq!(
        raw["sql"]["table:alembic_version"].as_str(),
        Some(ours_sql.as_str())
    );
}

#[test]
fn schema_read_back_matches_dump_schema_on_unusual_schemas() {
    let dir = scratch();
    let path = dir.path().join("odd.db");
    Connection::open(&path)
        .expect("create")
        .execute_batch(
            "CREATE TABLE \"Odd Name\" (\"the id\" integer primary key autoincrement, v text default (1 + 2), w);
             CREATE TABLE parent (a INT, b INT, PRIMARY KEY (a, b)) WITHOUT ROWID;
             CREATE TABLE child (x INT, y INT, z INT REFERENCES parent,
                 CONSTRAINT fk_pair FOREIGN KEY (x, y) REFERENCES parent (a, b) ON UPDATE CASCADE,
                 CONSTRAINT \"ck_q\" CHECK (x > 0), constraint ck_lower check ( (y) <> 'a)b' ));
             CREATE UNIQUE INDEX ix_expr ON child (lower(z), x DESC) WHERE z IS NOT NULL;
             CREATE INDEX \"ix spaced\" ON \"Odd Name\" (v COLLATE NOCASE);
             CREATE VIEW v_child AS SELECT * FROM child;
             CREATE TRIGGER t_child AFTER INSERT ON child BEGIN SELECT 1; END;
             INSERT INTO \"Odd Name\" (v) VALUES ('x');",
        )
        .expect("odd schema");
    let ours = Database::open_path(&path)
        .expect("open")
        .schema()
        .expect("schema");
    assert_eq!(
        serde_json::to_value(ours).expect("JSON"),
        dump_schema(&path)
    );
}
