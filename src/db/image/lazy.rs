//! A database opened over a page store (`db/pages.rs`): the file is read only where SQLite
//! reads it, and the store's checkpoints, undo and download pieces are the database's.
//!
//! Opening judges the header and reads what SQLite needs for the schema, nothing else: the quick
//! check that reads every page is [`Database::quick_check`], for the caller to run in the
//! background and before anything is migrated or downloaded.

use super::super::pages::{PageError, PageStore, Piece, Segment, Source, Spill};
use super::super::{header, quick_check, Database, DbError};
use super::memfile::{self, image_error};
use super::vfs::{self, StoreFile, MAIN_CHUNK};

/// The original bytes of a lazily opened database (in the page, a `File`).
pub type PageSource = Box<dyn Source + Send>;

/// Where a lazily opened database stores its undo checkpoints' saved chunks (in the page, files
/// in the private storage, `worker/spill_files.rs`), so undo takes no memory, and a download
/// after an undo hands those bytes out as slices of the spill's files (BENCHMARKS.md, issue 16).
pub type PageSpill = Box<dyn Spill + Send>;

/// How much of the source is read at a time when SQLite asks for a page (1 MiB), and
/// how much memory the pieces read may take (1 GiB, as much as the page held of a file before
/// it kept them in a page store). A file that fits is read at most once: a quick check walks
/// each b-tree in key order, not file order, and with 4 pieces kept it read the 100 MB
/// benchmark file 13 times over (BENCHMARKS.md, issue 16). A larger file keeps the most
/// recently used pieces.
pub(super) const READ_LEN: usize = 1 << 20;
const CACHE_BUDGET: usize = 1 << 30;

/// How much memory the pieces read may take when the source rereads cheaply (32 MiB): in the
/// page, a file larger than this is copied into the private storage as SQLite reads it
/// (`worker/file_mirror.rs`), and a piece read again from there costs ~0.3 ms per MiB
/// against ~7 ms from the `File` (BENCHMARKS.md, issue 16), so memory stays bounded whatever
/// the file's size.
pub const CHEAP_CACHE_BUDGET: usize = 32 << 20;

/// How much of a source that rereads cheaply is read at a time (64 KiB): with 1 MiB pieces
/// kept within [`CHEAP_CACHE_BUDGET`], the overview's `integrity_check` of the 500 MB
/// benchmark file took 10.6 s (a b-tree walked in key order hops across the file, and each hop
/// read a whole MiB again); a 64 KiB read from the private storage costs ~25 µs.
const CHEAP_READ_LEN: usize = 64 << 10;

/// How much of the source one read takes when a whole-file pass reads ahead
/// ([`Database::read_ahead`]): in the page each `FileReaderSync` call costs a few ms whatever
/// its size, so 16 MiB at a time rather than a chunk.
const READ_AHEAD_LEN: usize = 16 << 20;

impl Database {
    /// Opens `source` without reading it whole: the header is judged (with the errors of
    /// [`Database::open_bytes`]) and SQLite reads only the pages it needs. A WAL file's header
    /// is switched to rollback-journal mode in the store (with the notice), never in the source.
    /// No quick check runs: see [`Database::quick_check`].
    pub fn open_source(source: PageSource) -> Result<Database, DbError> {
        Database::open_source_with_spill(source, None)
    }

