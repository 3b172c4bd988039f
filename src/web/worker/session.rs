//! The worker's state: the one open [`Database`] and what each [`Request`] does to it.
//!
//! The open database and its undo states are one type, `OpenDatabase` (`open.rs`, with the table
//! of what each operation does to them); copies of it leave through a [`Vault`] (`vault.rs`).
//!
//! No browser APIs here (the worker glue in `request_loop.rs` only moves bytes and messages), so the
//! rules of the page — what "upgrade to head" means, what stays open after a failure, which
//! name a download gets — are unit-tested natively.

use super::advice;
use super::demo::{build_demo, DEMO_FILE_NAME};
use super::error::WebError;
use crate::diagnose::{Diagnosis, FileFacts, RowsProblem};
use crate::web::protocol::{
    Checks, Fraction, OverviewChecks, Request, Response, RevisionLabel, Snapshot,
};
use crate::{Database, History};
use std::rc::Rc;

mod checked;
mod evolution;
mod insight;
mod migrate;
mod migrations;
mod open;
mod overview;
mod room;
mod undo;
mod vault;
mod warm;

use open::{OpenDatabase, Original};

pub use migrate::plan_for;
pub use vault::{memory_bytes, Image, MemoryImage, MemoryVault, StoredImage, Vault, SLICE_LEN};

/// The name a new empty database gets.
pub const NEW_FILE_NAME: &str = "content.db";

/// The target of the page's upgrade button (see [`crate::diagnose::UPGRADE_TARGET`]).
pub use crate::diagnose::UPGRADE_TARGET;

/// A response and, for [`Response::Exported`], the file image that goes with it.
pub struct Reply {
    /// The message for the page.
    pub response: Response,
    /// A file image to send beside it (a Blob in the worker).
    pub image: Option<Image>,
}

impl Reply {
    fn message(response: Response) -> Reply {
        Reply {
            response,
            image: None,
        }
    }
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("response", &self.response)
            .field("image_len", &self.image.as_ref().map(|image| image.len()))
            .finish()
    }
}

/// Everything the worker owns: the history in use and at most one open database.
pub struct Session {
    /// The history plans are made with (see `migrations.rs`).
    migrations: migrations::InUse,
    open: Option<OpenDatabase>,
    /// Where copies of a database (downloads, the demo's original) are kept.
    vault: Box<dyn Vault>,
    /// The memory a change of a chosen file must fit in (see `room.rs`).
    memory: room::MemoryLimit,
}

impl Session {
    /// A session with nothing open; fails only when the embedded history is broken.
    pub fn new() -> Result<Session, WebError> {
        Session::with_vault(Box::new(MemoryVault))
    }

    /// A session keeping images in `vault` (the worker's keeps them in Blobs).
    pub fn with_vault(vault: Box<dyn Vault>) -> Result<Session, WebError> {
        Ok(Session {
            migrations: migrations::InUse::embedded()?,
            open: None,
            vault,
            memory: room::MemoryLimit::Process,
        })
    }

    /// Carries out one request; `bytes` is the file of [`Request::Open`]. A failed request
    /// leaves the previously open database open and says so in [`Response::Failed`].
    pub fn handle(&mut self, request: Request, bytes: Option<Vec<u8>>) -> Reply {
        let image = bytes.map(|bytes| Rc::new(MemoryImage(bytes)) as Image);
        self.handle_with_progress(request, image, &mut |_| {})
    }

