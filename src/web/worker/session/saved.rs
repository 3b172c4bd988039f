//! An image kept of the open database exactly as it is now: the original right after opening,
//! the checkpoint just undone to, the last download, a state set aside and read back. The next
//! checkpoint, set-aside or download takes it instead of copying the whole database again.
//!
//! It holds only while the database is unchanged. Every change is checkpointed first, which
//! takes it; and like the kept checks (`checked.rs`) it carries SQLite's change stamp (rows
//! changed through the connection, schema cookie), so a change made some other way leaves it
//! unused.

use super::checked::Stamp;
use super::vault::{Image, Vault};
use super::OpenDatabase;
use crate::db::DbError;

/// An image of the database and the change stamp the database had when it was kept.
pub(super) struct Saved {
    image: Image,
    at: Stamp,
}

impl OpenDatabase {
    /// Keeps `image` as the database as it is now (nothing, if the stamp cannot be read).
    pub(super) fn keep_saved(&mut self, image: Image) {
        self.saved = self.changes().ok().map(|at| Saved { image, at });
    }

    /// The image kept of the database as it is, if there is one and nothing changed since.
    pub(super) fn saved(&self) -> Option<Image> {
        let saved = self.saved.as_ref()?;
        (self.changes().ok()? == saved.at).then(|| saved.image.clone())
    }

    /// The image kept of the database as it is if `usable` accepts it, else a new copy made by
    /// `vault` (which fails with the reason the database could not be read).
    pub(super) fn saved_or_copy(
        &mut self,
        vault: &dyn Vault,
        usable: impl FnOnce(&Image) -> bool,
    ) -> Result<Image, DbError> {
        match self.saved().filter(usable) {
            Some(saved) => Ok(saved),
            None => vault.stash(&mut self.db),
        }
    }
}
