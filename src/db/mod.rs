//! The database layer: the only module that talks to SQLite. [`Database`]'s methods are grouped
//! by what they do, one place each; a new method goes where its capability is:
//!
//! | Capability | Where | Methods |
//! |---|---|---|
//! | Open a file, hand it back | `mod.rs`, `file.rs` (native paths), `image.rs` (images read in slices) | `open_bytes`, `new_empty`, `open_path`, `open_file_read_only`, `open_private_copy`, `import`, `open_slices`, `to_bytes`, `image_reader`, `begin_read`, `end_read`, `close`, `is_in_memory`, `notices`, `connection`, `execute_script` |
//! | The revision rows | `version_table.rs` | `current_versions`, `is_versioned` |
//! | Migrate | `apply.rs` (with `progress.rs`, `statements.rs`) | `apply`, `apply_with_progress`, `integrity_problems` |
//! | Read the schema | `schema.rs` | `schema` |
//! | Sizes of tables and indexes (what a plan will write) | `sizes.rs` | `used_bytes`, `object_sizes` |
//! | Compare with the history | `insight/` | `expected_schema_at`, `downgrade_losses`, `replayed`, `diff_states`, `diff_file_with`, `infer_baseline`, `data_loss` |
//! | Read rows | `rows/` | `table_summaries`, `table_page`, `table_detail`, `run_console`, `table_rows`, `query`, `dump` |
//!
//! Checks of what a file is before SQLite opens it: `header.rs`, `sniff.rs`; errors: `error.rs`.

mod apply;
mod error;
#[cfg(not(target_arch = "wasm32"))]
mod file;
mod header;
mod image;
#[cfg(not(target_arch = "wasm32"))]
mod in_place;
mod insight;
pub mod pages;
mod progress;
mod rows;
mod schema;
mod sizes;
mod sniff;
mod statements;
#[cfg(test)]
mod test_support;
mod version_table;

pub use apply::{ApplyReport, ForeignKeyViolation, StepReport};
pub use error::DbError;
pub use image::{ImageImport, ImageReader, PageSource, PageSpill, CHEAP_CACHE_BUDGET};
pub use insight::baseline::{Baseline, Candidate};
pub use insight::data_loss::StepLoss;
pub use insight::error::InsightError;
pub use insight::revision_diff::RevisionDiff;
pub use progress::PlanProgress;
pub use rows::browse::{
    BrowseError, Grid, PageRequest, SortBy, TableDetail, TablePage, TableSummary, MAX_PAGE_ROWS,
};
pub use rows::console::{ConsoleError, ConsoleOutcome, MAX_CONSOLE_ROWS};

use rusqlite::{Connection, FileControl, MAIN_DB};
use std::io::Read;

/// An open database: SQLite's own buffer, or a file of the page store VFS (`image/vfs.rs`) when
/// it was read in slices in WebAssembly or opened lazily over a source ([`Database::open_source`]:
/// the original file read where SQLite reads it, the written pages held). Natively it may also
/// be a file on disk: the user's file opened read-only (see `file.rs`), or in place for a writing
/// command (see `in_place.rs`).
pub struct Database {
    /// The connection owning the in-memory image.
    conn: Connection,
    /// What the user should be told about how the file was opened.
    notices: Vec<String>,
    /// The page store VFS file holding the image, deleted when the database is dropped (after
    /// `conn`, which is declared first and so closed first).
    file: Option<image::MemFile>,
    /// The file a writing command opened in place (see `in_place.rs`): checked before COMMIT,
    /// so a file replaced at its path meanwhile is not silently left out of the change.
    #[cfg(not(target_arch = "wasm32"))]
    opened_file: Option<in_place::FileIdentity>,
    /// Opened without SQLite's quick check (see [`Database::open_source`]), and none has
    /// passed since: [`Database::ensure_checked`] runs it.
    unchecked: bool,
}

/// The page size of new databases. SQLite's default differs between the native (4096) and the
/// wasm (8192) builds; Python's sqlite3, and so a file Alembic creates, uses 4096.
const NEW_PAGE_SIZE: u32 = 4096;

