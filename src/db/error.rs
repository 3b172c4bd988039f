//! Errors of the database layer, with messages a user can act on.

use thiserror::Error;

/// Why a database could not be opened, migrated or written back.
#[derive(Debug, Error)]
pub enum DbError {
    /// The bytes are not a SQLite database at all.
    #[error("this is not a SQLite database ({detail})")]
    NotSqlite {
        /// What was found instead.
        detail: String,
    },
    /// Any other SQLite failure.
    #[error("SQLite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
