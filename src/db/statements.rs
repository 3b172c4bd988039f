//! Runs the SQL of one migration section statement by statement (rusqlite's [`Batch`]), so
//! that a failure names the statement that failed, not just the section.

use rusqlite::fallible_iterator::FallibleIterator;
use rusqlite::{Batch, Connection};

/// A statement that failed, with SQLite's message.
#[derive(Debug)]
pub(crate) struct StatementError {
    /// The statement, comments and surrounding whitespace stripped.
    pub statement: String,
    /// Why it failed.
    pub message: String,
}

/// Runs every statement of `sql` in order; statements that return rows (a `SELECT`, a
/// `PRAGMA`) are stepped to the end. Stops at the first failure.
pub(crate) fn run_script(conn: &Connection, sql: &str) -> Result<(), StatementError> {
    let mut batch = Batch::new(conn, sql);
    // How much of `sql` the statements so far took: SQLite reports each statement's text from
    // where its preparation began (leading comments included), so these add up.
    let mut consumed = 0;
    loop {
        let mut statement = match batch.next() {
            Ok(Some(statement)) => statement,
            Ok(None) => return Ok(()),
            Err(error) => {
                return Err(StatementError {
                    statement: failing_statement(&error, &sql[consumed..]),
                    message: sqlite_message(&error),
                })
            }
        };
        let text = statement.expanded_sql().unwrap_or_default();
        consumed = advance(sql, consumed, &text);
        let ran = step_to_end(&mut statement);
        let failure = match ran {
            Err(error) => Some(sqlite_message(&error)),
            // The step owns the transaction: a COMMIT, ROLLBACK or END inside a migration would
            // make the rest of it run outside one, with no way back.
            Ok(()) if conn.is_autocommit() => Some(
                "a migration must not end the step's transaction (remove COMMIT/ROLLBACK/END; \
                 content-db runs each step in its own transaction)"
                    .to_string(),
            ),
            Ok(()) => None,
        };
        if let Some(message) = failure {
            return Err(StatementError {
                statement: strip_comments(&text),
                message,
            });
        }
    }
}

/// Steps a statement until it is done, discarding any rows it returns.
fn step_to_end(statement: &mut rusqlite::Statement<'_>) -> rusqlite::Result<()> {
    let mut rows = statement.raw_query();
    while rows.next()?.is_some() {}
    Ok(())
}

/// The position in `sql` after the statement `text`, which starts at or after `consumed`.
fn advance(sql: &str, consumed: usize, text: &str) -> usize {
    match sql[consumed..].find(text) {
        Some(offset) if !text.is_empty() => consumed + offset + text.len(),
        _ => consumed,
    }
}

/// The statement that failed to prepare: the first one of `rest`, up to the `;` ending it.
fn failing_statement(error: &rusqlite::Error, rest: &str) -> String {
    // SQLite points at the offending token; the statement ends at the first `;` after it.
    let (text, offset) = match error {
        rusqlite::Error::SqlInputError { sql, offset, .. } => {
            (sql.as_str(), usize::try_from(*offset).unwrap_or(0))
        }
        _ => (rest, 0),
    };
    let offset = offset.min(text.len());
    let end = text
        .get(offset..)
        .and_then(|after| after.find(';'))
        .map_or(text.len(), |position| offset + position + 1);
    strip_comments(text.get(..end).unwrap_or(text))
}

/// SQLite's own message, without rusqlite's wrapping.
pub(crate) fn sqlite_message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// `text` without leading/trailing whitespace, `--` and `/* */` comments before the statement,
/// and a trailing `;`.
pub(crate) fn strip_comments(text: &str) -> String {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after
                .split_once('\n')
                .map_or("", |(_, next)| next)
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after
                .split_once("*/")
                .map_or("", |(_, next)| next)
                .trim_start();
        } else {
            break;
        }
    }
    rest.trim_end().trim_end_matches(';').trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Connection {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch("BEGIN").expect("begin");
        conn
    }

    #[test]
    fn runs_statements_and_queries() {
        let conn = memory();
        run_script(
            &conn,
            "-- a table\nCREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);\nSELECT * FROM t;\nPRAGMA table_info(t);\n-- done\n",
        )
        .expect("runs");
        let count: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .expect("count");
        assert_eq!(count, 1);
    }

    #[test]
    fn names_a_statement_that_fails_to_prepare() {
        let conn = memory();
        let error = run_script(
            &conn,
            "CREATE TABLE t (a INT);\n\n-- the bad one\nINSERT INTO missing VALUES (1);\nCREATE TABLE u (b INT);",
        )
        .expect_err("no such table");
        assert_eq!(error.statement, "INSERT INTO missing VALUES (1)");
        assert_eq!(error.message, "no such table: missing");
    }

    #[test]
    fn names_a_statement_that_fails_to_run() {
        let conn = memory();
        let error = run_script(
            &conn,
            "CREATE TABLE t (a INT NOT NULL);\n/* fill */ INSERT INTO t VALUES (NULL);\nSELECT 1;",
        )
        .expect_err("constraint");
        assert_eq!(error.statement, "INSERT INTO t VALUES (NULL)");
        assert_eq!(error.message, "NOT NULL constraint failed: t.a");
    }

    #[test]
    fn names_a_syntax_error() {
        let conn = memory();
        let error =
            run_script(&conn, "SELECT 1;\nCREATE TABEL t (a INT);\nSELECT 2;").expect_err("syntax");
        assert_eq!(error.statement, "CREATE TABEL t (a INT)");
        assert!(error.message.contains("syntax error"), "{}", error.message);
    }

    #[test]
    fn refuses_to_end_the_transaction() {
        let conn = memory();
        let error = run_script(&conn, "CREATE TABLE t (a INT); COMMIT;").expect_err("commit");
        assert_eq!(error.statement, "COMMIT");
        assert!(error.message.contains("must not end"));
    }

    #[test]
    fn comment_only_sql_does_nothing() {
        let conn = memory();
        run_script(&conn, "-- nothing to do\n").expect("empty is fine");
        run_script(&conn, "").expect("empty is fine");
    }

    #[test]
    fn strips_leading_comments() {
        assert_eq!(
            strip_comments("\n-- one\n  /* two */\n  DROP TABLE t;\n"),
            "DROP TABLE t"
        );
    }
}
