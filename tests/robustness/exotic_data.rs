//! Values SQLite allows but text tools mangle survive every migration byte for byte: text with
//! NULs, text that is not valid UTF-8, 10 MB blobs (in a column the migrations rebuild and in a
//! table of their own), and a table with a 20,000-character name full of quotes and spaces.

use std::path::Path;

use content_db::{Database, History};

use crate::common::*;
use crate::scratch::*;

const HEAD: &str = "0a6c9e3f5b71";
/// The first revision: `posts` exists there, so it is rebuilt on the way down and up again.
const FIRST: &str = "4f2a9c1e7b3d";
const TEN_MB: usize = 10 * 1024 * 1024;

/// A table name SQLite accepts but a careless quoting would break.
fn huge_name() -> String {
    let mut name = String::from("odd \"name\" 'with' [brackets] ; DROP TABLE posts; -- ");
    while name.len() < 20_000 {
        name.push_str("ünïcødé ⊕ ");
    }
    name
}

/// SQL that stores the odd values in `posts` and in the huge-named table.
fn odd_values_sql() -> String {
    let quoted = format!("\"{}\"", huge_name().replace('"', "\"\""));
    format!(
        "INSERT INTO posts (id, content, platform, status) VALUES
            (101, 'nul' || char(0) || 'inside', 'linkedin', 'draft'),
            (102, CAST(x'fffe0041c32880' AS TEXT), 'x', 'posted'),
            (103, zeroblob({TEN_MB}), 'linkedin', 'failed');
         UPDATE posts SET content = randomblob({TEN_MB}) WHERE id = 103;
         CREATE TABLE {quoted} (\"weird \"\" column\" BLOB, t TEXT);
         INSERT INTO {quoted} VALUES (randomblob({TEN_MB}), 'a' || char(0) || 'b'),
                                     (x'', CAST(x'808182' AS TEXT)), (NULL, '');"
    )
}

/// Every value of the columns that exist at every revision, as (storage class, exact bytes).
fn snapshot(conn: &rusqlite::Connection) -> Vec<(String, Option<Vec<u8>>)> {
    let quoted = format!("\"{}\"", huge_name().replace('"', "\"\""));
    let mut values = Vec::new();
    let queries = [
        "SELECT id, content, platform, status, external_id FROM posts ORDER BY id".to_string(),
        format!("SELECT rowid, \"weird \"\" column\", t FROM {quoted} ORDER BY rowid"),
    ];
    for sql in queries {
        let mut statement = conn.prepare(&sql).expect("prepare");
        let columns = statement.column_count();
        let mut rows = statement.query([]).expect("query");
        while let Some(row) = rows.next().expect("row") {
            for index in 0..columns {
                let value = row.get_ref(index).expect("value");
                let class = format!("{:?}", value.data_type());
                let bytes = match value {
                    rusqlite::types::ValueRef::Null => None,
                    rusqlite::types::ValueRef::Integer(number) => {
                        Some(number.to_be_bytes().to_vec())
                    }
                    rusqlite::types::ValueRef::Real(number) => Some(number.to_be_bytes().to_vec()),
                    rusqlite::types::ValueRef::Text(bytes)
                    | rusqlite::types::ValueRef::Blob(bytes) => Some(bytes.to_vec()),
                };
                values.push((class, bytes));
            }
        }
    }
    values
}

/// Moves the database along `targets` (downgrade when the target is FIRST).
fn travel(database: &mut Database, history: &History, targets: &[&str]) {
    for target in targets {
        let rows = database.current_versions().expect("rows");
        let plan = if *target == FIRST {
            history.plan_downgrade(&rows, target)
        } else {
            history.plan_upgrade(&rows, target)
        }
        .expect("plan");
        database.apply(history, &plan, |_| {}).expect("migrate");
    }
}

#[test]
fn odd_values_survive_a_round_trip_byte_exactly() {
    let history = History::embedded().expect("history");
    let mut database = Database::new_empty().expect("new");
    travel(&mut database, history, &[HEAD]);
    database
        .connection()
        .execute_batch(&odd_values_sql())
        .expect("store the odd values");
    let before = snapshot(database.connection());
    assert!(before.iter().any(|(class, bytes)| class == "Blob"
        && bytes.as_ref().is_some_and(|bytes| bytes.len() == TEN_MB)));
    travel(&mut database, history, &[FIRST, HEAD, FIRST, HEAD]);
    assert_eq!(snapshot(database.connection()), before);
    // And through a file image, as the page and the CLI hand it over.
    let image = database.to_bytes().expect("bytes");
    let reopened = Database::open_bytes(&image).expect("reopen");
    assert_eq!(snapshot(reopened.connection()), before);
    assert!(reopened
        .schema()
        .expect("schema")
        .tables
        .contains_key(&huge_name()));
}

#[test]
fn odd_values_survive_the_cli_down_and_up() {
    let scratch = Scratch::new();
    let db = scratch.head_with("content.db", &odd_values_sql());
    let read = |path: &Path| {
        let conn = rusqlite::Connection::open(path).expect("open");
        snapshot(&conn)
    };
    let before = read(&db);
    content_db_ok(&db, &["downgrade", FIRST]);
    content_db_ok(&db, &["upgrade", "head"]);
    assert_eq!(read(&db), before);
    // `check` lists the extra table by its full name and leaves the file alone.
    let run = content_db_run(&db, &["check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stdout.contains(&huge_name()[..60]),
        "{}",
        &run.stdout[..200]
    );
}
