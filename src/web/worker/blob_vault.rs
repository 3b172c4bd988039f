//! The worker's [`Vault`] of Blobs: copies of a database (downloads, the demo's original) kept
//! outside WebAssembly memory, the chosen `File` as a stored image, and [`BlobSource`], which
//! the page store reads that `File` through.
//!
//! The chosen `File` is a Blob backed by the file on disk, so keeping it as the original costs
//! no memory. A copy of a database ([`copy_pieces`]) is a Blob of the `File`'s unchanged slices
//! and Blobs of up to [`BLOB_SLICE_LEN`] copied bytes each, so neither the JS heap nor the wasm
//! memory ever holds the whole file (Chromium keeps Blob data in the browser process and pages
//! large ones to disk). Reading uses `FileReaderSync`, which dedicated workers have (gloo-file's
//! readers are asynchronous, and the session's requests are not).

use std::any::Any;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use web_sys::{Blob, BlobPropertyBag, FileReaderSync};

use super::file_mirror::FileMirror;
use super::opfs_vault::OpfsVault;
use super::session::{Image, StoredImage, Vault};
use super::spill_files::SpillFiles;
use crate::db::pages::{Segment, Source, SourceError};
use crate::db::{DbError, PageSpill};
use crate::timing::span;
use crate::Database;

/// How many bytes move at once between a Blob and WebAssembly memory, both ways. Each
/// `FileReaderSync` read and each Blob made costs a round trip to the browser process, so
/// 16 MiB slices are faster than 4 MiB ones (BENCHMARKS.md, “Figures behind the code's constants”); larger slices gain less and cost
/// wasm memory, which never shrinks (the slice is one buffer, reused).
pub const BLOB_SLICE_LEN: usize = 16 << 20;

/// The media type registered for SQLite files.
pub const SQLITE_MEDIA_TYPE: &str = "application/vnd.sqlite3";

/// A file image in a Blob (or the chosen `File`).
pub struct BlobImage {
    /// The Blob; posted to the page as it is (Blobs are passed by reference).
    pub blob: Blob,
    /// Its copy in the private storage, for a chosen `File` larger than
    /// [`MIRROR_FROM`](super::file_mirror::MIRROR_FROM) where OPFS works.
    mirror: Option<Rc<FileMirror>>,
    /// Where its database keeps its undo checkpoints' saved chunks, for a mirrored `File`
    /// (`spill_files.rs`).
    spill_vault: Option<OpfsVault>,
}

/// Copies databases into [`BlobImage`]s ([`copy_pieces`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct BlobVault;

impl BlobImage {
    /// Wraps `blob` (e.g. the `File` the page sent) as a stored image.
    pub fn shared(blob: Blob) -> Image {
        Rc::new(BlobImage {
            blob,
            mirror: None,
            spill_vault: None,
        })
    }

    /// Copies the next block of a large chosen `File` into its copy in the private storage (see
    /// `FileMirror::fetch_next`); false when there is nothing (left) to copy.
    pub async fn fetch_next(&self) -> bool {
        match &self.mirror {
            Some(mirror) => mirror.fetch_next(&self.blob).await,
            None => false,
        }
    }

    /// Whether it is read through a copy in the private storage (a large chosen `File`).
    pub fn is_mirrored(&self) -> bool {
        self.mirror.is_some()
    }

    /// Wraps the chosen `File`, read through `mirror` when there is one (see `file_mirror.rs`);
    /// its database then keeps its undo checkpoints' saved chunks in files of `vault`
    /// (`spill_files.rs`).
    pub fn mirrored(blob: Blob, mirror: Option<FileMirror>, vault: &OpfsVault) -> Image {
        let spill_vault = mirror.is_some().then(|| vault.clone());
        Rc::new(BlobImage {
            blob,
            mirror: mirror.map(Rc::new),
            spill_vault,
        })
    }

    /// Reads bytes `from..to` of the Blob into `into` (which must be `to - from` long).
    fn read_range(
        &self,
        reader: &FileReaderSync,
        from: u64,
        to: u64,
        into: &mut [u8],
    ) -> Result<(), DbError> {
        read_js(&self.blob, reader, from, to)?.copy_to(into);
        Ok(())
    }
}