    /// [`Database::open_source`], storing every undo checkpoint's saved chunks in `spill`, if
    /// given.
    pub fn open_source_with_spill(
        source: PageSource,
        spill: Option<PageSpill>,
    ) -> Result<Database, DbError> {
        let len = source.len();
        if len == 0 {
            return Err(DbError::Empty);
        }
        let mut start = vec![0; (header::START_LEN as u64).min(len) as usize];
        source
            .read_exact_at(&mut start, 0)
            .map_err(|error| DbError::Image {
                detail: format!("the file could not be read: {error}"),
            })?;
        let header = header::inspect_start(&start, len)?;
        let (read_len, budget) = if source.rereads_cheaply() {
            (CHEAP_READ_LEN, CHEAP_CACHE_BUDGET)
        } else {
            (READ_LEN, CACHE_BUDGET)
        };
        let mut store =
            PageStore::new(source, MAIN_CHUNK, 1).with_read_len(read_len, budget / read_len);
        if let Some(spill) = spill {
            store = store.with_spill(spill);
        }
        let patched = header::HEADER_LEN.min(start.len());
        if header.bytes[..patched] != start[..patched] {
            store
                .write(&header.bytes[..patched], 0)
                .map_err(image_error)?;
        }
        let explain = super::explainer(start, len);
        let mut database = memfile::open_store(store, header.was_wal, &explain)?;
        database.unchecked = true;
        // The schema, so a file SQLite cannot parse is refused now (as a damaged one).
        database
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|error| explain(error.to_string()))?;
        Ok(database)
    }

    /// A new, empty database (as [`Database::new_empty`]) kept in a page store with no source:
    /// every byte it gets is a written chunk, and it has the checkpoints, undo and pieces of a
    /// database opened with [`Database::open_source`].
    pub fn new_in_store() -> Result<Database, DbError> {
        let explain = |detail: String| DbError::Image { detail };
        let database = memfile::open_store(vfs::empty_file(MAIN_CHUNK), false, &explain)?;
        database
            .conn
            .pragma_update(None, "page_size", super::super::NEW_PAGE_SIZE)?;
        Ok(database)
    }

    /// SQLite's `PRAGMA quick_check` over every page: damage as [`DbError::Corrupt`], with what
    /// the file's first bytes and length tell about it. Reads the file ahead first (see
    /// [`Database::read_ahead`]), telling `progress` (bytes read, bytes to read).
    pub fn quick_check(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<(), DbError> {
        self.read_ahead(progress)?;
        let len = self.with_store(|store| store.len())?;
        // Read (ahead, or as it comes for a file larger than the cache): the check runs now.
        progress(len, len);
        let mut start = vec![0; (header::START_LEN as u64).min(len) as usize];
        self.with_store(|store| store.read(&mut start, 0))?
            .map_err(image_error)?;
        crate::timing::span("sqlite:quick_check", || quick_check(&self.conn))
            .map_err(super::explainer(start, len))
    }

    /// Before a pass over the whole file (a check): reads what SQLite has not read yet of a
    /// lazily opened file, in order and in long reads, when the file fits in the memory kept
    /// for it (otherwise the pass reads as it goes). Nothing to do for a database in memory.
    pub fn read_ahead(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<(), DbError> {
        if !self.is_paged() {
            return Ok(());
        }
        crate::timing::span("copy:read_ahead", || {
            self.with_store(|store| {
                let fetched = store
                    .source()
                    .fetch_all(progress)
                    .map_err(|source| PageError::Source { offset: 0, source })?;
                if fetched {
                    return Ok(true);
                }
                store.read_ahead(READ_AHEAD_LEN, progress)
            })
        })?
        .map_err(image_error)?;
        Ok(())
    }

    /// Notes that a check at least as thorough as the quick check (`integrity_check`) found no
    /// damage: [`Database::ensure_checked`] has nothing left to do.
    pub fn note_checked(&mut self) {
        self.unchecked = false;
    }

    /// Whether the quick check is still owed (see [`Database::ensure_checked`]).
    pub fn owes_check(&self) -> bool {
        self.unchecked
    }

    /// Runs [`Database::quick_check`] once for a database opened without it (nothing to do for
    /// any other): call it before anything is changed or handed out, so a damaged file is never
    /// migrated or downloaded. Fails with the damage found, every time until one passes.
    pub fn ensure_checked(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<(), DbError> {
        if self.unchecked {
            self.quick_check(progress)?;
            self.unchecked = false;
        }
        Ok(())
    }

    /// Starts an undo checkpoint: [`Database::undo`] comes back to the database as it is now,
    /// byte for byte. Costs nothing now; each chunk changed after it is saved once.
    pub fn checkpoint(&mut self) -> Result<(), DbError> {
        self.outside_transaction("a checkpoint")?;
        self.with_store(StoreFile::checkpoint)
    }

    /// Goes back to the newest checkpoint and forgets it; false when there is none.
    pub fn undo(&mut self) -> Result<bool, DbError> {
        self.outside_transaction("an undo")?;
        // SQLite drops its page cache at its next read: the file change counter (header bytes
        // 24–27) differs from the one it cached, as every write transaction since changed it.
        self.with_store(StoreFile::undo)
    }

    /// Forgets the newest checkpoint and keeps the changes made since; false when none.
    pub fn forget_checkpoint(&mut self) -> Result<bool, DbError> {
        self.with_store(StoreFile::forget_checkpoint)
    }

    /// Forgets the oldest checkpoint (it can no longer be undone to); false when none.
    pub fn forget_oldest_checkpoint(&mut self) -> Result<bool, DbError> {
        self.with_store(StoreFile::forget_oldest)
    }

    /// Hands `use_pieces` the file as it is, in order: ranges of the original source, bytes
    /// written since, zeros (what a download is made of; see [`PageStore::pieces`]).
    pub fn with_pieces<R>(&self, use_pieces: impl FnOnce(&[Piece<'_>]) -> R) -> Result<R, DbError> {
        self.with_store(|store| use_pieces(&store.pieces()))
    }

    /// [`Database::with_pieces`], with the source the original ranges are of.
    pub fn with_source_and_pieces<R>(
        &self,
        use_them: impl FnOnce(&dyn Source, &[Piece<'_>]) -> R,
    ) -> Result<R, DbError> {
        self.with_store(|store| use_them(store.source(), &store.pieces()))
    }

    /// The file as it is, as a download is made of it (see [`PageStore::layout`]).
    pub fn layout(&self, min_len: u64) -> Result<Vec<Segment>, DbError> {
        self.with_store(|store| store.layout(min_len))
    }

    /// Appends the file's bytes at `offset`, at most `count` of them, to `out` (from what was
    /// written, or the source); returns how many.
    pub fn append_image_at(
        &self,
        out: &mut Vec<u8>,
        offset: u64,
        count: usize,
    ) -> Result<usize, DbError> {
        self.with_store(|store| {
            store.read_parts(offset, count, |part| out.extend_from_slice(part))
        })?
        .map_err(image_error)
    }

    /// Hands `each` views of the file's bytes at `offset`, at most `count` of them, in order
    /// (views on the written chunks themselves, copies of the rest); returns how many.
    pub fn each_part_at(
        &self,
        offset: u64,
        count: usize,
        each: impl FnMut(&[u8]),
    ) -> Result<usize, DbError> {
        self.with_store(|store| store.read_parts(offset, count, each))?
            .map_err(image_error)
    }

    /// Hands `use_spill` the spill of a database in a page store, if it has one.
    pub fn with_spill<R>(
        &self,
        use_spill: impl FnOnce(Option<&(dyn Spill + Send)>) -> R,
    ) -> Result<R, DbError> {
        self.with_store(|store| use_spill(store.spill()))
    }

    /// Hands `use_source` the source of a database in a page store.
    pub fn with_source<R>(&self, use_source: impl FnOnce(&dyn Source) -> R) -> Result<R, DbError> {
        self.with_store(|store| use_source(store.source()))
    }

    /// Whether the database is kept in a page store (opened with [`Database::open_source`] or
    /// made with [`Database::new_in_store`], or read in slices in WebAssembly).
    pub fn is_paged(&self) -> bool {
        self.file.is_some()
    }

    /// Bytes held in memory for what was written since opening and for the checkpoints.
    pub fn changed_bytes(&self) -> Result<usize, DbError> {
        self.with_store(|store| store.held())
    }

    /// Bytes of what was written since opening kept in the spill rather than in memory.
    pub fn spilled_bytes(&self) -> Result<usize, DbError> {
        self.with_store(|store| store.spilled())
    }

    /// Whether the database is byte for byte its source (nothing written since opening, or
    /// all of it undone).
    pub fn is_unchanged(&self) -> Result<bool, DbError> {
        self.with_store(|store| store.is_original())
    }

    /// How many times the file changed since it was opened (see [`PageStore::changes`]): while
    /// this stays the same, so does every byte of the database.
    pub fn changes(&self) -> Result<u64, DbError> {
        self.with_store(|store| store.changes())
    }

    /// Whether the database's file has an original source with bytes (a chosen file), rather
    /// than only what was written since (the demo, a new database).
    pub fn has_source(&self) -> Result<bool, DbError> {
        self.with_store(|store| !store.source().is_empty())
    }

    fn with_store<R>(&self, action: impl FnOnce(&mut StoreFile) -> R) -> Result<R, DbError> {
        let not_here = || DbError::Image {
            detail: "this database is not kept in a page store".to_string(),
        };
        let file = self.file.as_ref().ok_or_else(not_here)?;
        let shared = vfs::files().get(&file.name).ok_or_else(not_here)?;
        let mut store = vfs::lock(&shared);
        Ok(action(&mut store))
    }

    fn outside_transaction(&self, what: &str) -> Result<(), DbError> {
        if self.conn.is_autocommit() {
            Ok(())
        } else {
            Err(DbError::Image {
                detail: format!("{what} cannot be made while a transaction is open"),
            })
        }
    }
}

#[cfg(test)]
mod tests;
