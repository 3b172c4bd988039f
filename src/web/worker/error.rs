//! Errors of the web app's worker session, with messages a user of the page can act on.
//! Sources are boxed: the crate's error is large and these travel through many `Result`s.

use thiserror::Error;

/// Why a request to the worker failed.
#[derive(Debug, Error)]
pub enum WebError {
    /// A request needs an open database but none is.
    #[error("no database is open: choose a .db file with “Open a database file” first")]
    NothingOpen,
    /// Undo was asked for but no operation has changed the open file since it was opened.
    #[error("nothing to undo: {file_name} is as it was opened")]
    NothingToUndo {
        /// The open file's name.
        file_name: String,
    },
    /// The page sent a request that needs bytes without any (a bug in the page, not the file).
    #[error("the request to open {file_name} carried no file contents; choose the file again")]
    MissingBytes {
        /// The file that was being opened.
        file_name: String,
    },
    /// The chosen file could not be opened as a database (the source says what to choose).
    #[error("could not open {file_name}: {source}")]
    Open {
        /// The chosen file's name.
        file_name: String,
        /// What SQLite or the history said.
        #[source]
        source: Box<crate::Error>,
    },
    /// Upgrading failed; the file keeps the steps that completed before.
    #[error("upgrading {file_name} to head failed: {source}")]
    Upgrade {
        /// The open file's name.
        file_name: String,
        /// What the planner or SQLite said.
        #[source]
        source: Box<crate::Error>,
    },
    /// A target could not be planned (the planner's own message says why).
    #[error("cannot migrate to “{target}”: {source}")]
    Plan {
        /// The target as typed.
        target: String,
        /// What the planner said.
        #[source]
        source: Box<crate::Error>,
    },
    /// A migration step failed; the file keeps the steps that completed before it.
    #[error("migrating {file_name} to “{target}” stopped: {source}. The database stays at the last step that completed; Undo goes back to before the migration.")]
    Migrate {
        /// The open file's name.
        file_name: String,
        /// The target as typed.
        target: String,
        /// The failing revision, statement and SQLite's message.
        #[source]
        source: Box<crate::Error>,
    },
    /// `alembic_version` holds rows no plan can start from: the library's sentence, then what
    /// to click.
    #[error("{problem}. {}", super::advice::way_out(.problem))]
    Rows {
        /// What is wrong with the rows.
        #[from]
        problem: crate::diagnose::RowsProblem,
    },
    /// The quick check a file opened without it owes (before its first change or download)
    /// found damage: nothing is changed or handed out.
    #[error("nothing was migrated or downloaded from {file_name}: {source}")]
    Unsound {
        /// The open file's name.
        file_name: String,
        /// The damage found.
        #[source]
        source: Box<crate::Error>,
    },
    /// A change of a chosen file would not fit in the browser's memory: refused before it
    /// started, with the CLI command that does it on disk.
    #[error(transparent)]
    WouldNotFit(#[from] crate::footprint::FitError),
    /// SQLite ran out of memory during a step, which was rolled back.
    #[error(
        "{what} ran out of the browser's memory ({source}). The command-line tool does it on \
         disk, without this limit: `{command}`"
    )]
    OutOfMemory {
        /// The change, in words.
        what: String,
        /// The command that does the same on the file.
        command: String,
        /// The failed step.
        #[source]
        source: Box<crate::Error>,
    },
    /// Reading the open database back (revision rows or the file image) failed.
    #[error("could not read {file_name} back: {source}")]
    Read {
        /// The open file's name.
        file_name: String,
        /// What SQLite said.
        #[source]
        source: Box<crate::Error>,
    },
    /// The built-in demo database could not be built (a bug in content-db, not in a file).
    #[error("could not build the demo database: {0}")]
    Demo(#[source] Box<crate::Error>),
    /// Migration files chosen to plan with do not make a history; the one in use stays.
    #[error("these migrations cannot be used: {0}. The migrations in use are unchanged.")]
    Migrations(#[source] crate::revision::LoadError),
    /// The embedded migration history is broken (a bug in content-db, not in a file).
    #[error("content-db's embedded migration history is broken: {0}")]
    History(#[source] crate::revision::RevisionError),
}
