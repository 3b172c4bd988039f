//! The database layer: the only module that talks to SQLite. Opens a whole file image (or,
//! natively, a path), reads and writes `alembic_version` exactly as Alembic does, applies a
//! [`crate::revision::Plan`] with its guarantees, and serializes the database back to bytes.

mod apply;
mod error;
pub mod schema;

pub use apply::{ApplyReport, StepReport};
pub use error::DbError;

use rusqlite::Connection;

/// An open database, held in SQLite-owned memory (never the user's file itself).
pub struct Database {
    conn: Connection,
    notices: Vec<String>,
}

impl Database {
    /// Opens a copy of a whole SQLite file image. WAL files are converted (with a notice).
    pub fn open_bytes(bytes: &[u8]) -> Result<Database, DbError> {
        let _ = bytes;
        todo!("db helper")
    }

    /// A new, empty database (no tables, no `alembic_version`).
    pub fn new_empty() -> Result<Database, DbError> {
        todo!("db helper")
    }

    /// Reads a file from disk into memory; the file itself is never written by this.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_path(path: &std::path::Path) -> Result<Database, DbError> {
        let _ = path;
        todo!("db helper")
    }

    /// The whole database as a file image.
    pub fn to_bytes(&self) -> Result<Vec<u8>, DbError> {
        todo!("db helper")
    }

    /// The rows of `alembic_version` in table order; empty when the table is missing or empty.
    pub fn current_versions(&self) -> Result<Vec<String>, DbError> {
        todo!("db helper")
    }

    /// Whether the file has an `alembic_version` table at all.
    pub fn is_versioned(&self) -> Result<bool, DbError> {
        todo!("db helper")
    }

    /// Things the user should know about how the file was opened (e.g. "converted from WAL").
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// The underlying connection, for read-only queries by front ends.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