/// How large an opened file image may grow. SQLite caps a deserialized database at
/// max(its size, 1 GiB) (`SQLITE_MEMDB_DEFAULT_MAXSIZE`), so upgrading a 700 MB file whose
/// `posts` rebuild needs another 350 MB failed with "database or disk is full". This is just
/// under SQLite's largest single allocation (`sqlite3Realloc` refuses 0x7fffff00 bytes and more),
/// which the in-memory file must fit in anyway.
const IMAGE_SIZE_LIMIT: i64 = 0x7fff_0000;

impl Database {
    /// Opens a copy of a whole SQLite file image. WAL files are converted (with a notice).
    pub fn open_bytes(bytes: &[u8]) -> Result<Database, DbError> {
        let header = header::inspect(bytes)?;
        let mut conn = Connection::open_in_memory()?;
        // The copy is the patched header followed by the rest of the caller's bytes, read
        // straight into SQLite's own buffer (writable and growable, freed with the connection).
        let image = std::io::Cursor::new(header.bytes).chain(&bytes[header::HEADER_LEN..]);
        let start = &bytes[..bytes.len().min(header::START_LEN)];
        let explain = image::explainer(start.to_vec(), bytes.len() as u64);
        conn.deserialize_read_exact(MAIN_DB, image, bytes.len(), false)
            .map_err(|error| explain(error.to_string()))?;
        let mut limit = IMAGE_SIZE_LIMIT;
        conn.file_control(Some(MAIN_DB), FileControl::SizeLimit(&mut limit))?;
        quick_check(&conn).map_err(explain)?;
        Database::ready(conn, image::wal_notices(header.was_wal))
    }

    /// A new, empty database (no tables, no `alembic_version`).
    pub fn new_empty() -> Result<Database, DbError> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "page_size", NEW_PAGE_SIZE)?;
        Database::ready(conn, Vec::new())
    }

    /// Reads a file from disk into memory; the file itself is never written by this. A 0-byte
    /// file opens as a new empty database (with a notice), as it does in SQLite and Alembic.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_path(path: &std::path::Path) -> Result<Database, DbError> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => DbError::FileNotFound {
                path: path.display().to_string(),
            },
            _ => DbError::ReadFile {
                path: path.display().to_string(),
                source,
            },
        })?;
        let mut database = if bytes.is_empty() {
            file::empty_file_database(path)?
        } else {
            Database::open_bytes(&bytes)?
        };
        database.notices.extend(file::wal_sidecar_notice(path));
        Ok(database)
    }

    /// The whole database as a file image.
    pub fn to_bytes(&mut self) -> Result<Vec<u8>, DbError> {
        self.image_reader()?.read_all()
    }

    /// Things the user should know about how the file was opened (e.g. "converted from WAL").
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// The underlying connection, for front ends' queries (browsing, the console) and tests.
    /// Schema changes belong in migrations run by [`Database::apply`].
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs a script of data statements (e.g. sample rows) outside any migration: no version
    /// rows change and none of `apply`'s per-step checks run.
    pub fn execute_script(&mut self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }

    /// Settings every connection gets, whatever the target: the two SQLite builds have
    /// different defaults for foreign keys (on natively, off in wasm).
    fn ready(conn: Connection, notices: Vec<String>) -> Result<Database, DbError> {
        conn.pragma_update(None, "foreign_keys", true)?;
        Ok(Database {
            conn,
            notices,
            file: None,
            #[cfg(not(target_arch = "wasm32"))]
            opened_file: None,
            unchecked: false,
        })
    }
}

/// `PRAGMA quick_check`: a fast pass over the b-trees, so damage is reported at open time and
/// not halfway through a migration. Damage so bad that the query itself fails counts too. The
/// `Err` is what SQLite said.
fn quick_check(conn: &Connection) -> Result<(), String> {
    let mut statement = conn
        .prepare("PRAGMA quick_check")
        .map_err(|error| error.to_string())?;
    let messages = statement
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(Iterator::collect::<rusqlite::Result<Vec<String>>>)
        .map_err(|error| error.to_string())?;
    if messages.len() == 1 && messages[0] == "ok" {
        Ok(())
    } else {
        // quick_check lists up to 100 problems; the first few say enough.
        const SHOWN: usize = 3;
        let mut detail = messages[..messages.len().min(SHOWN)].join("; ");
        if messages.len() > SHOWN {
            detail.push_str(&format!(" (and {} more)", messages.len() - SHOWN));
        }
        Err(detail)
    }
}

#[cfg(test)]
mod tests;