    /// [`Session::handle`] with the file of [`Request::Open`] as a stored `image` (read in
    /// slices, never copied whole), posting [`Response::Progress`] while a migration runs and
    /// [`Response::Reading`] while a file is read.
    pub fn handle_with_progress(
        &mut self,
        request: Request,
        image: Option<Image>,
        progress: &mut dyn FnMut(Response),
    ) -> Reply {
        if !checked::only_reads(&request) {
            if let Some(open) = self.open.as_mut() {
                open.forget_checks();
            }
        }
        match request {
            Request::OpenDemo => {
                let opened = self.open_demo();
                self.reply_opened(opened)
            }
            Request::Open { file_name } => {
                let opened = match image {
                    Some(image) => self.open_file(file_name, image, progress),
                    None => Err(WebError::MissingBytes { file_name }),
                };
                // Not opened: the previous database was never let go of, and stays open.
                self.reply_opened(opened)
            }
            Request::UpgradeToHead => self.upgrade_to_head(progress),
            Request::Inspect { request } => self.inspect(request),
            Request::Export => match self.export() {
                Ok((file_name, image, checks)) => Reply {
                    response: Response::Exported { file_name, checks },
                    image: Some(image),
                },
                Err(error) => self.failed(error, Vec::new()),
            },
            Request::ExportBackup { stamp } => match self.open.as_ref() {
                // The original is the chosen file itself: the browser refuses to read it once it
                // changed on disk, so check that first (a header read) rather than start a
                // download that fails.
                Some(open) => match open.original.image.start(1) {
                    Ok(_) => Reply {
                        response: Response::Exported {
                            file_name: format!("{}.backup-{stamp}", open.file_name),
                            checks: Checks::default(),
                        },
                        image: Some(open.original.image.clone()),
                    },
                    Err(source) => self.failed(open.unreadable(source), Vec::new()),
                },
                None => self.failed(WebError::NothingOpen, Vec::new()),
            },
            Request::NewEmpty => {
                let opened = Database::new_in_store()
                    .map_err(|source| WebError::Open {
                        file_name: NEW_FILE_NAME.to_string(),
                        source: Box::new(source.into()),
                    })
                    .and_then(|db| self.replace(db, NEW_FILE_NAME.to_string(), false, None));
                self.reply_opened(opened)
            }
            Request::Preview { target, stamp } => match self.preview(&target, stamp) {
                Ok(preview) => Reply::message(Response::Previewed { preview }),
                Err(error) => self.failed(error, Vec::new()),
            },
            Request::Migrate { target, stamp } => match self.migrate(&target, stamp, progress) {
                Ok((snapshot, log)) => Reply::message(Response::Migrated { snapshot, log }),
                Err((error, log)) => {
                    let lines = log.into_iter().map(|entry| entry.line).collect();
                    self.failed(error, lines)
                }
            },
            Request::StampBaseline { revisions } => match self.stamp_baseline(&revisions) {
                Ok((snapshot, log)) => Reply::message(Response::Migrated { snapshot, log }),
                Err(error) => self.failed(error, Vec::new()),
            },
            Request::Overview { serial } => {
                let mut told = |fraction| {
                    progress(Response::OverviewProgress {
                        serial,
                        fraction: Fraction::new(fraction),
                    })
                };
                Reply::message(Response::Overviewed {
                    serial,
                    result: self
                        .overview_checks(&mut told)
                        .map_err(|error| error.to_string()),
                })
            }
            // Checks run here are over by the time this is read: nothing is left to stop (the
            // worker stops those of its background checker before they get here).
            Request::StopOverview { serial } => {
                Reply::message(Response::OverviewStopped { serial })
            }
            Request::Undo => match self.undo() {
                Ok(snapshot) => Reply::message(Response::Undone { snapshot }),
                Err(error) => self.failed(error, Vec::new()),
            },
            Request::UseMigrations {
                files,
                ignored,
                label,
            } => self.use_migrations(&files, ignored, label),
            Request::UseEmbeddedMigrations => self.use_embedded_migrations(),
        }
    }

    fn reply_opened(&self, opened: Result<Snapshot, WebError>) -> Reply {
        match opened {
            Ok(snapshot) => Reply::message(Response::Opened { snapshot }),
            Err(error) => self.failed(error, Vec::new()),
        }
    }

    fn open_demo(&mut self) -> Result<Snapshot, WebError> {
        // The demo is ContentEngine's database, built by ContentEngine's migrations whatever
        // history is in use (under another one it is at a revision that history does not know).
        let embedded = History::embedded().map_err(WebError::History)?;
        let db = build_demo(embedded).map_err(|error| WebError::Demo(Box::new(error)))?;
        self.replace(db, DEMO_FILE_NAME.to_string(), true, None)
    }

    fn open_file(
        &mut self,
        file_name: String,
        image: Image,
        progress: &mut dyn FnMut(Response),
    ) -> Result<Snapshot, WebError> {
        match image.open(&mut |read, total| progress(Response::Reading { read, total })) {
            Ok(db) => self.replace(db, file_name, false, Some(image)),
            Err(source) => Err(WebError::Open {
                file_name,
                source: Box::new(source.into()),
            }),
        }
    }

    /// Makes `db` the open database, but only once it could be read: a file whose revision
    /// rows cannot be read is refused and the previous one stays open. `original` is the file
    /// as chosen; without one (demo, new) a copy of the database as built is the original.
    fn replace(
        &mut self,
        mut db: Database,
        file_name: String,
        is_demo: bool,
        original: Option<Image>,
    ) -> Result<Snapshot, WebError> {
        let open_error = |source: crate::db::DbError| WebError::Open {
            file_name: file_name.clone(),
            source: Box::new(source.into()),
        };
        let original = match original {
            Some(image) => image,
            None => self.vault.copy_out(&mut db).map_err(open_error)?,
        };
        let original = Original::new(original).map_err(open_error)?;
        let candidate = OpenDatabase {
            db,
            file_name,
            is_demo,
            original,
            undo: Vec::new(),
            checked: checked::KeptChecks::default(),
        };
        let snapshot = self.snapshot_of(&candidate).map_err(|error| match error {
            WebError::Read { file_name, source } => WebError::Open { file_name, source },
            other => other,
        })?;
        self.open = Some(candidate);
        Ok(snapshot)
    }

