//! Property: for random sequences of upgrade, downgrade and stamp on populated databases,
//! - `integrity_check` stays ok and no step leaves a new foreign key violation;
//! - a stamp changes nothing but `alembic_version`;
//! - a table no migration knows (`keepsake`, odd values) is never changed;
//! - when the schema is what the recorded revision says (so the migrations run where they were
//!   written for), every row of every table that exists before and after keeps its values in
//!   every column that exists before and after, except the two columns ContentEngine's data
//!   migrations rewrite on purpose (`posts.is_demo` on upgrade, `posts.status` on downgrade).
//!
//! Failed commands count too: whatever they leave must satisfy the same. 200 cases by default
//! (about 10 s; PROPTEST_CASES overrides).

use std::collections::BTreeMap;

use content_db::{Database, History};
use proptest::prelude::*;

/// Revisions and the words Alembic accepts for targets.
const TARGETS: &[&str] = &[
    "4f2a9c1e7b3d",
    "b81d3e5f0a27",
    "c3e7a1d9f482",
    "d5f0b2c8e614",
    "e9a4c6b1d358",
    "f17b8d2e4c90",
    "0a6c9e3f5b71",
    "head",
    "heads",
    "base",
    "+1",
    "-1",
    "+2",
    "-2",
    "c3e7",
    "b81d+1",
    "0a6c-2",
];

/// Columns the migrations rewrite on purpose (data migrations), as `table.column`.
const REWRITTEN: &[&str] = &["posts.is_demo", "posts.status"];

#[derive(Debug, Clone)]
enum Command {
    Upgrade(&'static str),
    Downgrade(&'static str),
    Stamp(&'static str, bool),
    /// Add more rows to whatever tables exist now.
    Populate(Values),
}

/// Values for new rows: text (NULs included), raw bytes stored as text and as blobs.
#[derive(Debug, Clone)]
struct Values {
    texts: Vec<String>,
    bytes: Vec<Vec<u8>>,
}

fn values() -> impl Strategy<Value = Values> {
    (
        proptest::collection::vec(any::<String>(), 1..4),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..4),
    )
        .prop_map(|(texts, bytes)| Values { texts, bytes })
}

fn command() -> impl Strategy<Value = Command> {
    let target = proptest::sample::select(TARGETS);
    prop_oneof![
        3 => target.clone().prop_map(Command::Upgrade),
        3 => target.clone().prop_map(Command::Downgrade),
        2 => (target, any::<bool>()).prop_map(|(target, purge)| Command::Stamp(target, purge)),
        1 => values().prop_map(Command::Populate),
    ]
}

/// Every table's rows by rowid: column name → (storage class, exact bytes).
type Snapshot = BTreeMap<String, BTreeMap<i64, BTreeMap<String, (String, Option<Vec<u8>>)>>>;

fn snapshot(conn: &rusqlite::Connection) -> Snapshot {
    let mut tables = Snapshot::new();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .expect("list tables");
    for name in names {
        let sql = format!("SELECT rowid AS \"@rowid\", * FROM \"{name}\"");
        let mut statement = conn.prepare(&sql).expect("prepare");
        let columns: Vec<String> = statement.column_names().map(str::to_string).collect();
        let mut rows = statement.query([]).expect("query");
        let mut table = BTreeMap::new();
        while let Some(row) = rows.next().expect("row") {
            let rowid: i64 = row.get(0).expect("rowid");
            let mut values = BTreeMap::new();
            for (index, column) in columns.iter().enumerate().skip(1) {
                let value = row.get_ref(index).expect("value");
                let bytes = match value {
                    rusqlite::types::ValueRef::Null => None,
                    rusqlite::types::ValueRef::Integer(n) => Some(n.to_be_bytes().to_vec()),
                    rusqlite::types::ValueRef::Real(n) => Some(n.to_be_bytes().to_vec()),
                    rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                        Some(b.to_vec())
                    }
                };
                values.insert(column.clone(), (format!("{:?}", value.data_type()), bytes));
            }
            table.insert(rowid, values);
        }
        tables.insert(name, table);
    }
    tables
}

/// Whether `table` exists and has `column`.
fn has_column(conn: &rusqlite::Connection, table: &str, column: &str) -> bool {
    conn.prepare(&format!("SELECT \"{column}\" FROM \"{table}\" LIMIT 0"))
        .is_ok()
}

/// Adds a few rows to each ContentEngine table that exists, using only the columns it has, and
/// to `keepsake`. Rows the schema refuses (e.g. a CHECK) are skipped: populating is not under
/// test.
fn populate(conn: &rusqlite::Connection, values: &Values) {
    let exec = |sql: &str, params: &[&dyn rusqlite::ToSql]| {
        let _ = conn.execute(sql, params);
    };
    for (index, text) in values.texts.iter().enumerate() {
        let bytes = &values.bytes[index % values.bytes.len()];
        exec(
            "INSERT INTO keepsake (note, payload, raw) VALUES (?1, ?2, CAST(?2 AS TEXT))",
            &[text, bytes],
        );
        if has_column(conn, "users", "id") {
            exec(
                "INSERT INTO users (linkedin_sub, email, name) VALUES (hex(randomblob(8)), ?1, CAST(?2 AS TEXT))",
                &[text, bytes],
            );
        }
        let user: Option<i64> = conn
            .query_row("SELECT max(id) FROM users", [], |row| row.get(0))
            .unwrap_or(None);
        if let Some(user) = user {
            exec(
                "INSERT INTO sessions (id, user_id, expires_at) VALUES (hex(randomblob(8)), ?1, '2030-01-01')",
                &[&user],
            );
            exec(
                "INSERT INTO chat_messages (user_id, role, content) VALUES (?1, 'user', ?2)",
                &[&user, text],
            );
        }
        let status = ["scheduled", "draft", "posted", "failed"][(index + text.len()) % 4];
        let external = if index % 2 == 0 { "demo-1" } else { "real-1" };
        if has_column(conn, "posts", "user_id") {
            exec(
                "INSERT INTO posts (content, platform, status, external_id, user_id) VALUES (?1, 'linkedin', ?2, ?3, ?4)",
                &[text, &status, &external, &user],
            );
        } else {
            exec(
                "INSERT INTO posts (content, platform, status, external_id) VALUES (?1, 'x', ?2, ?3)",
                &[bytes, &status, &external],
            );
        }
        exec(
            "INSERT INTO oauth_tokens (platform, access_token) VALUES (?1, ?2)",
            &[&format!("p{index}-{}", text.len()), text],
        );
    }
}

/// Whether the schema (without `keepsake`) is what the recorded revisions should have.
fn consistent(database: &Database, history: &History) -> bool {
    let rows = database.current_versions().expect("rows");
    let Ok(expected) = Database::expected_schema_at(history, &rows) else {
        return false;
    };
    let mut actual = database.schema().expect("schema");
    actual.tables.remove("keepsake");
    content_db::schema::diff(&expected, &actual).is_empty()
}

fn integrity_ok(conn: &rusqlite::Connection) -> bool {
    conn.query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0))
        .is_ok_and(|text| text == "ok")
}

