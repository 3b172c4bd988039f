//! Errors of the revision layer: each names the revision ids or the file involved and says what
//! the user can type instead.

use thiserror::Error;

/// Why a migration file, the history or a target was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RevisionError {
    /// A migration file does not follow the format documented in README.md.
    #[error("{file}: {reason}")]
    BadFile {
        /// The file name.
        file: String,
        /// What is wrong, and how to fix it.
        reason: String,
    },
}
