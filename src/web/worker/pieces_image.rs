//! A download of a chosen file's database whose copied bytes (the pages written since it was
//! chosen) went into a file in the browser's private storage rather than into Blobs: the
//! download is then made of slices of the chosen `File` and of that file's `File`, so those
//! bytes are written once, straight from the page store's chunks, and the browser process never
//! holds them. Used where the copied bytes are at least the vault's threshold (`opfs_vault.rs`):
//! at 500 MB the upgrade's ~300 MB of written pages took ~1.1–1.5 s as Blobs
//! (BENCHMARKS.md, issue 16).
//!
//! The file is written once, then never again, so its `File` stays readable for as long as it
//! exists; it is removed when the image is dropped (the worker keeps a download for a minute
//! after posting it, `request_loop.rs`).

use std::any::Any;

use js_sys::Array;
use wasm_bindgen::JsValue;
use web_sys::{Blob, FileReaderSync};

use super::blob_vault::{
    blob_of, ended_within_layout, import_in_slices, read_failed, read_js, Plan, PlannedPiece,
};
use super::opfs_vault::{start_of, OpenFile};
use super::session::StoredImage;
use crate::db::DbError;
use crate::timing::span;
use crate::Database;

/// One part of the image, in order.
enum Part {
    /// A slice of the chosen `File` (or of a sealed file of the page store's spill).
    Slice(Blob),
    /// Bytes `start..end` of the image's own file.
    Stored { start: u64, end: u64 },
}

/// A database's file as slices of Blobs and ranges of one file in the private storage.
pub struct PiecesImage {
    parts: Vec<Part>,
    file: OpenFile,
    len: u64,
}

impl PiecesImage {
    /// Writes the bytes `plan` (of `db`) copies into the empty `file`, straight from the page
    /// store's chunks (views on WebAssembly memory, no staging copy), and keeps its slices.
    pub(super) fn write(file: OpenFile, db: &Database, plan: Plan) -> Result<PiecesImage, DbError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut written = 0u64;
        let mut len = 0u64;
        for piece in plan.pieces {
            match piece {
                PlannedPiece::Slice(slice) => {
                    len += slice.size() as u64;
                    parts.push(Part::Slice(slice));
                }
                PlannedPiece::Copy { start, end } => {
                    let stored_from = written;
                    let mut failed = None;
                    let count = usize::try_from(end - start).unwrap_or(usize::MAX);
                    let read = db.each_part_at(start, count, |part| {
                        if failed.is_none() {
                            match span("copy:out_stored", || file.write_at(written, part)) {
                                Ok(()) => written += part.len() as u64,
                                Err(error) => failed = Some(error),
                            }
                        }
                    })?;
                    if let Some(error) = failed {
                        return Err(error);
                    }
                    if read as u64 != end - start {
                        return Err(ended_within_layout(start + read as u64));
                    }
                    match parts.last_mut() {
                        Some(Part::Stored { end: last, .. }) if *last == stored_from => {
                            *last = written;
                        }
                        _ => parts.push(Part::Stored {
                            start: stored_from,
                            end: written,
                        }),
                    }
                    len += end - start;
                }
            }
        }
        Ok(PiecesImage { parts, file, len })
    }

    /// The download as one Blob: the slices, and slices of the file's disk-backed `File`.
    pub async fn blob(&self) -> Result<Blob, JsValue> {
        let stored = self.file.snapshot().await?;
        let parts = Array::new();
        for part in &self.parts {
            match part {
                Part::Slice(slice) => {
                    parts.push(slice);
                }
                Part::Stored { start, end } => {
                    let slice = stored.slice_with_f64_and_f64(*start as f64, *end as f64)?;
                    parts.push(&slice);
                }
            }
        }
        blob_of(&parts).map_err(|error| JsValue::from_str(&error.to_string()))
    }

    /// Fills `into` with the image's bytes at `offset`.
    fn read_at(&self, offset: u64, into: &mut [u8]) -> Result<(), DbError> {
        let reader = FileReaderSync::new().map_err(|error| read_failed(&error))?;
        let end = offset + into.len() as u64;
        let mut part_start = 0u64;
        for part in &self.parts {
            let part_len = match part {
                Part::Slice(slice) => slice.size() as u64,
                Part::Stored { start, end } => end - start,
            };
            let (from, to) = (offset.max(part_start), end.min(part_start + part_len));
            if from < to {
                let target = &mut into[(from - offset) as usize..(to - offset) as usize];
                let (within, until) = (from - part_start, to - part_start);
                match part {
                    Part::Slice(slice) => read_js(slice, &reader, within, until)?.copy_to(target),
                    Part::Stored { start, .. } => self.file.read_exact_at(start + within, target)?,
                }
            }
            part_start += part_len;
        }
        Ok(())
    }
}

impl StoredImage for PiecesImage {
    fn len(&self) -> u64 {
        self.len
    }

    fn start(&self, count: usize) -> Result<Vec<u8>, DbError> {
        start_of(self.len, count, |into| self.read_at(0, into))
    }

    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError> {
        import_in_slices(self.len, progress, &mut |offset, _end, part| {
            self.read_at(offset, part)
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
