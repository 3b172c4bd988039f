//! Errors of the database layer, with messages a user can act on.

use thiserror::Error;

/// Why a database could not be opened, migrated or written back.
#[derive(Debug, Error)]
pub enum DbError {
    /// The input has no bytes at all.
    #[error(
        "the file is empty (0 bytes), so it is not a SQLite database; choose ContentEngine's \
         content.db itself (an empty file appears when a path is mistyped and the file gets created)"
    )]
    Empty,
    /// The bytes are not a SQLite database at all.
    #[error("this is not a SQLite database ({detail}); choose ContentEngine's content.db file")]
    NotSqlite {
        /// What was found instead.
        detail: String,
    },
    /// The header's page size is not one SQLite can write.
    #[error(
        "the file header gives an impossible page size ({page_size}): the file is damaged; \
         take a fresh copy of content.db"
    )]
    BadPageSize {
        /// The page size read from header bytes 16–17.
        page_size: u32,
    },
    /// The file is shorter than its header says.
    #[error(
        "the file is truncated: SQLite needs {expected} bytes but got only {found}; copy the \
         whole file again (stop ContentEngine first so nothing is half-written)"
    )]
    Truncated {
        /// How many bytes the header promises.
        expected: u64,
        /// How many bytes there are.
        found: u64,
    },
    /// The bytes of a file image could not be read in or handed out (the browser could not read
    /// the chosen file, or memory ran out while copying it).
    #[error(
        "could not copy the database's bytes ({detail}); choose the file again, and if it is \
         large close other tabs or use the command-line tool for it"
    )]
    Image {
        /// What failed, in words.
        detail: String,
    },
    /// SQLite opened the file but its quick check found damage.
    #[error(
        "the database is damaged (SQLite's quick_check says: {detail}); take a fresh copy, or \
         repair it with the sqlite3 shell's `.recover` first"
    )]
    Corrupt {
        /// What `PRAGMA quick_check` (or opening) reported.
        detail: String,
    },
    /// `alembic_version` exists but is not the table Alembic keeps (wrong column, a view,
    /// values that are not revision ids).
    #[error(
        "the file's alembic_version is not the table Alembic keeps ({detail}), so its revision \
         cannot be read. If you know which revision the schema is at, drop it (`sqlite3 \
         content.db \"DROP TABLE alembic_version\"`, or DROP VIEW for a view) and type `content-db stamp <revision>`"
    )]
    BadVersionTable {
        /// What is wrong with it.
        detail: String,
    },
    /// A path given on the command line does not exist.
    #[error(
        "{path} does not exist; check the path (ContentEngine keeps its database in content.db)"
    )]
    FileNotFound {
        /// The path as given.
        path: String,
    },
    /// A file exists but could not be read.
    #[error("could not read {path}: {source}")]
    ReadFile {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Another process held a write lock on the file for longer than the command waits.
    #[error(
        "{path} is being written by another program (ContentEngine?) and stayed locked for \
         {waited_secs} s; wait until it has finished, or stop it, and run the command again"
    )]
    Locked {
        /// The path as given.
        path: String,
        /// How long the command waited, in seconds.
        waited_secs: u64,
    },
    /// The database file may not be written by this user (or lies on a read-only mount).
    #[error(
        "{path} is read-only for this user, so it cannot be changed: nothing ran and it is \
         unchanged. Run the command as the user ContentEngine runs as, or make the file writable \
         (`chmod u+w {path}`)"
    )]
    ReadOnlyFile {
        /// The path as given.
        path: String,
    },
    /// The folder holding the database may not be written: SQLite keeps its journal there.
    #[error(
        "the folder {folder} is read-only for this user, and SQLite needs to create its journal \
         ({path}-journal, or -wal) there to change {path} safely: nothing ran and the file is \
         unchanged. Run the command as the user who owns the folder, or make it writable"
    )]
    ReadOnlyFolder {
        /// The database path as given.
        path: String,
        /// Its folder.
        folder: String,
    },
    /// SQLite could not take a lock on the file at all (not merely a busy one).
    #[error(
        "SQLite could not lock {path} ({message}): its file system does not seem to support the \
         locks SQLite needs (some network shares do not). Nothing ran and the file is unchanged; \
         copy it to a local disk, run the command there with ContentEngine stopped, and copy it back"
    )]
    CannotLock {
        /// The path as given.
        path: String,
        /// What SQLite said.
        message: String,
    },
    /// The file at the path was replaced (or moved away) while the command ran.
    #[error(
        "{path} was replaced by another file (or moved away) while the command ran, so the change \
         was not committed: the file now at {path} is untouched, and so is the one that was there. \
         Run the command again on the file you mean"
    )]
    Replaced {
        /// The path as given.
        path: String,
    },
    /// The disk (or the process's file-size limit) ran out while the change was written.
    #[error(
        "the disk holding {path} is full (or the file-size limit was reached) while writing the \
         change: SQLite rolled it back and {path} is as it was. A migration that rebuilds a table \
         needs about as much free space again as that table; free some and run the command again"
    )]
    DiskFull {
        /// The path as given.
        path: String,
    },
    /// A statement of a migration failed; the step was rolled back.
    #[error(
        "{direction} {revision} failed at the statement `{}`: {message}; the step was rolled back, \
         the database is as it was after the last completed step",
        shorten(statement)
    )]
    StepFailed {
        /// The revision whose section ran.
        revision: String,
        /// `upgrade`, `downgrade` or `stamp`.
        direction: String,
        /// The statement that failed (comments stripped).
        statement: String,
        /// SQLite's message.
        message: String,
    },
    /// A step ran but left the database inconsistent; it was rolled back.
    #[error(
        "{direction} {revision} was rolled back: after it, PRAGMA {check} reported {details}; \
         the database is as it was after the last completed step"
    )]
    CheckFailed {
        /// The revision whose section ran.
        revision: String,
        /// `upgrade`, `downgrade` or `stamp`.
        direction: String,
        /// The check that failed (`foreign_key_check`: steps run no other).
        check: String,
        /// What the check reported (the first rows).
        details: String,
    },
    /// `alembic_version` did not hold the row a step expected to delete or update.
    #[error(
        "{direction} {revision} was rolled back: {message}; the file's alembic_version does not \
         match the plan (run `current` to see what it holds)"
    )]
    VersionRows {
        /// The revision of the step.
        revision: String,
        /// `upgrade`, `downgrade` or `stamp`.
        direction: String,
        /// Alembic's own wording of the mismatch.
        message: String,
    },
    /// The plan names a revision the history passed to `apply` does not have.
    #[error(
        "the plan runs revision {revision}, which is not in the migration history given; plan \
         and apply with the same history"
    )]
    UnknownRevision {
        /// The revision id.
        revision: String,
    },
    /// A transaction was already open on the connection, so a step cannot own one.
    #[error(
        "a transaction is already open on this database with foreign keys on; finish it before \
         migrating (or switch foreign keys off before BEGIN)"
    )]
    TransactionOpen,
    /// Any other SQLite failure.
    #[error("SQLite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// A statement on one line, cut to a length that fits an error message.
