//! The open database and its undo states: [`OpenDatabase`].
//!
//! Whatever it came from, the database is kept in a page store (`db/pages.rs`): a chosen file
//! over its `File` (read where SQLite reads it), the demo and a new database over no source
//! (every byte a written chunk). So every open database has the same states and operations:
//!
//! | operation | the database (its page store) | undo labels | the store's change count (what kept checks hold for, `checked.rs`) |
//! |---|---|---|---|
//! | open a chosen file | a new store over the `File`, which stays the original (the backup download); a quick check owed | none | new |
//! | open the demo, a new database | a new store without source; a copy of it as built, out of wasm memory, is the original | none | new |
//! | a chosen file fails to open | nothing: the database open before stays, with its undo | the same | the same |
//! | checkpoint (before a change) | starts a store checkpoint (costs nothing) | + its label | the same |
//! | change (migrate, stamp, the console's writes) | writes chunks; the first write of a chunk after a checkpoint saves it there | the same | moves |
//! | drop checkpoint (the change did nothing) | forgets the newest store checkpoint | − the last | the same |
//! | undo | puts the newest checkpoint's saved chunks back: byte for byte the state then | − the last | moves |
//! | download | a copy made by the session's `Vault`: the `File`'s unchanged slices and the written chunks | the same | the same |
//! | backup download | the original, as it is | the same | the same |
//!
//! (Every request not known to only read also forgets the kept checks: `checked.rs`.)

use super::checked::KeptChecks;
use super::vault::Image;
use crate::web::protocol::{Fraction, Response};
use crate::web::worker::advice;
use crate::web::worker::error::WebError;
use crate::Database;

/// The file as it was opened: the chosen `File` itself, or a copy of the demo or new database
/// as built, kept untouched outside the database for the backup download. Derefs to its first
/// bytes, the header, which is all the overview reads.
pub(super) struct Original {
    /// The whole file.
    pub(super) image: Image,
    header: Vec<u8>,
}

impl Original {
    pub(super) fn new(image: Image) -> Result<Original, crate::db::DbError> {
        let header = image.start(HEADER_LEN)?;
        Ok(Original { image, header })
    }

    /// The whole file's length in bytes (more than `usize` holds on wasm32 for a file over
    /// 4 GiB).
    pub(super) fn len(&self) -> u64 {
        self.image.len()
    }
}

impl std::ops::Deref for Original {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.header
    }
}

/// The length of SQLite's file header.
const HEADER_LEN: usize = 100;

/// The database the worker holds, with the name it came under and its undo states (see the
/// module's table).
pub(super) struct OpenDatabase {
    /// The database, in a page store.
    pub(super) db: Database,
    /// The name it is shown and downloaded under.
    pub(super) file_name: String,
    /// Whether it is the built-in demo.
    pub(super) is_demo: bool,
    /// The file exactly as it was opened, for the backup download.
    pub(super) original: Original,
    /// The labels of the store's checkpoints, oldest first: what each undo undoes.
    pub(super) undo: Vec<String>,
    /// Check results still valid for the database as it is.
    pub(super) checked: KeptChecks,
}

impl OpenDatabase {
    /// Runs the quick check a file opened without it still owes (see
    /// [`Database::ensure_checked`]): call before any change or download, so a damaged file is
    /// never migrated or handed out. While it reads the file ahead and checks it, `progress`
    /// gets [`Response::Working`] with what runs in words.
    pub(super) fn ensure_sound(
        &mut self,
        progress: &mut dyn FnMut(Response),
    ) -> Result<(), WebError> {
        if !self.db.owes_check() {
            return Ok(());
        }
        let label = advice::checking_before_change(&self.file_name);
        let mut reading = |read: u64, total: u64| {
            // The read ahead is most of the time; the check itself takes the last tenth.
            let fraction = 0.9 * read as f64 / total.max(1) as f64;
            progress(Response::Working {
                fraction: Fraction::new(fraction),
                label: label.clone(),
            });
        };
        reading(0, 1);
        self.db
            .ensure_checked(&mut reading)
            .map_err(|source| WebError::Unsound {
                file_name: self.file_name.clone(),
                source: Box::new(source.into()),
            })
    }

    /// The error for this file that could not be read back (`source` says why).
    pub(super) fn unreadable(&self, source: impl Into<crate::db::DbError>) -> WebError {
        WebError::Read {
            file_name: self.file_name.clone(),
            source: Box::new(source.into().into()),
        }
    }
}
