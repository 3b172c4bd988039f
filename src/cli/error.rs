//! Errors of the command-line tool: each says what is wrong and what to type instead. Errors of
//! the revision and database layers are kept whole inside.

use std::path::PathBuf;

use thiserror::Error;

use crate::db::DbError;
use crate::diagnose::RowsProblem;
use crate::revision::RevisionError;

/// Why a `content-db` command failed. Whatever the variant, the database file is unchanged.
#[derive(Debug, Error)]
pub enum CliError {
    /// The revision graph or a target could not be resolved.
    #[error(transparent)]
    Revision(#[from] RevisionError),
    /// `import-alembic` could not import the Alembic project; nothing was written.
    #[error(transparent)]
    Import(#[from] crate::alembic_import::ImportError),
    /// The database could not be opened or read (boxed: SQLite's errors are large).
    #[error(transparent)]
    Db(Box<DbError>),
    /// A library call that can fail in either layer (e.g. replaying the history for `check`).
    #[error(transparent)]
    Core(Box<crate::Error>),
    /// A migration step failed; nothing was written.
    #[error("{source}\n{path} is unchanged: nothing was written.{}", hint_line(.hint))]
    Migration {
        /// What the database layer reported for the failing step.
        source: Box<DbError>,
        /// The database file that was left alone.
        path: PathBuf,
        /// What the state of the file suggests doing (e.g. `stamp` for an unversioned file).
        hint: Option<String>,
    },
    /// `alembic_version` holds rows no plan can start from; the library's sentence, then the
    /// command that gets the file out.
    #[error("{problem}. {}", super::diagnose::way_out(.problem))]
    Rows {
        /// What is wrong with the rows.
        #[from]
        problem: RowsProblem,
    },
    /// The command needs an existing database file.
    #[error(
        "no database at {path}: pass --db PATH to name an existing file, or run `content-db init` \
         to create a new one at head"
    )]
    MissingDatabase {
        /// The path that was looked at.
        path: PathBuf,
    },
    /// `init` refuses to overwrite anything.
    #[error(
        "{path} already exists; `init` only creates new files. Run `content-db reset` to \
         recreate it at head (a backup is kept), or pass --db with a new path"
    )]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },
    /// `reset` was not confirmed.
    #[error("reset cancelled: {path} is unchanged")]
    NotConfirmed {
        /// The file that was left alone.
        path: PathBuf,
    },
    /// `reset` cannot ask (stdin is not a terminal) and `--yes` was not given.
    #[error(
        "reset would delete every row of {path} and stdin is not a terminal to ask for \
         confirmation; run `content-db reset --yes` to confirm (a backup is still made)"
    )]
    ConfirmationNeeded {
        /// The file that was left alone.
        path: PathBuf,
    },
    /// The migrations directory for `--migrations`, `create` or `merge` is missing.
    #[error(
        "migrations directory {path} not found: pass --migrations DIR with the folder that \
         holds the .sql migration files (`create` and `merge` default to ./migrations)"
    )]
    MissingMigrationsDir {
        /// The directory that was looked for.
        path: PathBuf,
    },
    /// `create` needs exactly one head to build on.
    #[error(
        "the history has {count} heads ({heads}); a new migration needs one to build on. Run \
         `content-db merge heads -m \"merge heads\"` first"
    )]
    MultipleHeads {
        /// How many heads there are.
        count: usize,
        /// Their ids, comma separated.
        heads: String,
    },
    /// `merge` needs at least two revisions to join.
    #[error(
        "nothing to merge: {what}. A merge joins two or more heads; `content-db heads` lists them"
    )]
    NothingToMerge {
        /// What was asked for, e.g. "the history has a single head (0a6c9e3f5b71)".
        what: String,
    },
    /// A revision given to `merge` is not a head of the history.
    #[error("{revision} is not a head; `merge` joins heads only (`content-db heads` lists them)")]
    NotAHead {
        /// The revision as typed.
        revision: String,
    },
    /// A migration message must fit on the one `-- message:` header line.
    #[error("the message must be a single line of text; got {message:?}")]
    BadMessage {
        /// The message as given.
        message: String,
    },
    /// `--db` names a folder.
    #[error(
        "{path} is a folder, not a database file; pass --db with the file itself (ContentEngine's \
         is content.db)"
    )]
    DatabaseIsAFolder {
        /// The folder.
        path: PathBuf,
    },
    /// The folder a new database would be written to does not exist.
    #[error(
        "the folder {folder} does not exist, so {path} cannot be created there; create the \
         folder first or pass --db with another path"
    )]
    MissingFolder {
        /// The database path asked for.
        path: PathBuf,
        /// Its missing parent folder.
        folder: PathBuf,
    },
    /// `baseline --stamp` found no state whose schema matches the file exactly.
    #[error(
        "no revision's schema matches {path} exactly, so `baseline --stamp` recorded nothing \
         (the closest is {closest}). If its differences are expected, type \
         `content-db stamp --purge REVISION` with the revision you choose"
    )]
    NoExactBaseline {
        /// The database file, unchanged.
        path: PathBuf,
        /// The closest state, e.g. `0a6c9e3f5b71` or `base`.
        closest: String,
    },
    /// The database as changed in memory fails `integrity_check`, so it is not written.
    #[error(
        "the migrated database failed PRAGMA integrity_check ({details}), so it was not written: \
         {path} is unchanged. A migration's SQL damaged its structure (e.g. through \
         writable_schema); fix that migration, or run `sqlite3 {path} \"PRAGMA integrity_check\"` \
         to see whether the file itself was already damaged"
    )]
    DamagedResult {
        /// The database file that was left alone.
        path: PathBuf,
        /// What `integrity_check` reported (the first rows).
        details: String,
    },
    /// A file operation failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "read", "write the new version of".
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// An optional hint on a line of its own.
fn hint_line(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|hint| format!("\n{hint}"))
        .unwrap_or_default()
}

