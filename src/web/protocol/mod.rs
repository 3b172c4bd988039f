//! What the page and the worker share: the messages between them, as serde types. A new
//! request or reply is a variant here (the History and Inspect messages in [`inspect`]), with its
//! round-trip test; the page's side goes to `page/`, the worker's to `worker/session/`.
//!
//! On the wire each message is a JS object `{ message, bytes }`: `message` is the serde value
//! (via `serde-wasm-bindgen`) and `bytes`, when present, a `Blob` (the chosen `File`, or a
//! download): Blobs are posted by reference, their bytes are not copied, because database files
//! can be large.

pub mod inspect;

browser_only! {
    pub(crate) mod envelope;
    pub(crate) mod worker_errors;
}

use serde::{Deserialize, Serialize};

use crate::revision::{History, MigrationText};

/// What the page asks the worker to do. A request that carries a file has it (a `File`) in the
/// envelope's `bytes` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Request {
    /// Build and open the built-in demo database (ContentEngine at an older revision).
    OpenDemo,
    /// Open the `File` in the envelope's `bytes` (the worker reads it in slices, posting
    /// [`Response::Reading`]); `file_name` is what the user chose.
    Open {
        /// The chosen file's name, reused for the download.
        file_name: String,
    },
    /// Upgrade the open database to the head(s) of the embedded history.
    UpgradeToHead,
    /// Send the open database back as a file image (a Blob in the reply's `bytes`), with the result of
    /// `integrity_check` and `foreign_key_check`.
    Export,
    /// A look into the open database (history, tables, console).
    Inspect {
        /// What to look at.
        request: inspect::InspectRequest,
    },
    /// Open a new, empty database (no tables, not versioned) named `content.db`.
    NewEmpty,
    /// Show what migrating to `target` would do, without changing anything.
    Preview {
        /// Any target the CLI accepts: `head`, `heads`, `base`, an id or prefix, `+N`, `-N`,
        /// `REV+N`, `REV-N`.
        target: String,
        /// Only rewrite `alembic_version` (Alembic's `stamp`), run no migration.
        stamp: bool,
    },
    /// Migrate (or stamp) to `target`; [`Response::Progress`] comes after every step.
    Migrate {
        /// As for [`Request::Preview`].
        target: String,
        /// As for [`Request::Preview`].
        stamp: bool,
    },
    /// Go back to the state before the last operation (from the in-memory snapshot).
    Undo,
    /// Record `revisions` in `alembic_version` (Alembic's `stamp --purge`), for a file whose
    /// schema the drift check matched with them; undoable like a migration.
    StampBaseline {
        /// The rows to record (empty: base).
        revisions: Vec<String>,
    },
    /// Send the file as it was opened (in the reply's `bytes`), as a backup.
    ExportBackup {
        /// The local time for the name, `YYYYMMDD-HHMMSS`.
        stamp: String,
    },
    /// Run `integrity_check` and count every table's rows (the slow half of the overview, kept
    /// out of [`Snapshot`] so that opening and migrating do not wait for it). Like
    /// [`Request::Inspect`] it never marks the page busy.
    Overview {
        /// Echoed in [`Response::Overviewed`], so the page can drop an answer about a state of
        /// the database it no longer shows.
        serial: u64,
    },
    /// Stop the overview's checks for `serial` if they still run in the background (a large
    /// chosen file is checked by a second worker, see `worker/checker.rs`); answered by
    /// [`Response::OverviewStopped`]. Never marks the page busy.
    StopOverview {
        /// The serial of the [`Request::Overview`] to stop.
        serial: u64,
    },
    /// Plan with the history these migration files make (checked by the build's own rules)
    /// instead of the one in use, for this tab; refused as a whole, naming the file at fault.
    UseMigrations {
        /// The migration files (`.sql`) among those chosen, with their texts.
        files: Vec<MigrationText>,
        /// How many other chosen files were left out.
        ignored: usize,
        /// What was chosen, in words: the folder's name, or `3 files`.
        label: String,
    },
    /// Plan with the embedded history again.
    UseEmbeddedMigrations,
}

