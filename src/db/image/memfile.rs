//! The WebAssembly storage of an image: a file of the page store VFS (`vfs.rs`), filled by
//! writing the slices straight into its chunks and read out chunk by chunk.

use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OpenFlags};

use super::super::pages::PageError;
#[cfg(target_arch = "wasm32")]
use super::super::quick_check;
use super::super::{Database, DbError};
use super::vfs::{self, SharedFile, StoreFile};
use super::{ImageReader, Source};

/// Numbers the files, so each database has its own.
static NEXT_FILE: AtomicU64 = AtomicU64::new(1);

/// The page cache of a database in the chunked VFS, as `PRAGMA cache_size` takes it
/// (negative: KiB). Small, because the chunks hold every page in memory already: a larger cache
/// only copies them, and costs wasm memory without making a step faster (BENCHMARKS.md, “Figures behind the code's constants”).
const CACHE_SIZE: i64 = -1000;

pub(super) fn image_error(error: PageError) -> DbError {
    DbError::Image {
        detail: format!("in-memory file: {error}"),
    }
}

/// A file of the page store VFS owned by one [`Database`]; dropping it (after the connection,
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

/// An import into a new file of the page store VFS.
#[cfg(target_arch = "wasm32")]
pub(super) struct Sink {
    file: StoreFile,
}

#[cfg(target_arch = "wasm32")]
impl Sink {
    pub(super) fn new(len: u64) -> Result<Sink, DbError> {
        usize::try_from(len).map_err(|_| DbError::Image {
            detail: format!("{len} bytes do not fit in memory"),
        })?;
        Ok(Sink {
            file: vfs::empty_file(vfs::MAIN_CHUNK),
        })
    }

    pub(super) fn write(&mut self, slice: &[u8]) -> Result<(), DbError> {
        let end = self.file.len();
        self.file.write(slice, end).map_err(image_error)
    }

    pub(super) fn open(
        self,
        was_wal: bool,
        explain: impl Fn(String) -> DbError,
    ) -> Result<Database, DbError> {
        let database = open_store(self.file, was_wal, &explain)?;
        crate::timing::span("sqlite:quick_check", || quick_check(&database.conn))
            .map_err(&explain)?;
        Ok(database)
    }
}

/// Opens `file` as a new database of the page store VFS (no quick check: the caller's choice).
pub(super) fn open_store(
    file: StoreFile,
    was_wal: bool,
    explain: &impl Fn(String) -> DbError,
) -> Result<Database, DbError> {
    let number = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
    let file_name = MemFile {
        name: format!("content-db-{number}.db"),
    };
    if !vfs::files().insert(&file_name.name, file) {
        return Err(DbError::Image {
            detail: format!("in-memory file {} exists already", file_name.name),
        });
    }
    let conn = Connection::open_with_flags_and_vfs(
        &file_name.name,
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
    let mut database = Database::ready(conn, super::wal_notices(was_wal))?;
    database.file = Some(file_name);
    Ok(database)
}

/// Reads a file of the page store VFS (kept alive by the reader even if the database closes).
pub(super) struct Export {
    file: SharedFile,
}

impl Export {
    /// Copies the bytes at `offset` into `buf`; how many.
    pub(super) fn read(&self, buf: &mut [u8], offset: u64) -> Result<usize, DbError> {
        vfs::lock(&self.file).read(buf, offset).map_err(image_error)
    }

    /// Hands `use_parts` views of the file from `offset`, at most `max` bytes in all (a copy
    /// where they are still in the original file); `None` at the end of the file.
    pub(super) fn with_parts<R>(
        &self,
        offset: u64,
        max: usize,
        use_parts: impl FnOnce(&[&[u8]]) -> R,
    ) -> Option<R> {
        let mut file = vfs::lock(&self.file);
        if let Some(parts) = file.written_parts(offset, max) {
            return (!parts.is_empty()).then(|| use_parts(&parts));
        }
        let mut copy = vec![0; (file.len().saturating_sub(offset)).min(max as u64) as usize];
        let count = file.read(&mut copy, offset).ok()?;
        (count > 0).then(|| use_parts(&[&copy[..count]]))
    }
}

pub(super) fn reader(file: &MemFile) -> Result<ImageReader<'static>, DbError> {
    let file = vfs::files().get(&file.name).ok_or_else(|| DbError::Image {
        detail: format!("in-memory file {} is gone", file.name),
    })?;
    let len = vfs::lock(&file).len();
    Ok(ImageReader {
        len,
        offset: 0,
        source: Source::Chunks(Export { file }),
    })
}
