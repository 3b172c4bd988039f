//! Undo for the worker session: before every operation that changes the open database (a
//! migration, a stamp, a write from the unlocked SQL console) the session takes a checkpoint,
//! so undoing is exact (no downgrade is run).
//!
//! A checkpoint is kept one of two ways:
//!
//! | database | a checkpoint keeps | undo |
//! |---|---|---|
//! | a chosen file, in its page store (`db/pages.rs`) | nothing now; each chunk changed after it, once (copy on write) | puts those chunks back: the same database, byte for byte as before |
//! | the demo, a new database (in SQLite's memory) | the whole image, outside the database (`vault.rs`; the first one after opening is the image as built) | reads that image back as the database |
//!
//! How to use it from a new mutating request (e.g. the SQL console's writes):
//! `session.checkpoint("SQL: DELETE FROM posts")?;` before changing the database, then change
//! it; `Request::Undo` (or [`Session::undo`]) goes back to the state at that checkpoint.
//! When the change fails, call [`Session::drop_checkpoint`] so the stack only holds operations
//! that did something.

use super::vault::Image;
use super::Session;
use crate::web::protocol::Snapshot;
use crate::web::worker::error::WebError;

/// One saved state: the state before an operation, and what the operation was.
pub(super) struct Checkpoint {
    /// Shown on the undo button, e.g. `upgrade to heads`.
    pub label: String,
    /// Where the state before the operation is kept.
    pub kept: Kept,
}

/// Where a [`Checkpoint`]'s state is kept (see the module's table).
pub(super) enum Kept {
    /// In the database's page store, as the chunks changed since.
    InStore,
    /// As the whole database image before the operation.
    Image(Image),
}

impl Session {
    /// Saves the open database's image before an operation named `label`. Call it right before
    /// any change to the open database; fails when nothing is open or the image cannot be read.
    pub fn checkpoint(&mut self, label: &str) -> Result<(), WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        open.ensure_sound(&mut |_| {})?;
        let kept = if open.db.is_paged() {
            open.db
                .checkpoint()
                .map_err(|source| open.unreadable(source))?;
            Kept::InStore
        } else {
            // The database changes next: an image kept of it as it is becomes the checkpoint.
            Kept::Image(
                open.saved_or_copy(&*self.vault, |_| true)
                    .map_err(|source| open.unreadable(source))?,
            )
        };
        open.saved = None;
        open.undo.push(Checkpoint {
            label: label.to_string(),
            kept,
        });
        Ok(())
    }

    /// Forgets the last checkpoint (the operation it guarded failed before changing anything,
    /// or was rolled back).
    pub fn drop_checkpoint(&mut self) {
        if let Some(open) = self.open.as_mut() {
            match open.undo.pop().map(|checkpoint| checkpoint.kept) {
                Some(Kept::Image(image)) => open.keep_saved(image),
                Some(Kept::InStore) => {
                    // Nothing changed since it was taken: forgetting it loses nothing.
                    let _ = open.db.forget_checkpoint();
                }
                None => {}
            }
        }
    }

    /// Goes back to the state before the last operation and returns what is open then. With no
    /// operation left to undo it says so (the file is as it was opened).
    ///
    /// The state being undone is first set aside in the vault and dropped, and only then is the
    /// checkpoint read: the two images are never in the worker's memory together (both at once
    /// would not fit for the largest files the page opens). When the checkpoint cannot be read, the set-aside state is read back and
    /// the checkpoint stays on the stack; when neither can, the file as opened is shown.
    pub fn undo(&mut self) -> Result<Snapshot, WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        let checkpoint = open.undo.last().ok_or(WebError::NothingToUndo {
            file_name: open.file_name.clone(),
        })?;
        let label = checkpoint.label.clone();
        let wanted = match &checkpoint.kept {
            Kept::Image(image) => image.clone(),
            Kept::InStore => {
                let undone = open.db.undo().map_err(|source| open.unreadable(source))?;
                open.undo.pop();
                if !undone {
                    // The store lost its checkpoints (the database was read back from an
                    // image): the older ones are gone too.
                    open.undo.clear();
                    return Err(WebError::NothingToUndo {
                        file_name: open.file_name.clone(),
                    });
                }
                open.saved = None;
                return self.current_snapshot();
            }
        };
        let file_name = open.file_name.clone();
        let aside = open
            .set_aside(&*self.vault)
            .map_err(|source| open.unreadable(source))?;
        match wanted.open(&mut |_, _| {}) {
            Ok(db) => {
                open.db = db;
                open.undo.pop();
                open.keep_saved(wanted);
                self.current_snapshot()
            }
            Err(unreadable) => Err(match self.read_back(&aside) {
                Ok(()) => WebError::UndoUnreadable {
                    file_name,
                    label,
                    source: Box::new(unreadable.into()),
                },
                Err(lost) => WebError::UndoLost {
                    file_name,
                    label,
                    source: Box::new(lost.into()),
                },
            }),
        }
    }

    /// The labels of the operations that can be undone, oldest first.
    pub fn undo_labels(&self) -> Vec<String> {
        self.open
            .as_ref()
            .map(|open| open.undo.iter().map(|c| c.label.clone()).collect())
            .unwrap_or_default()
    }
}
