//! `alembic_version`, exactly as Alembic creates and changes it: the same CREATE text (so the
//! file is byte-for-byte what Alembic would leave in `sqlite_master`), and each row change
//! checked the way Alembic's online mode checks it.

use crate::revision::VersionOp;
use rusqlite::{params, Connection};

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
pub(crate) fn rows(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    if !exists(conn)? {
        return Ok(Vec::new());
    }
    let mut statement = conn.prepare("SELECT version_num FROM alembic_version ORDER BY rowid")?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
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
    match op {
        VersionOp::Insert(id) => {
            format!("INSERT INTO alembic_version (version_num) VALUES ('{id}')")
        }
        VersionOp::Delete(id) => {
            format!("DELETE FROM alembic_version WHERE alembic_version.version_num = '{id}'")
        }
        VersionOp::Update { from, to } => format!(
            "UPDATE alembic_version SET version_num='{to}' WHERE alembic_version.version_num = '{from}'"
        ),
    }
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
    fn missing_table_means_no_rows() {
        let conn = Connection::open_in_memory().expect("memory");
        assert!(!exists(&conn).expect("query"));
        assert!(rows(&conn).expect("rows").is_empty());
    }
}
