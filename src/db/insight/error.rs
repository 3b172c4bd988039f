//! Errors of the read-only insight features (exports, queries): each names the table or the
//! statement and says what to type instead.

use thiserror::Error;

/// Why an export, a query or a dump failed. The database is never changed by these.
#[derive(Debug, Error)]
pub enum InsightError {
    /// `export TABLE` names no table or view.
    #[error("there is no table or view named {table:?}; the file has: {known}")]
    UnknownTable {
        /// The name as typed.
        table: String,
        /// The tables and views there are, comma separated.
        known: String,
    },
    /// `query` was given a statement that would change the database.
    #[error(
        "`query` only runs statements that read (SELECT, WITH … SELECT, read-only PRAGMAs); \
         this one would change the database: {sql}"
    )]
    NotReadOnly {
        /// The statement.
        sql: String,
    },
    /// The statement could not be prepared or run.
    #[error("the query failed: {message}\nstatement: {sql}")]
    Query {
        /// The statement.
        sql: String,
        /// SQLite's message.
        message: String,
    },
    /// `query` was given no statement, or several.
    #[error("`query` runs exactly one statement; got {what}: {sql}")]
    NotOneStatement {
        /// "none" or "several".
        what: &'static str,
        /// The text given.
        sql: String,
    },
    /// Reading the database failed.
    #[error("could not read the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