impl Request {
    /// True for the operations that change or send the open database: the page is busy until
    /// their answer (one at a time). The reads of [`Request::Inspect`] and
    /// [`Request::Overview`] run beside them and never mark it busy.
    pub fn marks_busy(&self) -> bool {
        !matches!(
            self,
            Request::Inspect { .. } | Request::Overview { .. } | Request::StopOverview { .. }
        )
    }
}

/// What the worker answers. Exactly one response per request, plus [`Response::Ready`] once at
/// start-up (messages posted before the worker's handler exists would be lost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Response {
    /// The worker has loaded and listens for requests.
    Ready,
    /// A database was opened (a file or the demo).
    Opened {
        /// What is open now.
        snapshot: Snapshot,
    },
    /// An upgrade ran to the end.
    Upgraded {
        /// The database after the upgrade.
        snapshot: Snapshot,
        /// Alembic's log line of every step with its time, in the order they ran (empty:
        /// already at head).
        log: Vec<LogEntry>,
    },
    /// The database as a file image is in the envelope's `bytes`.
    Exported {
        /// The name to save it under.
        file_name: String,
        /// What `integrity_check` and `foreign_key_check` said just before.
        checks: Checks,
    },
    /// What a migration would do ([`Request::Preview`]).
    Previewed {
        /// The plan, in words and SQL.
        preview: Preview,
    },
    /// One step of a running migration or upgrade completed, with its time: one per step, the
    /// page's migration log is made of them (the answer that ends the migration,
    /// [`Response::Upgraded`] or [`Response::Migrated`], carries the same entries again for
    /// the step log).
    Progress {
        /// Steps done so far.
        done: usize,
        /// Steps in the plan.
        total: usize,
        /// The step that just completed.
        entry: LogEntry,
    },
    /// How far a long operation is, posted at most every ~100 ms while it runs (several per
    /// request, like [`Response::Progress`]; the page moves its bar with them).
    Working {
        /// How much of the whole operation is done (steps completed plus the running step's
        /// share), below 1 until it ends.
        fraction: Fraction,
        /// What runs now, in words (e.g. `step 1 of 1: Running upgrade … -> …`).
        label: String,
    },
    /// A migration or stamp ran to the end.
    Migrated {
        /// The database after it.
        snapshot: Snapshot,
        /// Every step with its time.
        log: Vec<LogEntry>,
    },
    /// The last operation was undone.
    Undone {
        /// The database as it is again.
        snapshot: Snapshot,
    },
    /// The request failed; whatever was open before stays open.
    Failed {
        /// What failed and what the user can do, ready to show.
        message: String,
        /// The database as it is now, when one is open (e.g. after a step that failed half-way
        /// the earlier steps are kept).
        snapshot: Option<Snapshot>,
        /// Log lines of the steps that did complete before the failure.
        log: Vec<String>,
    },
    /// The answer to [`Request::Overview`].
    Overviewed {
        /// The request's serial.
        serial: u64,
        /// The checks, or why they could not run.
        result: Result<OverviewChecks, String>,
    },
    /// How far the overview's checks for `serial` are (reading the file, then
    /// `integrity_check`, then the row counts), about every tenth of a second while they run.
    OverviewProgress {
        /// The request's serial.
        serial: u64,
        /// The part done.
        fraction: Fraction,
    },
    /// The answer to [`Request::StopOverview`]: the checks for `serial` were stopped, or had
    /// ended already (then [`Response::Overviewed`] came first).
    OverviewStopped {
        /// The serial of the stopped checks.
        serial: u64,
    },
    /// The answer to [`Request::Inspect`].
    Inspected {
        /// What was found.
        response: Box<inspect::InspectResponse>,
    },
    /// The worker hit a bug (a Rust panic) and cannot take more requests.
    Crashed {
        /// The panic message.
        reason: String,
    },
    /// The history in use changed ([`Request::UseMigrations`], [`Request::UseEmbeddedMigrations`]).
    MigrationsChanged {
        /// The history now in use.
        source: MigrationsSource,
        /// The open database read again under it (its revision may have become known or unknown).
        snapshot: Option<Snapshot>,
    },
    /// The worker has read this much of the file being opened (several per [`Request::Open`]).
    Reading {
        /// Bytes read so far.
        read: u64,
        /// The file's size.
        total: u64,
    },
}

