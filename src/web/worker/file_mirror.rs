//! The chosen `File`'s copy in the browser's private storage (OPFS), filled as SQLite reads it,
//! so the page store keeps only a few pieces of a large file in WebAssembly memory
//! ([`crate::db::CHEAP_CACHE_BUDGET`]) whatever its size: a piece read again comes from here
//! (~0.3 ms per MiB, a few µs per call through the sync access handle) rather than from the
//! `File` (~2–3 ms per `FileReaderSync` call whatever its size, ~3 ms per MiB in 1 MiB reads).
//! Figures: BENCHMARKS.md, issue 16 (`node benches/clean_cache.mjs 500`).
//!
//! The copy is made in blocks of [`BLOCK_LEN`]: the first read that touches a block reads all of
//! it from the `File` in one call and writes it here straight from the JS buffer (it never
//! passes through wasm memory). If a write or a read here fails (quota, storage cleared), the
//! copy is no longer used and every read goes to the `File` again. The copy is an
//! [`OpenFile`] of the worker's session directory: removed when the image it belongs to is
//! dropped, or by the next tab after a crash.

use std::cell::{Cell, RefCell};

use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReaderSync};

use super::blob_vault::read_js;
use super::opfs_vault::OpenFile;
use crate::db::DbError;
use crate::timing::span;

/// How much of the `File` one fetch reads and writes (16 MiB): each `FileReaderSync` call costs
/// a few ms whatever its length (BENCHMARKS.md, “Figures behind the code's constants”).
const BLOCK_LEN: u64 = 16 << 20;

/// Files of up to this many bytes are not copied: the page store keeps every piece it reads of
/// them within the same budget a copied file's pieces get.
pub(super) const MIRROR_FROM: u64 = crate::db::CHEAP_CACHE_BUDGET as u64;

/// A copy of a `File` in the private storage, filled a block at a time (see the module doc).
pub(super) struct FileMirror {
    file: OpenFile,
    /// Whether each block of the `File` has been copied.
    fetched: RefCell<Vec<bool>>,
    /// Set when a write or read failed: the copy is not used any more.
    broken: Cell<bool>,
}

impl FileMirror {
    /// A mirror of a `File` of `len` bytes into the empty `file`.
    pub(super) fn new(file: OpenFile, len: u64) -> FileMirror {
        FileMirror {
            file,
            fetched: RefCell::new(vec![false; len.div_ceil(BLOCK_LEN) as usize]),
            broken: Cell::new(false),
        }
    }

    /// Whether reads can still be served from the copy.
    pub(super) fn usable(&self) -> bool {
        !self.broken.get()
    }

    /// Fills `bufs` in order with the bytes of `blob` from `offset` on, copying the blocks they
    /// touch first. `Ok(false)` when the copy failed (it is then given up: read the `File`); an
    /// error only when the `File` itself could not be read.
    pub(super) fn read_pieces(
        &self,
        blob: &Blob,
        reader: &FileReaderSync,
        bufs: &mut [&mut [u8]],
        offset: u64,
    ) -> Result<bool, DbError> {
        if !self.usable() {
            return Ok(false);
        }
        let total: u64 = bufs.iter().map(|buf| buf.len() as u64).sum();
        if total == 0 {
            return Ok(true);
        }
        let first = offset / BLOCK_LEN;
        let last = (offset + total - 1) / BLOCK_LEN;
        for block in first..=last {
            if !self.fetch(blob, reader, block)? {
                return Ok(false);
            }
        }
        let mut at = offset;
        for buf in bufs.iter_mut() {
            let read = span("copy:mirror_read", || self.file.read_at(at, buf));
            match read {
                Ok(count) if count == buf.len() => at += count as u64,
                Ok(count) => {
                    return Ok(self.give_up(&format!(
                        "the copy ended early ({count} of {} bytes at {at})",
                        buf.len()
                    )))
                }
                Err(error) => return Ok(self.give_up(&error.to_string())),
            }
        }
        Ok(true)
    }

