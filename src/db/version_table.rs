//! `alembic_version`, exactly as Alembic creates and changes it: the same CREATE text (so the
//! file is byte-for-byte what Alembic would leave in `sqlite_master`), and each row change
//! checked the way Alembic's online mode checks it.

use super::statements::sqlite_message;
use super::DbError;
use crate::revision::VersionOp;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};

impl super::Database {
    /// The rows of `alembic_version` in table order; empty when the table is missing or empty.
    pub fn current_versions(&self) -> Result<Vec<String>, DbError> {
        rows(&self.conn)
    }

    /// Whether the file has an `alembic_version` table at all.
    pub fn is_versioned(&self) -> Result<bool, DbError> {
        Ok(exists(&self.conn)?)
    }
}

/// The CREATE text SQLAlchemy renders for Alembic's version table on SQLite (see
/// `reference/*.json`, `"sql"` → `table:alembic_version`).
pub(crate) const CREATE_ALEMBIC_VERSION: &str = "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)";

/// Whether the database has an `alembic_version` table (SQLite names are case-insensitive).
pub(crate) fn exists(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version' COLLATE NOCASE",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|count| count > 0)
}

/// Creates the table when it is missing, as Alembic does before its first step.
pub(crate) fn ensure(conn: &Connection) -> rusqlite::Result<()> {
    if !exists(conn)? {
        conn.execute_batch(CREATE_ALEMBIC_VERSION)?;
    }
    Ok(())
}

/// The rows in table (rowid) order: the PRIMARY KEY index would otherwise give them sorted.
/// A table that is not Alembic's (no `version_num`, a view, values that are not text) is
/// refused with what is wrong, rather than SQLite's or rusqlite's wording.
pub(crate) fn rows(conn: &Connection) -> Result<Vec<String>, DbError> {
    let bad = |detail: String| DbError::BadVersionTable { detail };
    let kind: Option<String> = conn
        .query_row(
            "SELECT type FROM sqlite_master WHERE name = 'alembic_version' COLLATE NOCASE \
             AND type IN ('table', 'view') ORDER BY type = 'table' DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    match kind.as_deref() {
        None => return Ok(Vec::new()),
        Some("table") => {}
        Some(other) => return Err(bad(format!("it is a {other}, not a table"))),
    }
    let mut statement = conn
        .prepare("SELECT version_num FROM alembic_version ORDER BY rowid")
        .map_err(|error| match sqlite_message(&error) {
            message if message.starts_with("no such column") => {
                bad("it has no version_num column".to_string())
            }
            _ => DbError::from(error),
        })?;
    let mut rows = statement.query([])?;
    let mut versions = Vec::new();
    while let Some(row) = rows.next()? {
        versions.push(match row.get_ref(0)? {
            ValueRef::Text(bytes) => String::from_utf8(bytes.to_vec())
                .map_err(|_| bad("a row is not valid UTF-8 text".to_string()))?,
            ValueRef::Null => return Err(bad("a row is NULL".to_string())),
            ValueRef::Integer(number) => {
                return Err(bad(format!(
                    "a row holds the number {number}, not a revision id"
                )))
            }
            ValueRef::Real(number) => {
                return Err(bad(format!(
                    "a row holds the number {number}, not a revision id"
                )))
            }
            ValueRef::Blob(_) => {
                return Err(bad("a row holds binary data, not a revision id".to_string()))
            }
        });
    }
    Ok(versions)
}

/// Applies one change; a DELETE or UPDATE must match exactly one row, as in Alembic's online
/// mode (`MigrationContext._delete_version` / `_update_version`). The `Err` is Alembic's wording.
pub(crate) fn apply_op(conn: &Connection, op: &VersionOp) -> Result<(), VersionOpError> {
    match op {
        VersionOp::Insert(id) => {
            conn.execute(
                "INSERT INTO alembic_version (version_num) VALUES (?1)",
                params![id],
            )?;
        }
        VersionOp::Delete(id) => {
            let found = conn.execute(
                "DELETE FROM alembic_version WHERE version_num = ?1",
                params![id],
            )?;
            if found != 1 {
                return Err(VersionOpError::Mismatch(format!(
                    "expected to match one row when deleting '{id}' in 'alembic_version'; {found} found"
                )));
            }
        }
        VersionOp::Update { from, to } => {
            let found = conn.execute(
                "UPDATE alembic_version SET version_num = ?1 WHERE version_num = ?2",
                params![to, from],
            )?;
            if found != 1 {
                return Err(VersionOpError::Mismatch(format!(
                    "expected to match one row when updating '{from}' to '{to}' in 'alembic_version'; {found} found"
                )));
            }
        }
    }
    Ok(())
}

/// The statement of `op` as Alembic's log shows it, for error messages.
pub(crate) fn describe_op(op: &VersionOp) -> String {
    let statement = crate::revision::version_statement(op);
    statement.trim_end_matches(';').to_string()
}