/// A share of an operation's work, from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Fraction(f64);

impl Fraction {
    /// `value` clamped to 0..=1 (NaN counts as 0), so it is always a finite number.
    pub fn new(value: f64) -> Fraction {
        Fraction(if value.is_nan() {
            0.0
        } else {
            value.clamp(0.0, 1.0)
        })
    }

    /// `done` of `total` (1 when there is nothing to do).
    pub fn of(done: usize, total: usize) -> Fraction {
        if total == 0 {
            Fraction(1.0)
        } else {
            Fraction::new(done as f64 / total as f64)
        }
    }

    /// The share as a number from 0 to 1.
    pub fn get(self) -> f64 {
        self.0
    }
}

// `Fraction::new` never holds NaN, so equality is total.
impl Eq for Fraction {}

/// One completed step of a migration, for the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Alembic's log line for the step.
    pub line: String,
    /// How long it took, in milliseconds.
    pub millis: f64,
}

// Times are finite numbers from `performance.now()`, so equality is total here.
impl Eq for LogEntry {}

/// The checks run before a download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Checks {
    /// `PRAGMA integrity_check`'s rows (`ok` when the file is sound).
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check`'s rows, in words (empty when every reference resolves).
    pub foreign_keys: Vec<String>,
}

impl Checks {
    /// True when both checks passed.
    pub fn passed(&self) -> bool {
        self.integrity == ["ok"] && self.foreign_keys.is_empty()
    }
}

/// What migrating to a target would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// The target as typed.
    pub target: String,
    /// `upgrade`, `downgrade` or `stamp`.
    pub action: String,
    /// `alembic_version` before (empty: base).
    pub versions_before: Vec<String>,
    /// `alembic_version` after.
    pub versions_after: Vec<String>,
    /// The steps in order.
    pub steps: Vec<PreviewStep>,
    /// The schema change from before to after, one sentence per difference.
    pub schema_changes: Vec<String>,
    /// What data is lost, one sentence per dropped table or column with its current count.
    pub losses: Vec<String>,
    /// True when a dropped table or column holds data now (false: only empty ones go).
    #[serde(default)]
    pub loses_data: bool,
}

/// One step of a [`Preview`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewStep {
    /// Alembic's log line for it.
    pub line: String,
    /// The SQL it runs, with the `alembic_version` statements.
    pub sql: String,
    /// The data this step drops, in words.
    pub losses: Vec<String>,
}

/// One table and its number of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCount {
    /// The table's name.
    pub name: String,
    /// `count(*)`.
    pub rows: u64,
}

/// The slow half of the overview, answered by [`Request::Overview`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OverviewChecks {
    /// `PRAGMA integrity_check`'s rows.
    pub integrity: Vec<String>,
    /// Every table with its row count.
    pub tables: Vec<TableCount>,
}

/// What the overview shows about the open file at once (what is cheap to read); the integrity
/// check and the row counts come with [`Response::Overviewed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Overview {
    /// Size of the file as opened, in bytes.
    pub size: u64,
    /// The SQLite version that last wrote it (from the header), e.g. `3.45.1`.
    pub sqlite_version: String,
    /// Page size in bytes.
    pub page_size: u32,
    /// The journal mode the file was in (`wal` or `delete`).
    pub journal_mode: String,
    /// Every table's name (SQLite's own excluded), by name.
    pub table_names: Vec<String>,
    /// The migration status in words.
    pub status: String,
    /// False when the file has no `alembic_version` table (the page offers a stamp).
    pub versioned: bool,
}