impl From<DbError> for CliError {
    fn from(error: DbError) -> Self {
        CliError::Db(Box::new(error))
    }
}

impl From<crate::Error> for CliError {
    fn from(error: crate::Error) -> Self {
        CliError::Core(Box::new(error))
    }
}

impl CliError {
    /// Wraps an I/O error with what was being done to which path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| CliError::Io {
            action,
            path,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message the CLI itself writes, pinned so a change of wording is a visible diff.
    #[test]
    fn messages_say_what_to_do() {
        let path = PathBuf::from("content.db");
        let messages = [
            CliError::MissingDatabase { path: path.clone() },
            CliError::AlreadyExists { path: path.clone() },
            CliError::NotConfirmed { path: path.clone() },
            CliError::ConfirmationNeeded { path: path.clone() },
            CliError::MissingMigrationsDir {
                path: PathBuf::from("migrations"),
            },
            CliError::MultipleHeads {
                count: 2,
                heads: "c3e7a1d9f482, d5f0b2c8e614".into(),
            },
            CliError::NothingToMerge {
                what: "the history has a single head (0a6c9e3f5b71)".into(),
            },
            CliError::NotAHead {
                revision: "b81d".into(),
            },
            CliError::BadMessage {
                message: "two\nlines".into(),
            },
            CliError::DatabaseIsAFolder {
                path: PathBuf::from("data"),
            },
            CliError::MissingFolder {
                path: PathBuf::from("data/content.db"),
                folder: PathBuf::from("data"),
            },
            CliError::from(RowsProblem::Repeated {
                file: "content.db".into(),
                id: "0a6c9e3f5b71".into(),
            }),
            CliError::from(RowsProblem::Overlapping {
                file: "content.db".into(),
                ancestor: "b81d3e5f0a27".into(),
                descendant: "0a6c9e3f5b71".into(),
            }),
            CliError::from(RowsProblem::Unknown {
                file: "content.db".into(),
                ids: vec!["9f9f9f9f9f9f".into()],
                heads: vec!["0a6c9e3f5b71".into()],
            }),
            CliError::DamagedResult {
                path: path.clone(),
                details: "row 1 missing from index t_a".into(),
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
        insta::assert_snapshot!(messages);
    }
}