fn foreign_key_violations(conn: &rusqlite::Connection) -> usize {
    conn.prepare("PRAGMA foreign_key_check")
        .and_then(|mut statement| Ok(statement.query_map([], |_| Ok(()))?.count()))
        .expect("foreign_key_check")
}

/// Runs one command; a refusal or a failing step is an acceptable outcome.
fn run(database: &mut Database, history: &History, command: &Command) {
    let rows = database.current_versions().expect("rows");
    let plan = match command {
        Command::Upgrade(target) => history.plan_upgrade(&rows, target),
        Command::Downgrade(target) => history.plan_downgrade(&rows, target),
        Command::Stamp(target, purge) => history.plan_stamp(&rows, target, *purge),
        Command::Populate(values) => {
            populate(database.connection(), values);
            return;
        }
    };
    if let Ok(plan) = plan {
        let _ = database.apply(history, &plan, |_| {});
    }
}

/// Checks the property for one command from `before` to `after`.
fn check(
    command: &Command,
    was_consistent: bool,
    before: &Snapshot,
    after: &Snapshot,
) -> Result<(), TestCaseError> {
    if matches!(command, Command::Populate(_)) {
        return Ok(());
    }
    prop_assert_eq!(&before["keepsake"], &after["keepsake"], "keepsake changed");
    match command {
        Command::Populate(_) => return Ok(()),
        Command::Stamp(..) => {
            let without_versions = |snapshot: &Snapshot| {
                let mut copy = snapshot.clone();
                copy.remove("alembic_version");
                copy
            };
            prop_assert_eq!(without_versions(before), without_versions(after));
            return Ok(());
        }
        _ if !was_consistent => return Ok(()),
        _ => {}
    }
    for (table, old_rows) in before {
        let Some(new_rows) = after.get(table) else {
            continue; // dropped by a downgrade or upgrade on purpose
        };
        if table == "alembic_version" {
            continue;
        }
        prop_assert_eq!(
            old_rows.keys().collect::<Vec<_>>(),
            new_rows.keys().collect::<Vec<_>>(),
            "rows of {} added or lost",
            table
        );
        for (rowid, old_values) in old_rows {
            let new_values = &new_rows[rowid];
            for (column, old_value) in old_values {
                if REWRITTEN.contains(&format!("{table}.{column}").as_str()) {
                    continue;
                }
                if let Some(new_value) = new_values.get(column) {
                    prop_assert_eq!(
                        old_value,
                        new_value,
                        "{}.{} of row {}",
                        table,
                        column,
                        rowid
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(200),
        // Failures are reported with the minimal input; no regression files in the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_commands_keep_data_and_integrity(
        start in proptest::sample::select(&TARGETS[..7]),
        first_values in values(),
        commands in proptest::collection::vec(command(), 1..8),
    ) {
        let history = History::embedded().expect("history");
        let mut database = Database::new_empty().expect("new");
        database
            .connection()
            .execute_batch("CREATE TABLE keepsake (id INTEGER PRIMARY KEY, note TEXT, payload BLOB, raw TEXT)")
            .expect("keepsake");
        let plan = history.plan_upgrade(&[], start).expect("plan");
        database.apply(history, &plan, |_| {}).expect("start");
        populate(database.connection(), &first_values);
        for command in &commands {
            let was_consistent = consistent(&database, history);
            let violations = foreign_key_violations(database.connection());
            let before = snapshot(database.connection());
            run(&mut database, history, command);
            let after = snapshot(database.connection());
            prop_assert!(integrity_ok(database.connection()), "integrity after {:?}", command);
            if !matches!(command, Command::Populate(_)) {
                prop_assert!(
                    foreign_key_violations(database.connection()) <= violations,
                    "new foreign key violations after {:?}", command
                );
            }
            check(command, was_consistent, &before, &after)?;
        }
    }
}