/// Which migration history the worker plans with (`migrations-source` on the page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MigrationsSource {
    /// What the user chose, in words (a folder's name, `3 files`); `None` for the embedded one.
    pub loaded_from: Option<String>,
    /// How many revisions it has.
    pub revisions: usize,
    /// Its heads.
    pub heads: Vec<String>,
    /// How many chosen files were not migration files and were left out.
    pub ignored: usize,
}

impl MigrationsSource {
    /// `history`, loaded from `loaded_from` (`None`: the embedded one), `ignored` files left out.
    pub fn of(history: &History, loaded_from: Option<String>, ignored: usize) -> MigrationsSource {
        MigrationsSource {
            loaded_from,
            revisions: history.revisions().len(),
            heads: history.heads().iter().map(|r| r.id.clone()).collect(),
            ignored,
        }
    }

    /// True for the history built into content-db.
    pub fn is_embedded(&self) -> bool {
        self.loaded_from.is_none()
    }

    /// The history in words, e.g. `embedded: ContentEngine's 7 revisions, head 0a6c9e3f5b71`.
    pub fn text(&self) -> String {
        let heads = format!(
            "head{} {}",
            if self.heads.len() == 1 { "" } else { "s" },
            self.heads.join(", ")
        );
        match &self.loaded_from {
            None => format!(
                "embedded: ContentEngine's {} revisions, {heads}",
                self.revisions
            ),
            Some(from) => {
                let mut text = format!(
                    "loaded from {from}: {} revision{}, {heads}",
                    self.revisions,
                    if self.revisions == 1 { "" } else { "s" }
                );
                if self.ignored > 0 {
                    text.push_str(&format!(
                        " ({} file{} that {} not .sql left out)",
                        self.ignored,
                        if self.ignored == 1 { "" } else { "s" },
                        if self.ignored == 1 { "is" } else { "are" }
                    ));
                }
                text
            }
        }
    }
}

/// One revision as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionLabel {
    /// The revision id, e.g. `c3e7a1d9f482`.
    pub id: String,
    /// Its message, or `None` when the id is not in the history in use.
    pub message: Option<String>,
}

/// What the page needs to know about the open database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The file name (the demo has a made-up one).
    pub file_name: String,
    /// True for the built-in demo database.
    pub is_demo: bool,
    /// The rows of `alembic_version`; empty means `base`.
    pub current: Vec<RevisionLabel>,
    /// Log lines of the steps an upgrade to head would run (empty: at head already).
    pub pending: Vec<String>,
    /// Why an upgrade is impossible (e.g. an unknown revision), when it is.
    pub problem: Option<String>,
    /// Things to know about how the file was opened (WAL conversion, no `alembic_version`).
    pub notices: Vec<String>,
    /// Name, size, header facts, tables, status.
    #[serde(default)]
    pub overview: Overview,
    /// The operations that can be undone, oldest first.
    #[serde(default)]
    pub undo: Vec<String>,
    /// The history the worker plans with (its heads among it).
    #[serde(default)]
    pub migrations: MigrationsSource,
}

impl Snapshot {
    /// The text of the `current-revision` element: the ids separated by spaces, or `base`.
    pub fn current_text(&self) -> String {
        if self.current.is_empty() {
            "base".to_string()
        } else {
            let ids: Vec<&str> = self.current.iter().map(|label| label.id.as_str()).collect();
            ids.join(" ")
        }
    }

    /// The recorded revisions the history in use does not know (loading migrations that know
    /// them is the way on).
    pub fn unknown_revisions(&self) -> Vec<&str> {
        self.current
            .iter()
            .filter(|label| label.message.is_none())
            .map(|label| label.id.as_str())
            .collect()
    }