    /// The one-click upgrade; like [`Session::migrate`] it takes a checkpoint first and posts a
    /// [`Response::Progress`] with the time of each step.
    fn upgrade_to_head(&mut self, progress: &mut dyn FnMut(Response)) -> Reply {
        let history = self.history();
        let history = &*history;
        let Some(open) = self.open.as_ref() else {
            return self.failed(WebError::NothingOpen, Vec::new());
        };
        let upgrade_error = |source: crate::Error| WebError::Upgrade {
            file_name: open.file_name.clone(),
            source: Box::new(source),
        };
        // The plan alone tells whether anything will change (a whole snapshot is not needed
        // for that: it would read the table names and work out the status in words).
        let planned = open
            .db
            .current_versions()
            .map_err(|source| upgrade_error(source.into()))
            .and_then(|current| {
                refuse_rows(history, &open.file_name, &current)?;
                history
                    .plan_upgrade(&current, UPGRADE_TARGET)
                    .map_err(|source| upgrade_error(source.into()))
            });
        let plan = match planned {
            Ok(plan) => plan,
            Err(error) => return self.failed(error, Vec::new()),
        };
        let pending = !plan.steps.is_empty();
        let share = migrate::check_share(open);
        if pending {
            if let Err(error) = self.ensure_room(&plan, "upgrade", UPGRADE_TARGET) {
                return self.failed(error, Vec::new());
            }
            let sound = match self.open.as_mut() {
                Some(open) => open.ensure_sound(&mut migrate::within(0.0, share, progress)),
                None => Err(WebError::NothingOpen),
            };
            if let Err(error) = sound {
                return self.failed(error, Vec::new());
            }
            if let Err(error) = self.checkpoint(&format!("upgrade to {UPGRADE_TARGET}")) {
                return self.failed(error, Vec::new());
            }
        }
        let words = self.change_words("upgrade", UPGRADE_TARGET);
        let Some(open) = self.open.as_mut() else {
            return self.failed(WebError::NothingOpen, Vec::new());
        };
        let mut log = Vec::new();
        let mut steps = migrate::within(share, 1.0, progress);
        let result =
            migrate::apply_posting(open, history, &plan, &mut steps, &mut log).map_err(|source| {
                let file_name = open.file_name.clone();
                room::step_error(source, words, |source| WebError::Upgrade {
                    file_name,
                    source,
                })
            });
        if result.is_err() && log.is_empty() && pending {
            // Nothing changed: nothing to undo.
            self.drop_checkpoint();
        }
        match result.and_then(|()| self.current_snapshot()) {
            Ok(snapshot) => Reply::message(Response::Upgraded { snapshot, log }),
            Err(error) => {
                let lines = log.into_iter().map(|entry| entry.line).collect();
                self.failed(error, lines)
            }
        }
    }

