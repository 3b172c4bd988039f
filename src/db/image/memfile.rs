//! The WebAssembly storage of an image: a file of the chunked in-memory VFS (`vfs.rs`), filled
//! by writing the slices straight into its chunks and read out chunk by chunk.

use std::cell::Cell;

use rusqlite::{Connection, OpenFlags};

use super::super::{quick_check, Database, DbError};
use super::chunks::{ChunkError, ChunkedFile};
use super::vfs::{self, SharedFile};
use super::{ImageReader, Source};

thread_local! {
    /// Numbers the files, so each database has its own.
    static NEXT_FILE: Cell<u64> = const { Cell::new(1) };
}

/// The page cache of a database in the chunked VFS, as `PRAGMA cache_size` takes it
/// (negative: KiB). Small, because the chunks hold every page in memory already: a larger cache
/// only copies them, and costs wasm memory without making a step faster (BENCHMARKS.md, “Figures behind the code's constants”).
const CACHE_SIZE: i64 = -1000;

pub(super) fn image_error(error: ChunkError) -> DbError {
    DbError::Image {
        detail: format!("in-memory file: {error}"),
    }
}

/// A file of the chunked VFS owned by one [`Database`]; dropping it (after the connection,
/// which is declared before it) forgets the file, whose memory is freed once no
/// [`ImageReader`] holds it.
pub struct MemFile {
    pub(super) name: String,
}

impl Drop for MemFile {
    fn drop(&mut self) {
        let files = vfs::files();
        files.remove(&self.name);
        files.remove(&format!("{}-journal", self.name));
    }
}

/// An import into a new file of the chunked VFS.
pub(super) struct Sink {
    file: ChunkedFile,
}

impl Sink {
    pub(super) fn new(len: u64) -> Result<Sink, DbError> {
        usize::try_from(len).map_err(|_| DbError::Image {
            detail: format!("{len} bytes do not fit in memory"),
        })?;
        Ok(Sink {
            file: ChunkedFile::new(vfs::MAIN_CHUNK),
        })
    }

    pub(super) fn write(&mut self, slice: &[u8]) -> Result<(), DbError> {
        self.file.append(slice).map_err(image_error)
    }

    pub(super) fn open(
        self,
        was_wal: bool,
        explain: impl Fn(String) -> DbError,
    ) -> Result<Database, DbError> {
        let number = NEXT_FILE.with(|next| next.replace(next.get() + 1));
        let file = MemFile {
            name: format!("content-db-{number}.db"),
        };
        if !vfs::files().insert(&file.name, self.file) {
            return Err(DbError::Image {
                detail: format!("in-memory file {} exists already", file.name),
            });
        }
        let conn = Connection::open_with_flags_and_vfs(
            &file.name,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            vfs::NAME,
        )?;
        // The rollback journal in SQLite's heap, as for the memdb databases: SQLite writes it
        // page by page and drops it at commit, so a chunked file would buy nothing.
        conn.pragma_update(None, "journal_mode", "MEMORY")
            .map_err(|error| explain(error.to_string()))?;
        // SQLite's page cache copies pages the chunks already hold in memory: a small one
        // (1 MB rather than this build's 16 MiB) saves allocating and first touching fresh
        // memory in every step.
        conn.pragma_update(None, "cache_size", CACHE_SIZE)
            .map_err(|error| explain(error.to_string()))?;
        crate::timing::span("sqlite:quick_check", || quick_check(&conn)).map_err(&explain)?;
        let mut database = Database::ready(conn, super::wal_notices(was_wal))?;
        database.file = Some(file);
        Ok(database)
    }
}

/// Reads a file of the chunked VFS (kept alive by the reader even if the database closes).
pub(super) struct Export {
    file: SharedFile,
}

impl Export {
    /// Copies the bytes at `offset` into `buf`; how many.
    pub(super) fn read(&self, buf: &mut [u8], offset: u64) -> usize {
        self.file.borrow().read(buf, offset)
    }

    /// Hands `use_parts` views of the file's chunks from `offset`, at most `max` bytes in
    /// all; `None` at the end of the file.
    pub(super) fn with_parts<R>(
        &self,
        offset: u64,
        max: usize,
        use_parts: impl FnOnce(&[&[u8]]) -> R,
    ) -> Option<R> {
        let file = self.file.borrow();
        let parts: Vec<&[u8]> = file.parts(offset, max).collect();
        if parts.is_empty() {
            return None;
        }
        Some(use_parts(&parts))
    }
}

pub(super) fn reader(file: &MemFile) -> Result<ImageReader<'static>, DbError> {
    let file = vfs::files().get(&file.name).ok_or_else(|| DbError::Image {
        detail: format!("in-memory file {} is gone", file.name),
    })?;
    let len = file.borrow().len() as u64;
    Ok(ImageReader {
        len,
        offset: 0,
        source: Source::Chunks(Export { file }),
    })
}
