//! Why an import stopped. Whatever the variant, nothing was written.

use std::path::PathBuf;

use thiserror::Error;

/// What the importer tells the user when it cannot write a faithful history.
#[derive(Debug, Error)]
pub enum ImportError {
    /// PROJECT has no `alembic.ini`.
    #[error(
        "{project} is not an Alembic project: it has no alembic.ini. Give the folder where \
         `alembic init` put alembic.ini (the one you run `alembic` from), or the .ini file itself"
    )]
    NoAlembicIni {
        /// The folder given.
        project: PathBuf,
    },
    /// `alembic.ini` does not lead to a script location with env.py.
    #[error(
        "{ini} does not lead to an Alembic environment: {what}. `alembic init` writes \
         `script_location` in alembic.ini and env.py and versions/ under it"
    )]
    NoEnvironment {
        /// The ini file.
        ini: PathBuf,
        /// What is missing.
        what: String,
    },
    /// The Python could not be started.
    #[error(
        "could not run {python}: {source}. Pass --python PATH to the Python that has the \
         project's dependencies (e.g. its virtualenv's bin/python)"
    )]
    PythonNotFound {
        /// The Python asked for.
        python: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The Python has no Alembic or SQLAlchemy.
    #[error(
        "{python} cannot import Alembic ({detail}). Pass --python PATH to the Python of the \
         project's virtualenv, or install alembic into this one"
    )]
    NoAlembic {
        /// The interpreter that ran.
        python: String,
        /// Python's ImportError.
        detail: String,
    },
    /// The SQL given with `--base-schema` failed on a new SQLite database.
    #[error("the --base-schema SQL fails on a new SQLite database: {message}. Give the schema the application makes before its first revision runs (e.g. `sqlite3 app.db .schema` of a file it has just created)")]
    BaseSchema {
        /// SQLite's message.
        message: String,
    },
    /// Alembic refused the history (duplicate or missing revision, cycle…).
    #[error("Alembic refuses the project's history: {message}. Fix the revision scripts so that `alembic history` works, then import again")]
    HistoryRefused {
        /// Alembic's message.
        message: String,
    },
    /// env.py or a revision script failed.
    #[error(
        "{what} failed: {message}. It must run against an empty SQLite database; \
             fix it so that `alembic upgrade heads` and `alembic downgrade base` work on a new \
             file, then import again.\n{traceback}"
    )]
    EnvFailed {
        /// `env.py`, or `the upgrade of <rev>`.
        what: String,
        /// The exception's last line.
        message: String,
        /// Python's traceback.
        traceback: String,
    },
    /// env.py opened a database other than the scratch file.
    #[error(
        "env.py connected to {url}, not to the scratch database: content-db points env.py at \
         it through `sqlalchemy.url` and `-x db=PATH`, and never lets it touch another database. \
         Make env.py take its URL from one of those (Alembic's template reads sqlalchemy.url)"
    )]
    WrongDatabase {
        /// The URL env.py used.
        url: String,
    },
    /// The driver did not answer as expected.
    #[error("the importer's Python driver failed: {detail}")]
    Driver {
        /// What went wrong.
        detail: String,
    },
    /// A revision uses something content-db's format cannot express.
    #[error(
        "revision {} uses {what}, which content-db's migration files cannot express; write {} by \
         hand or drop {what} from the revision.\n{}",
        .culprit.revision, .culprit.file, hand_written_hint(&.culprit.file)
    )]
    Unsupported {
        /// The revision.
        culprit: Box<Culprit>,
        /// The feature.
        what: String,
    },
    /// A revision id content-db's files cannot carry.
    #[error(
        "revision {} ({}) cannot be imported: {reason}. content-db's migration files carry the \
         id on a `-- revision:` header line (and a list of ids on `-- down_revision:`), so this \
         history cannot be followed without renaming the revision in Alembic",
        .culprit.revision, .culprit.script
    )]
    BadId {
        /// The revision.
        culprit: Box<Culprit>,
        /// What the file format says about the id.
        reason: String,
    },
    /// A revision reads rows and may decide on them.
    #[error(
        "revision {} ({}) reads rows in its {direction} (`{statement}`): what it does depends on \
         the data, so it cannot be captured from an empty database, and a file that only replays \
         what it did on no rows would silently do less than Alembic. Write {} by hand.\n{}",
        .culprit.revision, .culprit.script, .culprit.file, hand_written_hint(&.culprit.file)
    )]
    DataDependent {
        /// The revision.
        culprit: Box<Culprit>,
        /// `upgrade` or `downgrade`.
        direction: String,
        /// The statement that read rows.
        statement: String,
    },
    /// A revision emitted different SQL in two runs.
    #[error(
        "revision {} ({}) executed different SQL in its {direction} {why}: the first difference \
         is `{first}` against `{second}`. A migration file holds one fixed script, so it cannot \
         do what this revision does; write {} by hand.\n{}",
        .culprit.revision, .culprit.script, .culprit.file, hand_written_hint(&.culprit.file)
    )]
    Unstable {
        /// The revision.
        culprit: Box<Culprit>,
        /// `upgrade` or `downgrade`.
        direction: String,
        /// When it differed (`in two runs…`, `when another branch was applied…`).
        why: String,
        /// The first differing statement in the first run (or `(none)`).
        first: String,
        /// The same position in the other run.
        second: String,
    },
    /// A bound value could not be written as a literal.
    #[error(
        "revision {}'s {direction} ran `{statement}` with {problem}; it cannot be written as SQL \
         text. Write {} by hand.\n{}",
        .culprit.revision, .culprit.file, hand_written_hint(&.culprit.file)
    )]
    Unbindable {
        /// The revision.
        culprit: Box<Culprit>,
        /// `upgrade` or `downgrade`.
        direction: String,
        /// The statement.
        statement: String,
        /// What is wrong.
        problem: String,
    },
    /// The rendered file would not read back as written.
    #[error(
        "revision {}'s SQL cannot be written to {} so that it reads back unchanged ({detail}); \
         write the file by hand.\n{}",
        .culprit.revision, .culprit.file, hand_written_hint(&.culprit.file)
    )]
    NotRepresentable {
        /// The revision.
        culprit: Box<Culprit>,
        /// Which part differs.
        detail: String,
    },
    /// A hand-written file does not match the revision it stands for.
    #[error("the hand-written file {file} {problem}")]
    HandWritten {
        /// The file.
        file: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Verification failed: replaying the files does not give Alembic's schema.
    #[error(
        "replaying the imported files does not give Alembic's schema after the {direction} of \
         {revision} ({context}): {differences}. Nothing was written{hint}"
    )]
    Mismatch {
        /// The revision whose step was compared.
        revision: String,
        /// `upgrade` or `downgrade`.
        direction: String,
        /// Which run (`walking up to the heads`, `on its own`…).
        context: String,
        /// The differences in words.
        differences: String,
        /// A hint (for a hand-written file: which one to correct).
        hint: String,
    },
    /// content-db's planner orders the steps differently from Alembic.
    #[error("content-db would run {ours} where Alembic runs {alembics}; please report this with the project's history")]
    OrderDiffers {
        /// content-db's steps.
        ours: String,
        /// Alembic's steps.
        alembics: String,
    },
    /// The written files do not form a history content-db accepts.
    #[error(transparent)]
    Revision(#[from] crate::revision::RevisionError),
    /// Replaying the files on SQLite failed.
    #[error(transparent)]
    Core(#[from] Box<crate::Error>),
    /// Reading or writing a file failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

impl From<crate::db::DbError> for ImportError {
    fn from(error: crate::db::DbError) -> ImportError {
        ImportError::Core(Box::new(error.into()))
    }
}

impl From<crate::Error> for ImportError {
    fn from(error: crate::Error) -> ImportError {
        ImportError::Core(Box::new(error))
    }
}

/// The revision a refusal is about: its id, its Python script and the file to write by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Culprit {
    /// The revision id.
    pub revision: String,
    /// Its script, e.g. `versions/9d0e…_mark_long_posts.py`.
    pub script: String,
    /// The migration file it would have, e.g. `9d0e…_mark_long_posts.sql`.
    pub file: String,
}

/// How to keep a file of one's own for a revision (said with every refusal that needs one).
pub fn hand_written_hint(file: &str) -> String {
    format!(
        "Write its SQL in {file} in content-db's format (README, \"Migrations\") and put the line \
         `-- hand-written: <why>` right after the header; content-db then keeps that file as it \
         is, never overwrites it, and checks that it gives Alembic's schema."
    )
}
