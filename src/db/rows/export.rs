//! Reads a table or a query's rows into an [`export::QueryResult`](crate::export::QueryResult),
//! strictly read-only: the statement must be one SQLite itself calls read-only
//! (`sqlite3_stmt_readonly`), and it runs under `PRAGMA query_only`, so even a function with side
//! effects cannot write.

use crate::db::Database;
use crate::db::InsightError;
use crate::export::{quote_identifier, QueryResult, Value};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

impl Database {
    /// Every row of the table or view `table` (`SELECT *`), in storage order.
    pub fn table_rows(&self, table: &str) -> Result<QueryResult, InsightError> {
        let known = table_and_view_names(&self.conn)?;
        if !known.iter().any(|name| name == table) {
            return Err(InsightError::UnknownTable {
                table: table.to_string(),
                known: known.join(", "),
            });
        }
        self.query(&format!("SELECT * FROM {}", quote_identifier(table)))
    }

    /// The rows of one read-only statement.
    pub fn query(&self, sql: &str) -> Result<QueryResult, InsightError> {
        let failed = |error: rusqlite::Error| InsightError::Query {
            sql: sql.to_string(),
            message: error.to_string(),
        };
        if sql.trim().trim_end_matches(';').trim().is_empty() {
            return Err(InsightError::NotOneStatement {
                what: "none",
                sql: sql.to_string(),
            });
        }
        let mut statement = self.conn.prepare(sql).map_err(|error| match error {
            rusqlite::Error::MultipleStatement => InsightError::NotOneStatement {
                what: "several",
                sql: sql.to_string(),
            },
            other => failed(other),
        })?;
        if !statement.readonly() {
            return Err(InsightError::NotReadOnly {
                sql: sql.to_string(),
            });
        }
        let columns: Vec<String> = statement.column_names().map(str::to_string).collect();
        self.conn.pragma_update(None, "query_only", true)?;
        let rows = read_rows(&mut statement, columns.len()).map_err(failed);
        self.conn.pragma_update(None, "query_only", false)?;
        Ok(QueryResult {
            columns,
            rows: rows?,
        })
    }
}

/// Steps through the statement, converting each value.
fn read_rows(
    statement: &mut rusqlite::Statement<'_>,
    width: usize,
) -> rusqlite::Result<Vec<Vec<Value>>> {
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for index in 0..width {
            values.push(value_of(row.get_ref(index)?));
        }
        out.push(values);
    }
    Ok(out)
}

/// One SQLite value as an export value (text that is not UTF-8 kept as bytes).
pub(crate) fn value_of(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(number) => Value::Integer(number),
        ValueRef::Real(number) => Value::Real(number),
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Value::Text(text.to_string()),
            Err(_) => Value::TextBytes(bytes.to_vec()),
        },
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    }
}

/// The names of all tables and views, sorted.
fn table_and_view_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")?;
    let names = statement.query_map([], |row| row.get::<_, String>(0))?;
    names.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Database {
        let database = Database::new_empty().expect("new");
        database
            .connection()
            .execute_batch(
                "CREATE TABLE \"we\"\"ird\" (id INTEGER PRIMARY KEY, body TEXT, data BLOB, x REAL);\
                 INSERT INTO \"we\"\"ird\" VALUES (1, 'it''s ✓', X'00ff', 0.5), (2, NULL, NULL, NULL);",
            )
            .expect("fill");
        database
    }

    #[test]
    fn exports_a_table_with_every_kind_of_value() {
        let result = sample().table_rows("we\"ird").expect("rows");
        assert_eq!(result.columns, vec!["id", "body", "data", "x"]);
        assert_eq!(
            result.rows[0],
            vec![
                Value::Integer(1),
                Value::Text("it's ✓".into()),
                Value::Blob(vec![0, 255]),
                Value::Real(0.5)
            ]
        );
        assert_eq!(result.rows[1][1], Value::Null);
        let error = sample().table_rows("nope").expect_err("unknown");
        assert!(error.to_string().contains("we\"ird"), "{error}");
    }

    #[test]
    fn queries_are_read_only() {
        let database = sample();
        let result = database
            .query("SELECT count(*) AS n FROM \"we\"\"ird\"")
            .expect("reads");
        assert_eq!(result.rows, vec![vec![Value::Integer(2)]]);
        for sql in [
            "DELETE FROM \"we\"\"ird\"",
            "CREATE TABLE t (x)",
            "PRAGMA user_version = 5",
        ] {
            assert!(
                matches!(database.query(sql), Err(InsightError::NotReadOnly { .. })),
                "{sql}"
            );
        }
        assert!(matches!(
            database.query("SELECT 1; SELECT 2"),
            Err(InsightError::NotOneStatement { .. })
        ));
        assert!(matches!(
            database.query("  ;"),
            Err(InsightError::NotOneStatement { .. })
        ));
        assert!(matches!(
            database.query("SELECT nope"),
            Err(InsightError::Query { .. })
        ));
        // Still writable for migrations afterwards: query_only was switched back off.
        database
            .connection()
            .execute_batch("DELETE FROM \"we\"\"ird\"")
            .expect("writable again");
    }
}
