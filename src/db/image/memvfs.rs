//! The WebAssembly storage of an image: a file of sqlite-wasm-rs's `memvfs` (crate
//! `rsqlite-vfs`), imported and exported with its `DbImport`/`DbExport` streams.

use std::cell::Cell;

use rusqlite::{Connection, OpenFlags};
use sqlite_wasm_rs::vfs::memvfs::{MemExportSource, MemImportTarget, MemVfsError, MemVfsUtil};
use sqlite_wasm_rs::vfs::transfer::{DbExport, DbImport, DbTransfer};
use sqlite_wasm_rs::vfs::VfsFilesManager;

use super::super::{quick_check, Database, DbError};
use super::{ImageReader, Source};

/// The VFS's name, as registered by sqlite-wasm-rs.
const VFS: &str = "memvfs";

thread_local! {
    /// Numbers the files, so each database has its own.
    static NEXT_FILE: Cell<u64> = const { Cell::new(1) };
    /// The VFS handle, made once (it lives as long as the worker).
    static UTIL: &'static MemVfsUtil = util();
}

fn util() -> &'static MemVfsUtil {
    // SAFETY: the worker is single-threaded; sqlite-wasm-rs installs memvfs while SQLite
    // initializes (`sqlite3_os_init`), on this thread, and nothing unregisters it.
    let util = unsafe {
        sqlite_wasm_rs::sqlite3_initialize();
        MemVfsUtil::get()
    }
    .expect("sqlite-wasm-rs registers memvfs when SQLite initializes");
    Box::leak(Box::new(util))
}

fn the_util() -> &'static MemVfsUtil {
    UTIL.with(|util| *util)
}

pub(super) fn image_error(error: MemVfsError) -> DbError {
    DbError::Image {
        detail: format!("in-memory file: {error}"),
    }
}

/// A memvfs file owned by one [`Database`]; dropping it (after the connection, which is
/// declared before it) deletes the file and frees its memory.
pub struct MemFile {
    pub(super) name: String,
}

impl Drop for MemFile {
    fn drop(&mut self) {
        let util = the_util();
        // Nothing to do about a failure: the memory is lost until the worker ends.
        let _ = util.remove(&self.name);
        let _ = util.remove(&format!("{}-journal", self.name));
    }
}

/// An import into a new memvfs file.
pub(super) struct Sink {
    name: String,
    import: Option<DbImport<MemImportTarget<'static>>>,
}

impl Sink {
    pub(super) fn new(len: u64) -> Result<Sink, DbError> {
        let number = NEXT_FILE.with(|next| next.replace(next.get() + 1));
        let name = format!("content-db-{number}.db");
        // Unchecked: the header was judged by `header::inspect_start`, with its own messages.
        let import = the_util()
            .begin_import_unchecked(&name, len)
            .map_err(image_error)?;
        Ok(Sink {
            name,
            import: Some(import),
        })
    }

    pub(super) fn write(&mut self, slice: &[u8]) -> Result<(), DbError> {
        match self.import.as_mut() {
            Some(import) => import.write(slice).map_err(image_error),
            None => Ok(()),
        }
    }

    pub(super) fn open(
        mut self,
        was_wal: bool,
        explain: impl Fn(String) -> DbError,
    ) -> Result<Database, DbError> {
        if let Some(import) = self.import.take() {
            import.finish().map_err(image_error)?;
        }
        let file = MemFile {
            name: self.name.clone(),
        };
        let conn = Connection::open_with_flags_and_vfs(
            &file.name,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            VFS,
        )?;
        // The rollback journal in SQLite's heap, as for the memdb databases before: a
        // journal file in memvfs would be a second growable file of 512-byte chunks.
        conn.pragma_update(None, "journal_mode", "MEMORY")
            .map_err(|error| explain(error.to_string()))?;
        crate::timing::span("sqlite:quick_check", || quick_check(&conn)).map_err(&explain)?;
        let mut database = Database::ready(conn, super::wal_notices(was_wal))?;
        database.file = Some(file);
        Ok(database)
    }
}

/// Reads a memvfs file (kept alive by the export even if the database closes).
pub(super) type Export = DbExport<MemExportSource>;

pub(super) fn reader(file: &MemFile) -> Result<ImageReader<'static>, DbError> {
    let export = the_util().begin_export(&file.name).map_err(image_error)?;
    Ok(ImageReader {
        len: export.size(),
        offset: 0,
        source: Source::MemVfs(export),
    })
}