    /// Copies every block not copied yet, in order, telling `progress` (bytes copied, bytes to
    /// copy). False when the copy failed (given up).
    pub(super) fn fetch_all(
        &self,
        blob: &Blob,
        reader: &FileReaderSync,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<bool, DbError> {
        let len = blob.size() as u64;
        let missing: Vec<u64> = (0..self.fetched.borrow().len() as u64)
            .filter(|&block| !self.fetched.borrow()[block as usize])
            .collect();
        let block_len = |block: u64| {
            let (start, end) = block_range(block, len);
            end - start
        };
        let total: u64 = missing.iter().map(|&block| block_len(block)).sum();
        let mut done = 0;
        for block in missing {
            if !self.fetch(blob, reader, block)? {
                return Ok(false);
            }
            done += block_len(block);
            progress(done, total);
        }
        Ok(self.usable())
    }

    /// Copies the first block not copied yet, reading the `File` asynchronously (a 16 MiB
    /// `Blob.arrayBuffer()`, several times faster than a `FileReaderSync` read of it, and the
    /// worker can take a request meanwhile): what the worker does while it has nothing else to
    /// do, so a later pass over the file reads the copy. False when there is nothing left to
    /// copy (or the copy or the `File` failed: a read by SQLite then says why).
    pub(super) async fn fetch_next(&self, blob: &Blob) -> bool {
        if !self.usable() {
            return false;
        }
        let Some(block) = self.fetched.borrow().iter().position(|done| !done) else {
            return false;
        };
        let (start, end) = block_range(block as u64, blob.size() as u64);
        let Ok(part) = blob.slice_with_f64_and_f64(start as f64, end as f64) else {
            return false;
        };
        let began = crate::timing::now();
        let Ok(buffer) = JsFuture::from(part.array_buffer()).await else {
            return false;
        };
        crate::timing::record_since("copy:prefetch_read", began);
        // SQLite may have needed the block while the read was under way.
        if self.fetched.borrow()[block] {
            return true;
        }
        let bytes = Uint8Array::new(&buffer);
        if u64::from(bytes.length()) != end - start {
            return false;
        }
        self.keep(block as u64, start, &bytes)
    }

    /// Copies block `block` of `blob` here unless it is already; false when the copy failed.
    fn fetch(&self, blob: &Blob, reader: &FileReaderSync, block: u64) -> Result<bool, DbError> {
        if self.fetched.borrow()[block as usize] {
            return Ok(true);
        }
        if !self.usable() {
            return Ok(false);
        }
        let (start, end) = block_range(block, blob.size() as u64);
        let bytes = span("copy:read", || read_js(blob, reader, start, end))?;
        Ok(self.keep(block, start, &bytes))
    }

    /// Writes `bytes`, block `block` of the `File` (from `start`), into the copy and marks it
    /// copied; false when the write failed (the copy is then given up).
    fn keep(&self, block: u64, start: u64, bytes: &Uint8Array) -> bool {
        if let Err(error) = span("copy:mirror_write", || self.file.write_js_at(start, bytes)) {
            return self.give_up(&error.to_string());
        }
        self.fetched.borrow_mut()[block as usize] = true;
        true
    }

    /// Stops using the copy (reads go to the `File` from now on); says why in the console.
    fn give_up(&self, why: &str) -> bool {
        self.broken.set(true);
        web_sys::console::warn_1(
            &format!(
                "content-db: the copy of the chosen file in the browser's private storage is no \
                 longer used ({why}); reading the file itself"
            )
            .into(),
        );
        false
    }
}

/// Bytes `start..end` of block `block` of a file of `len` bytes (the last block is shorter).
fn block_range(block: u64, len: u64) -> (u64, u64) {
    let start = block * BLOCK_LEN;
    (start, (start + BLOCK_LEN).min(len))
}