/// Reads bytes `from..to` of `blob` into a JS array (outside wasm memory).
pub(super) fn read_js(blob: &Blob, reader: &FileReaderSync, from: u64, to: u64) -> Result<Uint8Array, DbError> {
    let part = blob
        .slice_with_f64_and_f64(from as f64, to as f64)
        .map_err(|error| read_failed(&error))?;
    let buffer = reader
        .read_as_array_buffer(&part)
        .map_err(|error| read_failed(&error))?;
    let bytes = Uint8Array::new(&buffer);
    if u64::from(bytes.length()) != to - from {
        return Err(DbError::Image {
            detail: format!(
                "the browser read {} bytes at offset {from} where {} were expected (was the \
                 file changed since it was chosen?)",
                bytes.length(),
                to - from
            ),
        });
    }
    Ok(bytes)
}

/// A Blob (the chosen `File`, or an image kept in a Blob) as the source of a database opened
/// lazily: the page store reads it a chunk at a time with `FileReaderSync`, so only the pages
/// SQLite touches enter WebAssembly memory.
pub struct BlobSource {
    blob: Blob,
    reader: FileReaderSync,
    /// The Blob's copy in the private storage, where reads go when it has one.
    mirror: Option<Rc<FileMirror>>,
}

impl BlobSource {
    /// A source reading `blob`, through `mirror` when given.
    pub fn new(blob: Blob, mirror: Option<Rc<FileMirror>>) -> Result<BlobSource, DbError> {
        Ok(BlobSource {
            blob,
            reader: reader()?,
            mirror,
        })
    }

    /// A read the mirror served (false: none, or it failed and the `File` is read instead).
    fn read_mirrored(&self, bufs: &mut [&mut [u8]], offset: u64) -> Result<bool, SourceError> {
        match &self.mirror {
            Some(mirror) => mirror
                .read_pieces(&self.blob, &self.reader, bufs, offset)
                .map_err(|error| SourceError {
                    detail: error.to_string(),
                }),
            None => Ok(false),
        }
    }
}

// SAFETY: the worker's wasm32-unknown-unknown build has no threads (no atomics), so these JS
// handles never leave the one thread; the VFS keeps its files behind a `Mutex` in a `static`,
// which asks for `Send` all the same.
#[cfg(not(target_feature = "atomics"))]
unsafe impl Send for BlobSource {}

