//! Reads the chosen `File` into a new [`Database`] through the File's byte stream with a
//! bring-your-own-buffer reader: one 1 MiB `ArrayBuffer` goes back and forth between the worker
//! and the browser, and each chunk is copied once into WebAssembly memory and written into the
//! database's image.
//!
//! Why not `FileReaderSync`: the BYOB stream reads a file into wasm memory in about half its
//! time, and reading the next slice while the current one is imported gains nothing (the read's
//! cost is on the worker's thread too; BENCHMARKS.md, “Figures behind the code's constants”). The read is asynchronous, so the worker
//! does it before it hands the request to the session, as a [`PreRead`] image.

use std::any::Any;
use std::cell::RefCell;

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamByobReader};

use super::blob_vault::{read_failed, BlobImage, BLOB_SLICE_LEN};
use super::session::{Image, StoredImage};
use crate::db::DbError;
use crate::timing::span;
use crate::Database;

/// The stream's chunk: 1 MiB reads fastest.
const CHUNK_LEN: u32 = 1 << 20;

/// Reads `blob` into a new database; `progress` gets (bytes read, total) about every
/// [`BLOB_SLICE_LEN`] bytes. Falls back to `FileReaderSync` where the stream cannot be read
/// with a BYOB reader.
pub async fn read_database(
    blob: &Blob,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Database, DbError> {
    let total = blob.size() as u64;
    let reader = match ReadableStreamByobReader::new(&blob.stream()) {
        Ok(reader) => reader,
        Err(_) => return BlobImage { blob: blob.clone() }.open(progress),
    };
    let mut import = Database::import(total)?;
    let mut slice = vec![0; (CHUNK_LEN as u64).min(total).max(1) as usize];
    let mut buffer = ArrayBuffer::new(CHUNK_LEN);
    let (mut read, mut reported) = (0u64, 0u64);
    loop {
        let view = Uint8Array::new(&buffer);
        let result = JsFuture::from(reader.read_with_array_buffer_view(&view))
            .await
            .map_err(|error| read_failed(&error))?;
        let field = |name: &str| Reflect::get(&result, &JsValue::from_str(name));
        if field("done").map_err(|e| read_failed(&e))?.is_truthy() {
            break;
        }
        let chunk: Uint8Array = field("value")
            .map_err(|e| read_failed(&e))?
            .dyn_into()
            .map_err(|e| read_failed(&e))?;
        let count = chunk.length() as usize;
        let part = &mut slice[..count];
        span("copy:read", || chunk.copy_to(part));
        span("copy:import", || import.write(part))?;
        read += count as u64;
        if read - reported >= BLOB_SLICE_LEN as u64 || read == total {
            reported = read;
            progress(read, total);
        }
        // The read transferred the buffer into `chunk`; the next read reuses it.
        buffer = chunk.buffer();
    }
    reader.release_lock();
    import.finish()
}

/// The chosen file, already read into a database by [`read_database`]: the session "opens" it
/// by taking that database (once); everything else is the `File`'s (the backup download and
/// the first undo use the `File` itself).
pub struct PreRead {
    file: BlobImage,
    read: RefCell<Option<Result<Database, DbError>>>,
}

impl PreRead {
    /// The image for the session: `file` with the result of reading it.
    pub fn shared(file: Blob, read: Result<Database, DbError>) -> Image {
        std::rc::Rc::new(PreRead {
            file: BlobImage { blob: file },
            read: RefCell::new(Some(read)),
        })
    }
}

impl StoredImage for PreRead {
    fn len(&self) -> u64 {
        self.file.len()
    }

    fn start(&self, count: usize) -> Result<Vec<u8>, DbError> {
        self.file.start(count)
    }

    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError> {
        match self.read.borrow_mut().take() {
            Some(read) => read,
            None => self.file.open(progress),
        }
    }

    fn as_any(&self) -> &dyn Any {
        // The worker posts the `File` for a backup download.
        self.file.as_any()
    }
}
