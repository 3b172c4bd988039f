//! The page store's [`Spill`] in the browser's private storage (OPFS): where a large chosen
//! file's database keeps its undo checkpoints' saved chunks, so undo takes no WebAssembly
//! memory, and a download after an undo hands those bytes to the browser as slices of these
//! files instead of copying them out of WebAssembly (BENCHMARKS.md, issue 16).
//!
//! Chromium's `File` of an OPFS file (`getFile()`) can no longer be read once the file is
//! written again, so the stored bytes go to one file at a time: after each request that stored
//! bytes, the worker [seals](SpillFiles::seal) that file (takes its `File`, and never writes it
//! again) and the next bytes go to a new one. A download slices the sealed files' `File`s;
//! bytes of a file not sealed yet (none, between requests) are copied.
//!
//! The files are [`OpenFile`]s of the worker's session directory: removed when the database
//! they belong to is closed, or by the next tab after a crash. If no file is ready or a write
//! fails (quota), the store keeps its saved chunks in memory from then on.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{Blob, File};

use super::opfs_vault::{OpenFile, OpfsVault};
use crate::db::pages::{Spill, SpillAt, SpillError};

/// One file of the spill.
struct SpillFile {
    file: OpenFile,
    /// How many bytes it holds.
    len: u64,
    /// Its `File`, once sealed (written no more).
    sealed: Option<File>,
}

/// The files a database's chunks are stored in (see the module doc). Clones share them.
#[derive(Clone)]
pub(super) struct SpillFiles {
    vault: OpfsVault,
    files: Rc<RefCell<Vec<SpillFile>>>,
}

// SAFETY: the worker is single-threaded; the page store requires `Send` only because SQLite's
// VFS keeps its files in a static.
unsafe impl Send for SpillFiles {}

impl SpillFiles {
    /// A spill with no file yet: the first bytes go to the vault's spare file.
    pub(super) fn new(vault: OpfsVault) -> SpillFiles {
        SpillFiles {
            vault,
            files: Rc::new(RefCell::new(Vec::new())),
        }
    }

    /// Seals the file that takes new bytes, if it holds any: takes its `File` for downloads to
    /// slice, and starts a new file for what comes next. A few ms; call it between requests.
    pub(super) async fn seal(&self) {
        let open = {
            let files = self.files.borrow();
            match files.last() {
                Some(last) if last.sealed.is_none() && last.len > 0 => files.len() - 1,
                _ => return,
            }
        };
        // The file is not written while this waits: requests run one at a time, after it.
        let snapshot = {
            let files = self.files.borrow();
            files[open].file.snapshot()
        };
        match snapshot.await {
            Ok(file) => {
                self.files.borrow_mut()[open].sealed = Some(file);
                // The next bytes start the next file; have one ready.
                if let Some(next) = self.vault.take_file().await {
                    self.files.borrow_mut().push(SpillFile {
                        file: next,
                        len: 0,
                        sealed: None,
                    });
                }
            }
            Err(error) => web_sys::console::warn_1(
                &format!(
                    "could not seal changed pages in the browser's private storage; downloads \
                     copy them ({error:?})"
                )
                .into(),
            ),
        }
    }

    /// Bytes `at..at + len` as a slice of a sealed file's `File`; `None` while the file they
    /// are in is still written (copy them instead).
    pub(super) fn slice(&self, at: SpillAt, len: u64) -> Option<Blob> {
        let files = self.files.borrow();
        let sealed = files.get(at.file as usize)?.sealed.as_ref()?;
        let end = at.offset.checked_add(len)?;
        sealed
            .slice_with_f64_and_f64(at.offset as f64, end as f64)
            .ok()
    }

    /// How many bytes the files hold in all (for the benchmark).
    pub(super) fn stored(&self) -> u64 {
        self.files.borrow().iter().map(|file| file.len).sum()
    }
}

impl Spill for SpillFiles {
    fn put(&mut self, bytes: &[u8]) -> Result<SpillAt, SpillError> {
        let mut files = self.files.borrow_mut();
        if files.last().is_none_or(|last| last.sealed.is_some()) {
            let file = self.vault.take_spare().ok_or_else(|| SpillError {
                detail: "no file of the browser's private storage is ready".into(),
            })?;
            files.push(SpillFile {
                file,
                len: 0,
                sealed: None,
            });
        }
        let index = files.len() - 1;
        let last = &mut files[index];
        crate::timing::span("copy:spill_put", || last.file.write_at(last.len, bytes))
            .map_err(|error| SpillError {
                detail: error.to_string(),
            })?;
        let at = SpillAt {
            file: index as u32,
            offset: last.len,
        };
        last.len += bytes.len() as u64;
        Ok(at)
    }

    fn get(&self, at: SpillAt, into: &mut [u8]) -> Result<(), SpillError> {
        let files = self.files.borrow();
        let stored = files.get(at.file as usize).ok_or_else(|| SpillError {
            detail: format!("no file {} among the stored changes", at.file),
        })?;
        crate::timing::span("copy:spill_get", || stored.file.read_exact_at(at.offset, into))
            .map_err(|error| SpillError {
                detail: error.to_string(),
            })
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
