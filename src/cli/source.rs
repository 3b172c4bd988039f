//! Where a command finds its inputs: the database file (`--db`) and the migration history
//! (embedded, or read from `--migrations DIR` at run time).

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};

use super::files;
use super::{CliError, Event, Events};
use crate::db::Database;
use crate::revision::{History, Plan};

/// The directory `create` and `merge` write to when `--migrations` is not given.
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";

/// The paths given on the command line (`--db`, `--migrations`).
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The database file.
    pub db_path: PathBuf,
    /// `--migrations DIR`, when given: the history is read from there instead of the binary.
    pub migrations_dir: Option<PathBuf>,
}

impl Workspace {
    /// The history: read from `--migrations DIR` when given, else the one built into the binary.
    pub fn history(&self) -> Result<Cow<'static, History>, CliError> {
        match &self.migrations_dir {
            Some(dir) => Ok(Cow::Owned(read_history(dir)?)),
            None => Ok(Cow::Borrowed(History::embedded()?)),
        }
    }

    /// The directory `create` and `merge` write to: `--migrations DIR`, else `./migrations`.
    pub fn scaffold_dir(&self) -> PathBuf {
        self.migrations_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_MIGRATIONS_DIR))
    }

    /// Opens the existing database file read-only where it lies (see `db/file.rs`); the file is
    /// never written here, and nothing is created beside it.
    pub fn open_existing(&self, events: Events) -> Result<Database, CliError> {
        self.require_file()?;
        Ok(told(Database::open_file_read_only(&self.db_path)?, events))
    }

    /// Opens the existing database file in place for a writing command, holding SQLite's write
    /// lock in an open transaction (see `db/in_place.rs`); nothing is written until it commits.
    pub fn open_for_writing(&self, events: Events) -> Result<Database, CliError> {
        self.require_file()?;
        Ok(told(
            Database::open_file_for_writing(&self.db_path)?,
            events,
        ))
    }

    /// Refuses a `--db` path that names nothing, or a folder.
    fn require_file(&self) -> Result<(), CliError> {
        if !files::exists(&self.db_path)? {
            return Err(CliError::MissingDatabase {
                path: self.db_path.clone(),
            });
        }
        if self.db_path.is_dir() {
            return Err(CliError::DatabaseIsAFolder {
                path: self.db_path.clone(),
            });
        }
        Ok(())
    }

    /// Refuses a `--db` path whose folder does not exist: said before any migration runs, not
    /// after them when the new file cannot be written.
    pub fn require_folder(&self) -> Result<(), CliError> {
        let folder = match self.db_path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if folder.is_dir() {
            Ok(())
        } else {
            Err(CliError::MissingFolder {
                path: self.db_path.clone(),
                folder: folder.to_path_buf(),
            })
        }
    }

    /// Applies `plan` to `database`, logging each step as Alembic does; a failed step is
    /// reported with this workspace's database path (the database itself is rolled back).
    pub fn apply_logged(
        &self,
        database: &mut Database,
        history: &History,
        plan: &Plan,
        events: Events,
    ) -> Result<(), CliError> {
        self.apply_logged_with_hint(database, history, plan, events, None)
    }

    /// [`Workspace::apply_logged`] with a hint added to the error of a failed step (what the
    /// state of the file suggests doing, e.g. `stamp` for an unversioned file).
    pub fn apply_logged_with_hint(
        &self,
        database: &mut Database,
        history: &History,
        plan: &Plan,
        events: Events,
        hint: Option<String>,
    ) -> Result<(), CliError> {
        database
            .apply(history, plan, |report| {
                events(Event::Step(report.step.log_line.clone()))
            })
            .map_err(|source| CliError::Migration {
                source: Box::new(database.explain_write_failure(source)),
                path: self.db_path.clone(),
                hint,
            })?;
        Ok(())
    }
}

/// `database`, after its notices (how the file was opened) went to `events`.
fn told(database: Database, events: Events) -> Database {
    for notice in database.notices() {
        events(Event::Notice(notice.clone()));
    }
    database
}

/// Reads every `*.sql` file of `dir` (sorted by name) into a [`History`].
pub fn read_history(dir: &Path) -> Result<History, CliError> {
    let sources = read_migration_files(dir)?;
    let pairs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    Ok(History::from_files(&pairs)?)
}

/// `(path, text)` of every `*.sql` file of `dir`, sorted by file name.
fn read_migration_files(dir: &Path) -> Result<Vec<(String, String)>, CliError> {
    if !dir.is_dir() {
        return Err(CliError::MissingMigrationsDir {
            path: dir.to_path_buf(),
        });
    }
    let entries = fs::read_dir(dir).map_err(CliError::io("read the directory", dir))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(CliError::io("read the directory", dir))?
            .path();
        if crate::revision::is_migration_file(&path.to_string_lossy()) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).map_err(CliError::io("read", &path))?;
            Ok((path.display().to_string(), text))
        })
        .collect()
}