    /// True when every head is applied and nothing is left to run.
    pub fn at_head(&self) -> bool {
        self.problem.is_none() && self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(current: &[&str]) -> Snapshot {
        Snapshot {
            file_name: "content.db".into(),
            is_demo: false,
            current: current
                .iter()
                .map(|id| RevisionLabel {
                    id: id.to_string(),
                    message: None,
                })
                .collect(),
            pending: vec![],
            problem: None,
            notices: vec![],
            overview: Overview::default(),
            undo: vec![],
            migrations: MigrationsSource::default(),
        }
    }

    #[test]
    fn current_text_is_base_without_rows() {
        assert_eq!(snapshot(&[]).current_text(), "base");
    }

    #[test]
    fn current_text_joins_branch_heads_with_a_space() {
        let text = snapshot(&["c3e7a1d9f482", "d5f0b2c8e614"]).current_text();
        assert_eq!(text, "c3e7a1d9f482 d5f0b2c8e614");
    }

    #[test]
    fn requests_round_trip_through_json_with_a_kind_tag() {
        let request = Request::Open {
            file_name: "ünï.db".into(),
        };
        let json = serde_json::to_string(&request).expect("serializable");
        assert_eq!(json, r#"{"kind":"Open","file_name":"ünï.db"}"#);
        let back: Request = serde_json::from_str(&json).expect("parsable");
        assert_eq!(back, request);
    }

    #[test]
    fn the_overview_can_be_stopped_beside_other_work() {
        let stop = Request::StopOverview { serial: 3 };
        assert!(!stop.marks_busy());
        let json = serde_json::to_string(&stop).expect("serializable");
        assert_eq!(json, r#"{"kind":"StopOverview","serial":3}"#);
        let json = serde_json::to_string(&Response::OverviewProgress {
            serial: 3,
            fraction: Fraction::new(0.25),
        })
        .expect("serializable");
        assert_eq!(
            json,
            r#"{"kind":"OverviewProgress","serial":3,"fraction":0.25}"#
        );
        let back: Response =
            serde_json::from_str(r#"{"kind":"OverviewStopped","serial":3}"#).expect("parsable");
        assert_eq!(back, Response::OverviewStopped { serial: 3 });
    }

    #[test]
    fn fractions_stay_between_zero_and_one() {
        assert_eq!(Fraction::new(f64::NAN).get(), 0.0);
        assert_eq!(Fraction::new(-0.5).get(), 0.0);
        assert_eq!(Fraction::new(1.5).get(), 1.0);
        assert_eq!(Fraction::of(1, 4).get(), 0.25);
        assert_eq!(Fraction::of(0, 0).get(), 1.0);
        let json = serde_json::to_string(&Response::Working {
            fraction: Fraction::new(0.5),
            label: "step 1 of 2".into(),
        })
        .expect("serializable");
        assert_eq!(
            json,
            r#"{"kind":"Working","fraction":0.5,"label":"step 1 of 2"}"#
        );
    }

    #[test]
    fn the_migrations_source_says_where_the_history_comes_from() {
        let embedded = MigrationsSource {
            loaded_from: None,
            revisions: 7,
            heads: vec!["0a6c9e3f5b71".into()],
            ignored: 0,
        };
        assert_eq!(
            embedded.text(),
            "embedded: ContentEngine's 7 revisions, head 0a6c9e3f5b71"
        );
        let loaded = MigrationsSource {
            loaded_from: Some("otherapp".into()),
            revisions: 4,
            heads: vec!["aaaa".into(), "bbbb".into()],
            ignored: 2,
        };
        assert_eq!(
            loaded.text(),
            "loaded from otherapp: 4 revisions, heads aaaa, bbbb (2 files that are not .sql left out)"
        );
        assert!(!loaded.is_embedded());
    }

    #[test]
    fn unknown_revisions_are_those_without_a_message() {
        let mut snap = snapshot(&["aaaa", "bbbb"]);
        snap.current[0].message = Some("known".into());
        assert_eq!(snap.unknown_revisions(), ["bbbb"]);
    }

    #[test]
    fn a_problem_means_not_at_head() {
        let mut snap = snapshot(&["ffffffffffff"]);
        snap.problem = Some("unknown".into());
        assert!(!snap.at_head());
    }
}
