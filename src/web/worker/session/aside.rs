//! Setting the open database's state aside while another image is read in its place, so the
//! worker never holds two whole databases in memory: before an undo reads its checkpoint, and
//! before a newly chosen file is read. The state goes to the vault (private storage or a Blob)
//! or, when an image of it is kept already (`saved.rs`: the file as opened, the last download),
//! nowhere. Should the new image not open, the state is read back.

use super::vault::{Image, Vault};
use super::{OpenDatabase, Session};
use crate::db::DbError;
use crate::web::worker::error::WebError;
use crate::Database;

impl OpenDatabase {
    /// Moves the database's state out of memory (an empty database stands in) and returns it.
    /// When it cannot be stored, the database stays as it is and the error says why.
    pub(super) fn set_aside(&mut self, vault: &dyn Vault) -> Result<Image, DbError> {
        let image = self.saved_or_copy(vault, |_| true)?;
        self.db = Database::new_empty()?;
        self.saved = None;
        Ok(image)
    }
}

impl Session {
    /// Frees the open database's memory before a newly chosen file is read (opening calls
    /// this). Nothing open, already set aside, or the state cannot be stored: nothing changes,
    /// and both will be in memory for a while. A database in a page store stays: the new file
    /// is opened without reading it whole, and setting it aside would lose its checkpoints.
    pub fn set_aside_for_open(&mut self) {
        if self.aside.is_some() {
            return;
        }
        if let Some(open) = self.open.as_mut().filter(|open| !open.db.is_paged()) {
            self.aside = open.set_aside(&*self.vault).ok();
        }
    }

    /// Reads `aside` back as the open database. When it cannot be read, the file as opened is
    /// shown instead (its undo stack emptied) or, if not even that reads, nothing is open; the
    /// error is why `aside` did not read.
    pub(super) fn read_back(&mut self, aside: &Image) -> Result<(), DbError> {
        let Some(open) = self.open.as_mut() else {
            return Ok(());
        };
        let lost = match aside.open(&mut |_, _| {}) {
            Ok(db) => {
                open.db = db;
                open.keep_saved(aside.clone());
                return Ok(());
            }
            Err(lost) => lost,
        };
        match open.original.image.open(&mut |_, _| {}) {
            Ok(db) => {
                open.db = db;
                open.undo.clear();
                open.keep_saved(open.original.image.clone());
            }
            Err(_) => self.open = None,
        }
        Err(lost)
    }

    /// After a newly chosen file failed to open: reads the previous file's state back and
    /// returns the error to report (`error`, with what was lost when that failed too).
    pub(super) fn take_back(&mut self, error: WebError, aside: &Image) -> WebError {
        let previous = self
            .open
            .as_ref()
            .map(|open| open.file_name.clone())
            .unwrap_or_default();
        match self.read_back(aside) {
            Ok(()) => error,
            Err(lost) => WebError::PreviousLost {
                open: Box::new(error),
                previous,
                source: Box::new(lost.into()),
            },
        }
    }
}
