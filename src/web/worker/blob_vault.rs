//! The worker's fallback [`Vault`]: file images kept in Blobs, outside WebAssembly memory (used
//! where the private storage of `opfs_vault.rs` is unavailable or fails), and the chosen `File`.
//!
//! The chosen `File` is a Blob backed by the file on disk, so keeping it as the original costs
//! no memory. A database's image is copied out in slices ([`BLOB_SLICE_LEN`]): each slice goes into
//! a small Blob of its own and the whole is a Blob of those parts, so neither the JS heap nor the
//! wasm memory ever holds the whole image (Chromium keeps Blob data in the browser process and
//! pages large ones to disk). Reading back uses `FileReaderSync`, which dedicated workers have
//! (gloo-file's readers are asynchronous, and the session's requests are not).

use std::any::Any;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use web_sys::{Blob, BlobPropertyBag, FileReaderSync};

use super::session::{Image, StoredImage, Vault};
use crate::db::DbError;
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
}

/// Stashes images into [`BlobImage`]s.
#[derive(Debug, Default, Clone, Copy)]
pub struct BlobVault;

impl BlobImage {
    /// Wraps `blob` (e.g. the `File` the page sent) as a stored image.
    pub fn shared(blob: Blob) -> Image {
        Rc::new(BlobImage { blob })
    }

    /// Reads bytes `from..to` of the Blob into `into` (which must be `to - from` long).
    fn read_range(
        &self,
        reader: &FileReaderSync,
        from: u64,
        to: u64,
        into: &mut [u8],
    ) -> Result<(), DbError> {
        self.read_js(reader, from, to)?.copy_to(into);
        Ok(())
    }

    /// Reads bytes `from..to` of the Blob into a JS array (outside wasm memory).
    fn read_js(&self, reader: &FileReaderSync, from: u64, to: u64) -> Result<Uint8Array, DbError> {
        let part = self
            .blob
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

    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError> {
        let reader = reader()?;
        // Read from the browser BLOB_SLICE_LEN at a time (fewer round trips), copied into wasm
        // memory a piece at a time.
        let mut held: Option<(u64, Uint8Array)> = None;
        import_in_slices(self.len(), progress, &mut |offset, end, part| {
            let (start, bytes) = match held.take() {
                Some((start, bytes)) if end <= start + u64::from(bytes.length()) => (start, bytes),
                _ => {
                    let to = (offset + BLOB_SLICE_LEN as u64).min(self.len());
                    (
                        offset,
                        span("copy:read", || self.read_js(&reader, offset, to))?,
                    )
                }
            };
            bytes
                .subarray((offset - start) as u32, (end - start) as u32)
                .copy_to(part);
            held = Some((start, bytes));
            Ok(())
        })
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
    fn stash(&self, db: &mut Database) -> Result<Image, DbError> {
        span("copy:stash", || stash_in_blobs(db))
    }
}

/// The image of `db` as a Blob of Blobs of [`BLOB_SLICE_LEN`] bytes each.
fn stash_in_blobs(db: &mut Database) -> Result<Image, DbError> {
    let mut reader = db.image_reader()?;
    let parts = Array::new();
    let options = sqlite_options();
    loop {
        // One Blob per BLOB_SLICE_LEN bytes, made straight from views of the in-memory file's
        // chunks (no slice copied out first): the Blob constructor copies the bytes before it
        // returns. SAFETY: nothing allocates in wasm between making the views and the Blob
        // (which would move the memory and invalidate them; `with_next_parts` gathers its list
        // before), and the views are dropped at once.
        let part = span("copy:stash_blob", || {
            reader.with_next_parts(BLOB_SLICE_LEN, |views| {
                let views: Array = views
                    .iter()
                    .map(|view| unsafe { Uint8Array::view(view) })
                    .collect();
                Blob::new_with_u8_array_sequence_and_options(&views, &options)
            })
        });
        let Some(part) = part else { break };
        let part: Blob = part.map_err(|error| keep_failed(&error))?;
        parts.push(&part);
    }
    Ok(BlobImage::shared(blob_of(&parts)?))
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