impl Source for BlobSource {
    fn len(&self) -> u64 {
        self.blob.size() as u64
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn rereads_cheaply(&self) -> bool {
        self.mirror.as_ref().is_some_and(|mirror| mirror.usable())
    }

    fn fetch_all(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<bool, SourceError> {
        match &self.mirror {
            Some(mirror) => mirror
                .fetch_all(&self.blob, &self.reader, progress)
                .map_err(|error| SourceError {
                    detail: error.to_string(),
                }),
            None => Ok(false),
        }
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        if self.read_mirrored(&mut [&mut *buf], offset)? {
            return Ok(());
        }
        let to = offset + buf.len() as u64;
        let bytes = span("copy:read", || read_js(&self.blob, &self.reader, offset, to)).map_err(
            |error| SourceError {
                detail: error.to_string(),
            },
        )?;
        bytes.copy_to(buf);
        Ok(())
    }

    /// One `FileReaderSync` call for all of `bufs` (each call costs a few ms whatever its
    /// size), copied out piece by piece.
    fn read_pieces_at(&self, bufs: &mut [&mut [u8]], offset: u64) -> Result<(), SourceError> {
        if self.read_mirrored(bufs, offset)? {
            return Ok(());
        }
        let total: u64 = bufs.iter().map(|buf| buf.len() as u64).sum();
        let bytes = span("copy:read", || {
            read_js(&self.blob, &self.reader, offset, offset + total)
        })
        .map_err(|error| SourceError {
            detail: error.to_string(),
        })?;
        let mut at = 0u32;
        for buf in bufs.iter_mut() {
            let end = at + buf.len() as u32;
            bytes.subarray(at, end).copy_to(buf);
            at = end;
        }
        Ok(())
    }
}

/// The error for a `File` or Blob the browser could not read.
pub(super) fn read_failed(error: &wasm_bindgen::JsValue) -> DbError {
    DbError::Image {
        detail: format!(
            "the browser could not read the file ({}); it may have been moved or changed since \
             it was chosen",
            error
                .as_string()
                .or_else(|| js_sys::JSON::stringify(error)
                    .ok()
                    .and_then(|s| s.as_string()))
                .unwrap_or_else(|| format!("{error:?}"))
        ),
    }
}

fn reader() -> Result<FileReaderSync, DbError> {
    FileReaderSync::new().map_err(|error| read_failed(&error))
}

impl StoredImage for BlobImage {
    fn len(&self) -> u64 {
        self.blob.size() as u64
    }

    fn start(&self, count: usize) -> Result<Vec<u8>, DbError> {
        let end = (count as u64).min(self.len());
        let mut bytes = vec![0; end as usize];
        self.read_range(&reader()?, 0, end, &mut bytes)?;
        Ok(bytes)
    }

    /// Opens the Blob lazily: its header and the pages SQLite reads (the quick check is owed,
    /// see [`Database::ensure_checked`]).
    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError> {
        let spill = self
            .spill_vault
            .as_ref()
            .map(|vault| Box::new(SpillFiles::new(vault.clone())) as PageSpill);
        let db = Database::open_source_with_spill(
            Box::new(BlobSource::new(self.blob.clone(), self.mirror.clone())?),
            spill,
        )?;
        progress(self.len(), self.len());
        Ok(db)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Reads the bytes from `offset` to `end` of a stored image into `part`.
pub(super) type ReadSlice<'r> = dyn FnMut(u64, u64, &mut [u8]) -> Result<(), DbError> + 'r;

/// The wasm buffer a stored image is read back through: the size of the in-memory file's
/// chunks, so it fits in memory a dropped database freed (a larger buffer does not fit in the
/// freed chunks and grows the worker's memory).
const IMPORT_PIECE_LEN: usize = 1 << 20;

/// A new database of `total` bytes, filled [`IMPORT_PIECE_LEN`] bytes at a time by
/// `read(offset, end, part)`, reporting (bytes read, total) to `progress` every
/// [`BLOB_SLICE_LEN`] bytes and at the end.
pub(super) fn import_in_slices(
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
    read: &mut ReadSlice<'_>,
) -> Result<Database, DbError> {
    let mut import = Database::import(total)?;
    let mut piece = vec![0; (IMPORT_PIECE_LEN as u64).min(total) as usize];
    let mut offset = 0;
    while offset < total {
        let end = (offset + IMPORT_PIECE_LEN as u64).min(total);
        let part = &mut piece[..(end - offset) as usize];
        read(offset, end, part)?;
        span("copy:import", || import.write(part))?;
        offset = end;
        if offset % BLOB_SLICE_LEN as u64 == 0 || offset == total {
            progress(offset, total);
        }
    }
    import.finish()
}

impl Vault for BlobVault {
    fn copy_out(&self, db: &mut Database) -> Result<Image, DbError> {
        span("copy:out_pieces", || copy_pieces(db))
    }
}

/// The file of a database in a page store as a Blob: over a Blob (the chosen `File`), that
/// Blob's unchanged slices and copies of the rest (the chunks written since, and the short
/// unchanged gaps between them), so no whole copy passes through WebAssembly and only the
/// copied bytes are new for the browser to keep; over no source (the demo, a new database),
/// copies of its chunks. The copies go out [`BLOB_SLICE_LEN`] bytes at a time, one Blob each:
/// every Blob or slice made is a round trip to the browser process, and a Blob per written run
/// made the download after the upgrade of the 100 MB file take 604 ms.
pub(super) fn copy_pieces(db: &Database) -> Result<Image, DbError> {
    copy_planned(db, plan(db)?)
}

/// [`copy_pieces`] of a plan made already.
pub(super) fn copy_planned(db: &Database, plan: Plan) -> Result<Image, DbError> {
    let parts = Array::new();
    let mut staging: Vec<u8> = Vec::new();
    for piece in plan.pieces {
        match piece {
            PlannedPiece::Slice(slice) => {
                flush(&mut staging, &parts)?;
                parts.push(&slice);
            }
            PlannedPiece::Copy { start, end } => {
                span("copy:out_copy", || {
                    let mut at = start;
                    while at < end {
                        if staging.capacity() == 0 {
                            staging.reserve_exact(BLOB_SLICE_LEN);
                        }
                        let count = usize::try_from(end - at)
                            .unwrap_or(usize::MAX)
                            .min(BLOB_SLICE_LEN - staging.len());
                        let read = db.append_image_at(&mut staging, at, count)?;
                        if read == 0 {
                            return Err(ended_within_layout(at));
                        }
                        at += read as u64;
                        if staging.len() == BLOB_SLICE_LEN {
                            flush(&mut staging, &parts)?;
                        }
                    }
                    Ok::<(), DbError>(())
                })?
            }
        }
    }
    flush(&mut staging, &parts)?;
    let whole = span("copy:out_compose", || blob_of(&parts))?;
    Ok(BlobImage::shared(whole))
}

/// The shortest unchanged range a download takes as a slice of the original `File`; shorter
/// ones are copied with the written bytes around them (from the pieces read already).
const MIN_SLICE_LEN: u64 = 1 << 20;

/// One part of a download of a database in a page store, in order: see [`plan`].
pub(super) enum PlannedPiece {
    /// A slice of the chosen `File` or of a sealed file of the spill: nothing to copy.
    Slice(Blob),
    /// Bytes `start..end` of the database to copy out.
    Copy {
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
    },
}

/// What a download of a database in a page store is made of.
pub(super) struct Plan {
    /// Its parts, in order.
    pub pieces: Vec<PlannedPiece>,
    /// How many bytes the `Copy` parts hold.
    pub copied: u64,
}

/// The parts of a download of `db`: over a Blob (the chosen `File`), its unchanged ranges of at
/// least [`MIN_SLICE_LEN`] and the ranges stored in sealed files of the spill are slices;
/// everything else (the written chunks, the short gaps between them; over no source, all of
/// it) is to be copied.
pub(super) fn plan(db: &Database) -> Result<Plan, DbError> {
    let file = db.with_source(|source| {
        source
            .as_any()
            .downcast_ref::<BlobSource>()
            .map(|source| source.blob.clone())
    })?;
    let spill = db.with_spill(|spill| {
        spill.and_then(|spill| spill.as_any().downcast_ref::<SpillFiles>().cloned())
    })?;
    // Without a Blob to slice, every range is copied.
    let min_slice = if file.is_some() { MIN_SLICE_LEN } else { u64::MAX };
    let layout = span("copy:out_layout", || db.layout(min_slice))?;
    let mut plan = Plan {
        pieces: Vec::with_capacity(layout.len()),
        copied: 0,
    };
    for segment in layout {
        let slice = match (segment, &file) {
            (Segment::Source { start, end }, Some(file)) => Some(
                span("copy:out_slice", || {
                    file.slice_with_f64_and_f64(start as f64, end as f64)
                })
                .map_err(|error| keep_failed(&error))?,
            ),
            // Stored in a sealed file of the spill: a slice of it (or, not sealed, a copy).
            (Segment::Spilled { start, end, at }, _) => span("copy:out_spilled", || {
                spill.as_ref().and_then(|spill| spill.slice(at, end - start))
            }),
            _ => None,
        };
        let piece = match (slice, segment) {
            (Some(slice), _) => PlannedPiece::Slice(slice),
            (
                None,
                Segment::Source { start, end }
                | Segment::Copy { start, end }
                | Segment::Spilled { start, end, .. },
            ) => {
                plan.copied += end - start;
                PlannedPiece::Copy { start, end }
            }
        };
        plan.pieces.push(piece);
    }
    Ok(plan)
}

/// The error of a copy that found the database ending at byte `at`, before the end of the
/// layout it was planned from.
pub(super) fn ended_within_layout(at: u64) -> DbError {
    DbError::Image {
        detail: format!("the database ended at byte {at}, within its layout"),
    }
}

/// Makes the bytes gathered in `staging` into one Blob at the end of `parts`, and empties it.
fn flush(staging: &mut Vec<u8>, parts: &Array) -> Result<(), DbError> {
    if staging.is_empty() {
        return Ok(());
    }
    // SAFETY: the view lives only until the Blob constructor, which copies the bytes before it
    // returns; nothing allocates in wasm memory in between.
    let view = unsafe { Uint8Array::view(staging) };
    let blob = span("copy:out_blob", || blob_of(&Array::of1(&view)))?;
    parts.push(&blob);
    staging.clear();
    Ok(())
}

/// A Blob of SQLite's media type made of `parts` (typed arrays or Blobs).
pub fn blob_of(parts: &Array) -> Result<Blob, DbError> {
    Blob::new_with_blob_sequence_and_options(parts, &sqlite_options())
        .map_err(|error| keep_failed(&error))
}

fn sqlite_options() -> BlobPropertyBag {
    let options = BlobPropertyBag::new();
    options.set_type(SQLITE_MEDIA_TYPE);
    options
}

fn keep_failed(error: &wasm_bindgen::JsValue) -> DbError {
    DbError::Image {
        detail: format!("the browser could not keep a copy of the database ({error:?})"),
    }
}