/// Why a version row change failed.
#[derive(Debug)]
pub(crate) enum VersionOpError {
    /// The row to delete or update was not there (or was there twice).
    Mismatch(String),
    /// SQLite refused the statement (e.g. a duplicate row on insert).
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for VersionOpError {
    fn from(error: rusqlite::Error) -> Self {
        VersionOpError::Sqlite(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versioned() -> Connection {
        let conn = Connection::open_in_memory().expect("memory");
        ensure(&conn).expect("create");
        conn
    }

    #[test]
    fn creates_the_table_once_with_alembics_text() {
        let conn = versioned();
        ensure(&conn).expect("second call is a no-op");
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'",
                [],
                |row| row.get(0),
            )
            .expect("table");
        assert_eq!(sql, CREATE_ALEMBIC_VERSION);
    }

    #[test]
    fn rows_come_back_in_table_order_not_sorted() {
        let conn = versioned();
        for op in [
            VersionOp::Insert("d5f0b2c8e614".into()),
            VersionOp::Insert("c3e7a1d9f482".into()),
        ] {
            apply_op(&conn, &op).expect("insert");
        }
        assert_eq!(
            rows(&conn).expect("rows"),
            vec!["d5f0b2c8e614", "c3e7a1d9f482"]
        );
    }

    #[test]
    fn update_keeps_the_row_in_place() {
        let conn = versioned();
        apply_op(&conn, &VersionOp::Insert("a".into())).expect("insert");
        apply_op(&conn, &VersionOp::Insert("b".into())).expect("insert");
        apply_op(
            &conn,
            &VersionOp::Update {
                from: "a".into(),
                to: "z".into(),
            },
        )
        .expect("update");
        assert_eq!(rows(&conn).expect("rows"), vec!["z", "b"]);
    }

    #[test]
    fn delete_and_update_must_match_one_row() {
        let conn = versioned();
        let Err(VersionOpError::Mismatch(message)) =
            apply_op(&conn, &VersionOp::Delete("nope".into()))
        else {
            panic!("deleting a missing row must fail");
        };
        assert_eq!(
            message,
            "expected to match one row when deleting 'nope' in 'alembic_version'; 0 found"
        );
        let update = VersionOp::Update {
            from: "x".into(),
            to: "y".into(),
        };
        assert!(matches!(
            apply_op(&conn, &update),
            Err(VersionOpError::Mismatch(_))
        ));
    }

    #[test]
    fn a_duplicate_insert_is_refused_by_the_primary_key() {
        let conn = versioned();
        let op = VersionOp::Insert("a".into());
        apply_op(&conn, &op).expect("first insert");
        assert!(matches!(
            apply_op(&conn, &op),
            Err(VersionOpError::Sqlite(_))
        ));
        assert_eq!(
            describe_op(&op),
            "INSERT INTO alembic_version (version_num) VALUES ('a')"
        );
    }

    #[test]
    fn a_table_that_is_not_alembics_is_named() {
        let cases = [
            ("CREATE TABLE alembic_version (x TEXT)", "it has no version_num column"),
            ("CREATE VIEW alembic_version AS SELECT 'a' AS version_num", "it is a view, not a table"),
            ("CREATE TABLE alembic_version (version_num); INSERT INTO alembic_version VALUES (NULL)", "a row is NULL"),
            ("CREATE TABLE alembic_version (version_num); INSERT INTO alembic_version VALUES (123)", "a row holds the number 123, not a revision id"),
            ("CREATE TABLE alembic_version (version_num); INSERT INTO alembic_version VALUES (x'ff00')", "a row holds binary data, not a revision id"),
            ("CREATE TABLE alembic_version (version_num); INSERT INTO alembic_version VALUES (CAST(x'ff' AS TEXT))", "a row is not valid UTF-8 text"),
        ];
        for (sql, detail) in cases {
            let conn = Connection::open_in_memory().expect("memory");
            conn.execute_batch(sql).expect("set up");
            match rows(&conn) {
                Err(DbError::BadVersionTable { detail: found }) => assert_eq!(found, detail),
                other => panic!("{sql}: {other:?}"),
            }
        }
        let error = DbError::BadVersionTable {
            detail: "a row is NULL".into(),
        };
        insta::assert_snapshot!(error.to_string(), @r#"the file's alembic_version is not the table Alembic keeps (a row is NULL), so its revision cannot be read. If you know which revision the schema is at, drop it (`sqlite3 content.db "DROP TABLE alembic_version"`, or DROP VIEW for a view) and type `content-db stamp <revision>`"#);
    }

    #[test]
    fn missing_table_means_no_rows() {
        let conn = Connection::open_in_memory().expect("memory");
        assert!(!exists(&conn).expect("query"));
        assert!(rows(&conn).expect("rows").is_empty());
    }
}