    fn export(&mut self) -> Result<(String, Image, Checks), WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        open.ensure_sound(&mut |_| {})?;
        let checks = Checks {
            integrity: open
                .integrity_checked(&mut |_, _| {}, &mut |_| {})
                .map_err(|e| open.unreadable(e))?,
            foreign_keys: open
                .foreign_keys_checked()
                .map_err(|e| open.unreadable(e))?,
        };
        // Never the original, even unchanged: a WAL file's download differs from the file as
        // chosen (its header is switched to rollback-journal mode).
        let image = self
            .vault
            .copy_out(&mut open.db)
            .map_err(|source| open.unreadable(source))?;
        Ok((open.file_name.clone(), image, checks))
    }

    /// `integrity_check` and the row counts of the open database ([`Request::Overview`]),
    /// telling `progress` the part done.
    fn overview_checks(
        &mut self,
        progress: &mut dyn FnMut(f64),
    ) -> Result<OverviewChecks, WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        open.overview_checks(progress)
            .map_err(|source| open.unreadable(source))
    }

    /// The chosen file as it was opened, while the open database is still byte for byte that
    /// file (read lazily, nothing written or all of it undone): what a background checker may
    /// check in its place (`worker/checker.rs`). `None` for the demo, a new database, or a
    /// changed one.
    pub fn unchanged_original(&self) -> Option<Image> {
        let open = self.open.as_ref()?;
        let unchanged =
            open.db.has_source().unwrap_or(false) && open.db.is_unchanged().unwrap_or(false);
        unchanged.then(|| open.original.image.clone())
    }

    /// The open database's spill (where its page store keeps undo's saved chunks), if it
    /// has one of type `T`.
    pub fn spill_of_open<T: Clone + 'static>(&self) -> Option<T> {
        let db = &self.open.as_ref()?.db;
        db.with_spill(|spill| spill?.as_any().downcast_ref::<T>().cloned())
            .ok()
            .flatten()
    }

    /// The open database's file as chosen (for the demo or a new database, its first image).
    pub fn original(&self) -> Option<Image> {
        Some(self.open.as_ref()?.original.image.clone())
    }

    /// Whether `image` is the open database's file as chosen (the same stored image).
    pub fn has_original(&self, image: &Image) -> bool {
        self.open
            .as_ref()
            .is_some_and(|open| Rc::ptr_eq(&open.original.image, image))
    }

    /// Notes that a background checker found `original` (the file as chosen) sound with
    /// `integrity_check`: if it is still the open database's original, no quick check is owed
    /// before its first change or download (SQLite's own writes since do not need one).
    pub fn note_original_sound(&mut self, original: &Image) {
        if let Some(open) = self.open.as_mut() {
            if Rc::ptr_eq(&open.original.image, original) {
                open.db.note_checked();
            }
        }
    }

    fn failed(&self, error: WebError, log: Vec<String>) -> Reply {
        Reply::message(Response::Failed {
            message: error.to_string(),
            snapshot: self.current_snapshot().ok(),
            log,
        })
    }

    fn current_snapshot(&self) -> Result<Snapshot, WebError> {
        let open = self.open.as_ref().ok_or(WebError::NothingOpen)?;
        self.snapshot_of(open)
    }

    /// Bytes the open database's page store holds for what was written since it was opened and
    /// for its undo checkpoints (`None` when nothing is open): what the benchmark reports beside
    /// the worker's memory.
    pub fn changed_bytes(&self) -> Option<usize> {
        let db = &self.open.as_ref()?.db;
        db.is_paged().then(|| db.changed_bytes().ok()).flatten()
    }

    /// Reads what the page shows about `open`: its revision rows (with messages), the history
    /// in use, what an upgrade would run, or why it cannot.
    fn snapshot_of(&self, open: &OpenDatabase) -> Result<Snapshot, WebError> {
        crate::timing::span("app:snapshot", || self.snapshot_now(open))
    }

    fn snapshot_now(&self, open: &OpenDatabase) -> Result<Snapshot, WebError> {
        let table_names = open.table_names().map_err(|e| open.unreadable(e))?;
        let facts = FileFacts {
            name: open.file_name.clone(),
            versioned: open.db.is_versioned().map_err(|e| open.unreadable(e))?,
            rows: open.db.current_versions().map_err(|e| open.unreadable(e))?,
            tables: table_names
                .iter()
                .filter(|name| !name.eq_ignore_ascii_case("alembic_version"))
                .cloned()
                .collect(),
        };
        let history = &*self.migrations.history;
        let diagnosis = Diagnosis::of(history, facts);
        let labels: Vec<RevisionLabel> = diagnosis
            .facts
            .rows
            .iter()
            .map(|id| RevisionLabel {
                id: id.clone(),
                message: history.get(id).map(|rev| rev.message.clone()),
            })
            .collect();
        let problem = match (&diagnosis.problem, &diagnosis.pending) {
            (Some(problem), _) => Some(WebError::from(problem.clone()).to_string()),
            (None, Err(error)) => Some(format!("{} cannot be upgraded: {error}", open.file_name)),
            (None, Ok(_)) => None,
        };
        let overview = open.overview(
            diagnosis.status(history),
            diagnosis.facts.versioned,
            table_names,
        );
        let mut notices = open.db.notices().to_vec();
        if let Some(notice) = diagnosis.notice() {
            notices.push(match diagnosis.needs_stamp() {
                true => format!("{notice} {}", advice::stamp_advice()),
                false => notice,
            });
        }
        Ok(Snapshot {
            file_name: open.file_name.clone(),
            is_demo: open.is_demo,
            current: labels,
            pending: diagnosis.pending.unwrap_or_default(),
            problem,
            notices,
            overview,
            undo: open.undo.clone(),
            migrations: self.migrations.source.clone(),
        })
    }
}

/// Refuses `current` rows no plan can start from (the CLI refuses them too); only a stamp,
/// which replaces every row, puts them right.
fn refuse_rows(history: &History, file_name: &str, current: &[String]) -> Result<(), WebError> {
    RowsProblem::check(history, file_name, current).map_err(WebError::from)
}

mod inspect;

#[cfg(test)]
mod tests;
