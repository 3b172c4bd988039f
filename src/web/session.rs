//! The worker's state: the one open [`Database`] and what each [`Request`] does to it.
//!
//! No browser APIs here (the worker glue in `worker.rs` only moves bytes and messages), so the
//! rules of the page — what "upgrade to head" means, what stays open after a failure, which
//! name a download gets — are unit-tested natively.

use super::demo::{build_demo, DEMO_FILE_NAME};
use super::error::WebError;
use super::protocol::{Request, Response, RevisionLabel, Snapshot};
use crate::{Database, History};

/// The target of the page's upgrade button. `heads` rather than `head`: it also works when a
/// history has two heads, where Alembic refuses `head` (same result as `head` otherwise).
pub const UPGRADE_TARGET: &str = "heads";

/// A response and, for [`Response::Exported`], the file image that goes with it.
#[derive(Debug)]
pub struct Reply {
    /// The message for the page.
    pub response: Response,
    /// A file image to transfer beside it.
    pub bytes: Option<Vec<u8>>,
}

impl Reply {
    fn message(response: Response) -> Reply {
        Reply {
            response,
            bytes: None,
        }
    }
}

/// The database the worker holds, with the name it came under.
struct OpenDatabase {
    db: Database,
    file_name: String,
    is_demo: bool,
}

/// Everything the worker owns: the embedded history and at most one open database.
pub struct Session {
    history: &'static History,
    open: Option<OpenDatabase>,
}

impl Session {
    /// A session with nothing open; fails only when the embedded history is broken.
    pub fn new() -> Result<Session, WebError> {
        let history = History::embedded().map_err(WebError::History)?;
        Ok(Session {
            history,
            open: None,
        })
    }

    /// Carries out one request. A failed request leaves the previously open database open and
    /// says so in [`Response::Failed`].
    pub fn handle(&mut self, request: Request, bytes: Option<Vec<u8>>) -> Reply {
        match request {
            Request::OpenDemo => {
                let opened = self.open_demo();
                self.reply_opened(opened)
            }
            Request::Open { file_name } => {
                let opened = match bytes {
                    Some(bytes) => self.open_file(file_name, &bytes),
                    None => Err(WebError::MissingBytes { file_name }),
                };
                self.reply_opened(opened)
            }
            Request::UpgradeToHead => self.upgrade_to_head(),
            Request::Inspect { request } => self.inspect(request),
            Request::Export => match self.export() {
                Ok((file_name, bytes)) => Reply {
                    response: Response::Exported { file_name },
                    bytes: Some(bytes),
                },
                Err(error) => self.failed(error, Vec::new()),
            },
        }
    }

    fn reply_opened(&self, opened: Result<Snapshot, WebError>) -> Reply {
        match opened {
            Ok(snapshot) => Reply::message(Response::Opened { snapshot }),
            Err(error) => self.failed(error, Vec::new()),
        }
    }

    fn open_demo(&mut self) -> Result<Snapshot, WebError> {
        let db = build_demo(self.history).map_err(|error| WebError::Demo(Box::new(error)))?;
        self.replace(db, DEMO_FILE_NAME.to_string(), true)
    }

    fn open_file(&mut self, file_name: String, bytes: &[u8]) -> Result<Snapshot, WebError> {
        match Database::open_bytes(bytes) {
            Ok(db) => self.replace(db, file_name, false),
            Err(source) => Err(WebError::Open {
                file_name,
                source: Box::new(source.into()),
            }),
        }
    }

    /// Makes `db` the open database, but only once it could be read: a file whose revision
    /// rows cannot be read is refused and the previous one stays open.
    fn replace(
        &mut self,
        db: Database,
        file_name: String,
        is_demo: bool,
    ) -> Result<Snapshot, WebError> {
        let candidate = OpenDatabase {
            db,
            file_name,
            is_demo,
        };
        let snapshot = self.snapshot_of(&candidate).map_err(|error| match error {
            WebError::Read { file_name, source } => WebError::Open { file_name, source },
            other => other,
        })?;
        self.open = Some(candidate);
        Ok(snapshot)
    }

