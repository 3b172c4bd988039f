//! Undo for the worker session: before every operation that changes the open database (a
//! migration, a stamp, a write from the unlocked SQL console) the session keeps the whole file
//! image in memory, so undoing is instant and exact (no downgrade is run).
//!
//! How to use it from a new mutating request (e.g. the SQL console's writes):
//! `session.checkpoint("SQL: DELETE FROM posts")?;` before changing the database, then change
//! it; `Request::Undo` (or [`Session::undo`]) goes back to the image taken by that checkpoint.
//! When the change fails, call [`Session::drop_checkpoint`] so the stack only holds operations
//! that did something.

use super::{OpenDatabase, Session};
use crate::web::error::WebError;
use crate::web::protocol::Snapshot;
use crate::Database;

/// One saved state: the file image before an operation, and what the operation was.
pub(super) struct Checkpoint {
    /// Shown on the undo button, e.g. `upgrade to heads`.
    pub label: String,
    /// The whole database image before the operation.
    pub bytes: Vec<u8>,
}

impl Session {
    /// Saves the open database's image before an operation named `label`. Call it right before
    /// any change to the open database; fails when nothing is open or the image cannot be read.
    pub fn checkpoint(&mut self, label: &str) -> Result<(), WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        let bytes = open.image()?;
        open.undo.push(Checkpoint {
            label: label.to_string(),
            bytes,
        });
        Ok(())
    }

    /// Forgets the last checkpoint (the operation it guarded failed before changing anything,
    /// or was rolled back).
    pub fn drop_checkpoint(&mut self) {
        if let Some(open) = self.open.as_mut() {
            open.undo.pop();
        }
    }

    /// Goes back to the state before the last operation and returns what is open then. With no
    /// operation left to undo it says so (the file is as it was opened).
    pub fn undo(&mut self) -> Result<Snapshot, WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        let checkpoint = open.undo.pop().ok_or(WebError::NothingToUndo {
            file_name: open.file_name.clone(),
        })?;
        let db = Database::open_bytes(&checkpoint.bytes).map_err(|source| WebError::Read {
            file_name: open.file_name.clone(),
            source: Box::new(source.into()),
        })?;
        open.db = db;
        self.current_snapshot()
    }

    /// The labels of the operations that can be undone, oldest first.
    pub fn undo_labels(&self) -> Vec<String> {
        self.open
            .as_ref()
            .map(|open| open.undo.iter().map(|c| c.label.clone()).collect())
            .unwrap_or_default()
    }
}

impl OpenDatabase {
    /// The current file image.
    pub(super) fn image(&mut self) -> Result<Vec<u8>, WebError> {
        self.db.to_bytes().map_err(|source| WebError::Read {
            file_name: self.file_name.clone(),
            source: Box::new(source.into()),
        })
    }
}
