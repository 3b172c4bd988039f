//! Undo for the worker session: before every operation that changes the open database (a
//! migration, a stamp, a write from the unlocked SQL console) the session takes a checkpoint,
//! so undoing is exact (no downgrade is run).
//!
//! Every open database is kept in a page store (`db/pages.rs`; see the table in `open.rs`): a
//! checkpoint is one of the store's, which costs nothing when taken and then keeps each chunk
//! changed after it once (copy on write); undo puts those chunks back, byte for byte as before.
//! The session keeps one label per checkpoint, shown on the undo button.
//!
//! How to use it from a new mutating request (e.g. the SQL console's writes):
//! `session.checkpoint("SQL: DELETE FROM posts")?;` before changing the database, then change
//! it; `Request::Undo` (or [`Session::undo`]) goes back to the state at that checkpoint.
//! When the change fails, call [`Session::drop_checkpoint`] so the stack only holds operations
//! that did something.

use super::Session;
use crate::web::protocol::Snapshot;
use crate::web::worker::error::WebError;

impl Session {
    /// Starts a checkpoint before an operation named `label`. Call it right before any change
    /// to the open database; fails when nothing is open, or when a chosen file owes its quick
    /// check and fails it.
    pub fn checkpoint(&mut self, label: &str) -> Result<(), WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        open.ensure_sound(&mut |_| {})?;
        open.db
            .checkpoint()
            .map_err(|source| open.unreadable(source))?;
        open.undo.push(label.to_string());
        Ok(())
    }

    /// Forgets the last checkpoint (the operation it guarded failed before changing anything,
    /// or was rolled back), keeping the database as it is.
    pub fn drop_checkpoint(&mut self) {
        if let Some(open) = self.open.as_mut() {
            if open.undo.pop().is_some() {
                // Nothing changed since it was taken: forgetting it loses nothing.
                let _ = open.db.forget_checkpoint();
            }
        }
    }

    /// Goes back to the state before the last operation and returns what is open then. With no
    /// operation left to undo it says so (the file is as it was opened).
    pub fn undo(&mut self) -> Result<Snapshot, WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        let nothing = |file_name: &str| WebError::NothingToUndo {
            file_name: file_name.to_string(),
        };
        if open.undo.is_empty() {
            return Err(nothing(&open.file_name));
        }
        let undone = open.db.undo().map_err(|source| open.unreadable(source))?;
        open.undo.pop();
        if !undone {
            // The store has no checkpoint left for the labels (never expected): none is kept.
            open.undo.clear();
            return Err(nothing(&open.file_name));
        }
        self.current_snapshot()
    }

    /// The labels of the operations that can be undone, oldest first.
    pub fn undo_labels(&self) -> Vec<String> {
        self.open
            .as_ref()
            .map(|open| open.undo.clone())
            .unwrap_or_default()
    }
}