    fn upgrade_to_head(&mut self) -> Reply {
        let history = self.history;
        let Some(open) = self.open.as_mut() else {
            return self.failed(WebError::NothingOpen, Vec::new());
        };
        let upgrade_error = |source: crate::Error| WebError::Upgrade {
            file_name: open.file_name.clone(),
            source: Box::new(source),
        };
        let mut log = Vec::new();
        let result = match open.db.current_versions() {
            Err(source) => Err(upgrade_error(source.into())),
            Ok(current) => match history.plan_upgrade(&current, UPGRADE_TARGET) {
                Err(source) => Err(upgrade_error(source.into())),
                Ok(plan) => open
                    .db
                    .apply(history, &plan, |report| {
                        log.push(report.step.log_line.clone())
                    })
                    .map(|_| ())
                    .map_err(|source| upgrade_error(source.into())),
            },
        };
        match result.and_then(|()| self.current_snapshot()) {
            Ok(snapshot) => Reply::message(Response::Upgraded { snapshot, log }),
            Err(error) => self.failed(error, log),
        }
    }

    fn export(&mut self) -> Result<(String, Vec<u8>), WebError> {
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        let bytes = open.db.to_bytes().map_err(|source| WebError::Read {
            file_name: open.file_name.clone(),
            source: Box::new(source.into()),
        })?;
        Ok((open.file_name.clone(), bytes))
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

    /// Reads what the page shows about `open`: its revision rows (with messages), the heads,
    /// what an upgrade would run, or why it cannot.
    fn snapshot_of(&self, open: &OpenDatabase) -> Result<Snapshot, WebError> {
        let read_error = |source: crate::db::DbError| WebError::Read {
            file_name: open.file_name.clone(),
            source: Box::new(source.into()),
        };
        let current = open.db.current_versions().map_err(read_error)?;
        let versioned = open.db.is_versioned().map_err(read_error)?;
        let heads: Vec<String> = self
            .history
            .heads()
            .iter()
            .map(|rev| rev.id.clone())
            .collect();
        let labels: Vec<RevisionLabel> = current
            .iter()
            .map(|id| RevisionLabel {
                id: id.clone(),
                message: self.history.get(id).map(|rev| rev.message.clone()),
            })
            .collect();
        let unknown: Vec<&str> = labels
            .iter()
            .filter(|label| label.message.is_none())
            .map(|label| label.id.as_str())
            .collect();
        let (pending, problem) = if !unknown.is_empty() {
            (
                Vec::new(),
                Some(unknown_revision_message(&open.file_name, &unknown, &heads)),
            )
        } else {
            match self.history.plan_upgrade(&current, UPGRADE_TARGET) {
                Ok(plan) => (
                    plan.steps
                        .iter()
                        .map(|step| step.log_line.clone())
                        .collect(),
                    None,
                ),
                Err(error) => (
                    Vec::new(),
                    Some(format!("{} cannot be upgraded: {error}", open.file_name)),
                ),
            }
        };
        let mut notices = open.db.notices().to_vec();
        if !versioned {
            notices.push(
                "This file has no alembic_version table, so it counts as an empty database \
                 (base): upgrading creates ContentEngine's tables in it."
                    .to_string(),
            );
        }
        Ok(Snapshot {
            file_name: open.file_name.clone(),
            is_demo: open.is_demo,
            current: labels,
            heads,
            pending,
            problem,
            notices,
        })
    }
}

/// Alembic only says "Can't locate revision identified by …"; say where such a file comes from.
fn unknown_revision_message(file_name: &str, unknown: &[&str], heads: &[String]) -> String {
    format!(
        "{file_name} is at revision {}, which is not in content-db's migration history (its \
         newest revision is {}). The file was probably written by a newer ContentEngine: use a \
         content-db that includes that migration, or open another file.",
        unknown.join(", "),
        heads.join(", "),
    )
}

mod inspect;

#[cfg(test)]
mod tests;