fn shorten(statement: &str) -> String {
    const LIMIT: usize = 160;
    let one_line = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= LIMIT {
        one_line
    } else {
        let cut: String = one_line.chars().take(LIMIT).collect();
        format!("{cut} …")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_failed_names_revision_direction_statement_and_message() {
        let error = DbError::StepFailed {
            revision: "c3e7a1d9f482".into(),
            direction: "upgrade".into(),
            statement: "UPDATE posts\n    SET is_demo = 1".into(),
            message: "no such table: posts".into(),
        };
        insta::assert_snapshot!(error.to_string(), @"upgrade c3e7a1d9f482 failed at the statement `UPDATE posts SET is_demo = 1`: no such table: posts; the step was rolled back, the database is as it was after the last completed step");
    }

    #[test]
    fn long_statements_are_shortened() {
        let long = format!("INSERT INTO t VALUES ({})", "1, ".repeat(100));
        let shown = shorten(&long);
        assert!(shown.ends_with(" …"));
        assert_eq!(shown.chars().count(), 162);
    }

    #[test]
    fn truncated_says_expected_and_found() {
        let error = DbError::Truncated {
            expected: 8192,
            found: 5000,
        };
        insta::assert_snapshot!(error.to_string(), @"the file is truncated: SQLite needs 8192 bytes but got only 5000; copy the whole file again (stop ContentEngine first so nothing is half-written)");
    }
}
