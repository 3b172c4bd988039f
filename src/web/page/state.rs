//! The page's state and the one reducer that changes it: components only read [`AppState`] and
//! dispatch [`Action`]s (the pattern of Yew's `function_todomvc` example).

mod inspect;
mod view;

use crate::web::protocol::Fraction;
pub use inspect::{next_sort, ConsoleRun, InspectAction, InspectState, PAGE_ROWS};
pub use view::View;

use crate::web::protocol::{
    Checks, LogEntry, MigrationsSource, OverviewChecks, Preview, Request, Response, Snapshot,
};
use crate::web::worker::session::NEW_FILE_NAME;

/// What the page says while `request` runs (the status line, and the operation bar of an
/// operation that cannot tell how far it is).
pub fn busy_words(request: &Request) -> String {
    match request {
        Request::OpenDemo => "Building the demo database…".to_string(),
        Request::Open { file_name } => format!("Opening {file_name}…"),
        Request::UpgradeToHead => "Upgrading to head…".to_string(),
        Request::Export => "Checking and preparing the download…".to_string(),
        Request::ExportBackup { .. } => "Preparing the backup…".to_string(),
        Request::NewEmpty => "Creating an empty database…".to_string(),
        Request::Preview { target, .. } => format!("Planning “{target}”…"),
        Request::Migrate { target, .. } => format!("Migrating to “{target}”…"),
        Request::Undo => "Undoing…".to_string(),
        Request::StampBaseline { revisions } if revisions.is_empty() => {
            "Stamping base…".to_string()
        }
        Request::StampBaseline { revisions } => format!("Stamping {}…", revisions.join(" ")),
        Request::Inspect { .. } | Request::Overview { .. } | Request::StopOverview { .. } => {
            "Reading…".to_string()
        }
        Request::UseMigrations { label, .. } => format!("Checking the migrations of {label}…"),
        Request::UseEmbeddedMigrations => "Switching to the embedded migrations…".to_string(),
    }
}

/// The bar of the running operation (`operation-progress`): how far it is, when the worker
/// can tell, and what it does in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The share done; `None` while nothing tells (the bar shows "working" without a value).
    pub fraction: Option<Fraction>,
    /// What runs now.
    pub label: String,
}

/// Whether the worker can take requests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WorkerStatus {
    /// Loading its WebAssembly (requests are queued meanwhile).
    #[default]
    Starting,
    /// Listening.
    Ready,
    /// It stopped (a bug or an out-of-memory); the page must be reloaded.
    Stopped,
}

/// The outcome of the last upgrade, for the step log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpgradeOutcome {
    /// All steps ran (none when the file was at head already).
    Completed(Vec<String>),
    /// These steps ran, then one failed.
    Interrupted(Vec<String>),
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppState {
    /// The worker's state.
    pub worker: WorkerStatus,
    /// The running operation (a request that [`Request::marks_busy`]), if any.
    pub busy: Option<Request>,
    /// The view shown under the header.
    pub view: View,
    /// The open database, once the worker has opened one.
    pub snapshot: Option<Snapshot>,
    /// The last upgrade of the open database.
    pub upgrade: Option<UpgradeOutcome>,
    /// The message of the last failure, until the next request starts.
    pub error: Option<String>,
    /// The name of the last download.
    pub downloaded: Option<String>,
    /// The text of the `migrate-target` input (any target the CLI accepts: `head`, `base`, an id
    /// or prefix, `+N`, `-N`, ...). The history graph fills it when a revision is clicked.
    pub migrate_target: String,
    /// The History and Inspect sections (shared: every action clones the state, and most leave
    /// these as they are).
    pub inspect: std::rc::Rc<InspectState>,
    /// Only rewrite `alembic_version` (Alembic's stamp) instead of migrating.
    pub stamp_only: bool,
    /// The preview of `migrate_target`, until the target or the database changes.
    pub preview: Option<Preview>,
    /// Steps done / total of the running migration.
    pub progress: Option<(usize, usize)>,
    /// Bytes read / total of the file being opened.
    pub reading: Option<(u64, u64)>,
    /// The bar of the running request (shown while `busy`).
    pub operation: Option<Operation>,
    /// The session's migration log: one line per step with its time, oldest first.
    pub log: Vec<String>,
    /// The checks run before the last download.
    pub checks: Option<Checks>,
    /// Counts the states of the database the page has shown; a change asks the worker for the
    /// overview's integrity check and row counts ([`crate::web::protocol::Request::Overview`]).
    pub overview_serial: u64,
    /// Those checks for the state `overview_serial` names (None: asked, not answered yet), or
    /// why they could not run.
    pub overview_checks: Option<Result<OverviewChecks, String>>,
    /// How far those checks are while they run (for `overview_serial`).
    pub overview_progress: Option<Fraction>,
    /// The user stopped those checks (`stop-check`); `check-again` asks for them again.
    pub overview_stopped: bool,
    /// The history the worker plans with (from every snapshot, and from a switch).
    pub migrations: Option<MigrationsSource>,
}

/// A log line with the step's time.
fn timed(entry: &LogEntry) -> String {
    format!("{} ({:.1} ms)", entry.line, entry.millis)
}

/// Everything that can change the page's state.
// A few actions per click, moved once into the reducer: boxing the large worker answer would
// only add an allocation (the lint fires natively, where the answer is larger than on wasm32).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// An operation was sent to the worker: the page is busy until its answer.
    Started(Request),
    /// The user switched to another view (a tab, or the URL fragment).
    ShowView(View),
    /// The worker answered.
    Received(Response),
    /// The page itself failed (e.g. the browser could not read the chosen file).
    PageFailed(String),
    /// The worker stopped; the message says why, when known.
    WorkerStopped(String),
    /// The user closed the error message.
    DismissError,
    /// The migrate target changed (typed in `migrate-target`, or a revision clicked in the graph).
    SetMigrateTarget(String),
    /// Something changed in the History or Inspect sections.
    Inspect(InspectAction),
    /// The "stamp only" choice changed.
    SetStampOnly(bool),
    /// This many of the chosen file's bytes were read so far (read, total).
    ReadProgress(u64, u64),
    /// The user asked for the overview's checks again after stopping them.
    CheckAgain,
}

impl AppState {
    /// The state after `action` (pure: the Yew reducer only wraps this).
    pub fn next(&self, action: Action) -> AppState {
        let mut next = self.clone();
        match action {
            Action::Started(busy) => {
                if !matches!(busy, Request::Export | Request::ExportBackup { .. }) {
                    next.downloaded = None;
                }
                match &busy {
                    Request::Migrate { .. } => {
                        next.progress =
                            Some((0, next.preview.as_ref().map_or(0, |p| p.steps.len())));
                    }
                    Request::UpgradeToHead => {
                        next.progress =
                            Some((0, next.snapshot.as_ref().map_or(0, |s| s.pending.len())));
                    }
                    _ => {}
                }
                if matches!(busy, Request::Export) {
                    next.checks = None;
                }
                next.operation = Some(next.first_operation(&busy));
                next.busy = Some(busy);
                next.error = None;
            }
            Action::Received(response) => next.receive(response),
            Action::PageFailed(message) => {
                next.busy = None;
                next.operation = None;
                next.reading = None;
                next.error = Some(message);
            }
            Action::WorkerStopped(reason) => next.stop(&reason),
            Action::DismissError => next.error = None,
            Action::Inspect(action) => std::rc::Rc::make_mut(&mut next.inspect).apply(action),
            Action::SetMigrateTarget(target) => {
                if target != next.migrate_target {
                    next.preview = None;
                }
                next.migrate_target = target;
            }
            Action::SetStampOnly(stamp) => {
                if stamp != next.stamp_only {
                    next.preview = None;
                }
                next.stamp_only = stamp;
            }
            Action::ReadProgress(read, total) => next.reading = Some((read, total)),
            Action::CheckAgain => next.ask_overview_again(),
            Action::ShowView(view) => next.view = view,
        }
        next
    }

    /// Shows `snapshot`; when the database changed (another snapshot, or `written` by the
    /// console), the overview's checks are asked for again.
    fn show(&mut self, snapshot: Snapshot, written: bool) {
        if written || self.snapshot.as_ref() != Some(&snapshot) {
            self.ask_overview_again();
        }
        self.migrations = Some(snapshot.migrations.clone());
        self.snapshot = Some(snapshot);
    }

    /// A new serial for the overview's checks (the page's effect asks the worker for them).
    fn ask_overview_again(&mut self) {
        self.overview_serial += 1;
        self.overview_checks = None;
        self.overview_progress = None;
        self.overview_stopped = false;
    }

    fn stop(&mut self, reason: &str) {
        // The first reason is the informative one (the panic message beats the later
        // "RuntimeError: unreachable" error event).
        if self.worker != WorkerStatus::Stopped {
            self.error = Some(format!(
                "The database worker stopped ({reason}). Reload the page to start again; \
                 your file on disk was not changed."
            ));
        }
        self.worker = WorkerStatus::Stopped;
        self.busy = None;
        self.operation = None;
    }

    fn receive(&mut self, response: Response) {
        match response {
            Response::Ready => {
                self.worker = WorkerStatus::Ready;
                return;
            }
            // Reads of the History and Inspect sections run beside the page's operations
            // (they never mark the page busy), so they do not end a running one.
            Response::Inspected { response } => {
                if let crate::web::protocol::inspect::InspectResponse::Sql {
                    snapshot: Some(snapshot),
                    ..
                } = response.as_ref()
                {
                    self.show(snapshot.as_ref().clone(), true);
                }
                std::rc::Rc::make_mut(&mut self.inspect).receive(*response);
                return;
            }
            // The overview's checks also run beside the page's operations.
            Response::Overviewed { serial, result } => {
                if serial == self.overview_serial {
                    self.overview_checks = Some(result);
                    self.overview_progress = None;
                    self.overview_stopped = false;
                }
                return;
            }
            Response::OverviewProgress { serial, fraction } => {
                if serial == self.overview_serial && self.overview_checks.is_none() {
                    self.overview_progress = Some(fraction);
                }
                return;
            }
            Response::OverviewStopped { serial } => {
                if serial == self.overview_serial && self.overview_checks.is_none() {
                    self.overview_stopped = true;
                    self.overview_progress = None;
                }
                return;
            }
            // The migration log is made of these, one per step as it ends.
            Response::Progress { done, total, entry } => {
                self.progress = Some((done, total));
                self.log.push(timed(&entry));
                // Steps done of the plan; the bar may be further on when the steps are the
                // second part of the operation (after a quick check the file owed): never back.
                let shown = self.operation.as_ref().and_then(|bar| bar.fraction);
                let done_share = Fraction::of(done, total);
                self.operation = Some(Operation {
                    fraction: Some(match shown {
                        Some(shown) if shown > done_share => shown,
                        _ => done_share,
                    }),
                    label: self.step_words(done, total),
                });
                // More messages follow for the same request.
                return;
            }
            Response::Working { fraction, label } => {
                // A late message of an operation that already ended must not bring the bar back.
                if self.busy.is_some() {
                    self.operation = Some(Operation {
                        fraction: Some(fraction),
                        label,
                    });
                }
                return;
            }
            Response::Opened { snapshot } => {
                // An unknown revision is not a failure to open, but the user must see it.
                self.error = snapshot.problem.clone();
                self.show(snapshot, false);
                self.upgrade = None;
                self.preview = None;
                self.log.clear();
                self.checks = None;
                self.reading = None;
            }
            Response::Upgraded { snapshot, log } => {
                self.show(snapshot, false);
                self.progress = None;
                self.upgrade = Some(UpgradeOutcome::Completed(
                    log.into_iter().map(|entry| entry.line).collect(),
                ));
                self.preview = None;
            }
            Response::Previewed { preview } => self.preview = Some(preview),
            Response::Migrated { snapshot, log } => {
                self.show(snapshot, false);
                self.upgrade = Some(UpgradeOutcome::Completed(
                    log.iter().map(|entry| entry.line.clone()).collect(),
                ));
                self.preview = None;
                self.progress = None;
            }
            Response::Undone { snapshot } => {
                let label = self
                    .snapshot
                    .as_ref()
                    .and_then(|s| s.undo.last().cloned())
                    .unwrap_or_default();
                self.log.push(format!("Undone: {label}"));
                self.show(snapshot, false);
                self.preview = None;
                self.upgrade = None;
            }
            Response::Exported { file_name, checks } => {
                self.downloaded = Some(file_name);
                if self.busy == Some(Request::Export) {
                    self.checks = Some(checks);
                }
            }
            Response::Failed {
                message,
                snapshot,
                log,
            } => {
                self.error = Some(message);
                if matches!(
                    self.busy,
                    Some(Request::UpgradeToHead | Request::Migrate { .. })
                ) {
                    self.upgrade = Some(UpgradeOutcome::Interrupted(log));
                    // The database moved (some steps may have run): the old plan is stale.
                    self.preview = None;
                }
                self.progress = None;
                self.reading = None;
                if let Some(snapshot) = snapshot {
                    self.show(snapshot, false);
                }
            }
            Response::MigrationsChanged { source, snapshot } => {
                self.migrations = Some(source);
                std::rc::Rc::make_mut(&mut self.inspect).forget_history();
                self.preview = None;
                self.upgrade = None;
                if let Some(snapshot) = snapshot {
                    // Under the new history the file's revision may have become unknown (or
                    // known): say so as on opening. Read everything again, as after a write.
                    self.error = snapshot.problem.clone();
                    self.show(snapshot, true);
                }
            }
            Response::Crashed { reason } => self.stop(&reason),
            Response::Reading { read, total } => {
                // The worker reads the chosen file; the Opened (or Failed) reply follows.
                self.reading = Some((read, total));
                return;
            }
        }
        self.busy = None;
        self.operation = None;
    }

    /// The bar when `busy` starts: for a migration its first step at 0, else no value yet.
    fn first_operation(&self, busy: &Request) -> Operation {
        match self.progress {
            Some((done, total))
                if matches!(busy, Request::UpgradeToHead | Request::Migrate { .. }) =>
            {
                Operation {
                    fraction: Some(Fraction::of(done, total.max(1))),
                    label: self.step_words_for(busy, done, total),
                }
            }
            _ => Operation {
                fraction: None,
                label: busy_words(busy),
            },
        }
    }

    /// The step a running migration runs after `done` of `total`, in words.
    fn step_words(&self, done: usize, total: usize) -> String {
        match &self.busy {
            Some(busy) => self.step_words_for(busy, done, total),
            None => String::new(),
        }
    }

    /// [`AppState::step_words`] for `busy` (which need not be set yet): the step's log line
    /// from the pending steps (upgrade) or the preview (migrate), else its number.
    fn step_words_for(&self, busy: &Request, done: usize, total: usize) -> String {
        if done >= total {
            return "all steps done; reading the result…".to_string();
        }
        let line = match busy {
            Request::UpgradeToHead => self
                .snapshot
                .as_ref()
                .and_then(|snapshot| snapshot.pending.get(done).cloned()),
            Request::Migrate { .. } => self
                .preview
                .as_ref()
                .and_then(|preview| preview.steps.get(done).map(|step| step.line.clone())),
            _ => None,
        };
        match line {
            Some(line) => format!("step {} of {total}: {line}", done + 1),
            None => format!("step {} of {total}", done + 1),
        }
    }

    /// True when the upgrade button can do something.
    pub fn can_upgrade(&self) -> bool {
        self.can_act()
            && self
                .snapshot
                .as_ref()
                .is_some_and(|snapshot| snapshot.problem.is_none() && !snapshot.pending.is_empty())
    }

    /// True when the download button can do something.
    pub fn can_download(&self) -> bool {
        self.can_act() && self.snapshot.is_some()
    }

    /// True when a target can be previewed or applied.
    pub fn can_migrate(&self) -> bool {
        self.can_act() && self.snapshot.is_some() && !self.migrate_target.trim().is_empty()
    }

    /// True when there is an operation to undo.
    pub fn can_undo(&self) -> bool {
        self.can_act()
            && self
                .snapshot
                .as_ref()
                .is_some_and(|snapshot| !snapshot.undo.is_empty())
    }

    /// The open file's name, for the names of files saved from it (`content.db` before one is open).
    pub fn file_name(&self) -> String {
        self.snapshot
            .as_ref()
            .map_or(NEW_FILE_NAME.to_string(), |snapshot| {
                snapshot.file_name.clone()
            })
    }

    /// The migration log as the text of a downloadable file.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        for line in &self.log {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// True when the page can start a request.
    pub fn can_act(&self) -> bool {
        self.worker == WorkerStatus::Ready && self.busy.is_none()
    }
}

browser_only! {
    impl yew::Reducible for AppState {
        type Action = Action;

        fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
            std::rc::Rc::new(self.next(action))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::protocol::RevisionLabel;

    fn snapshot(current: &str, pending: usize) -> Snapshot {
        Snapshot {
            file_name: "content.db".into(),
            is_demo: false,
            current: vec![RevisionLabel {
                id: current.into(),
                message: Some("m".into()),
            }],
            pending: (0..pending).map(|i| format!("step {i}")).collect(),
            problem: None,
            notices: vec![],
            overview: Default::default(),
            undo: vec![],
            migrations: Default::default(),
        }
    }

    fn ready() -> AppState {
        AppState::default().next(Action::Received(Response::Ready))
    }

    #[test]
    fn nothing_can_be_done_before_the_worker_is_ready() {
        let state = AppState::default().next(Action::Received(Response::Opened {
            snapshot: snapshot("c3e7a1d9f482", 4),
        }));
        assert!(!state.can_upgrade());
        assert!(!state.can_download());
    }

    #[test]
    fn opening_shows_the_file_and_allows_upgrade_and_download() {
        let state = ready()
            .next(Action::Started(Request::Open {
                file_name: "content.db".into(),
            }))
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }));
        assert_eq!(state.busy, None);
        assert!(state.can_upgrade());
        assert!(state.can_download());
    }

    #[test]
    fn a_file_at_head_cannot_be_upgraded_but_can_be_downloaded() {
        let state = ready().next(Action::Received(Response::Opened {
            snapshot: snapshot("0a6c9e3f5b71", 0),
        }));
        assert!(!state.can_upgrade());
        assert!(state.can_download());
    }

    #[test]
    fn buttons_are_off_while_a_request_runs() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::Started(Request::UpgradeToHead));
        assert!(!state.can_upgrade());
        assert!(!state.can_download());
    }

    #[test]
    fn a_failed_open_keeps_the_previous_file_and_shows_the_error() {
        let opened = ready().next(Action::Received(Response::Opened {
            snapshot: snapshot("c3e7a1d9f482", 4),
        }));
        let state = opened
            .next(Action::Started(Request::Open {
                file_name: "junk.db".into(),
            }))
            .next(Action::Received(Response::Failed {
                message: "could not open junk.db: this is not a SQLite database".into(),
                snapshot: opened.snapshot.clone(),
                log: vec![],
            }));
        assert_eq!(state.snapshot, opened.snapshot);
        assert!(state
            .error
            .as_deref()
            .is_some_and(|m| m.contains("junk.db")));
        assert!(state.can_upgrade(), "the page stays usable after an error");
    }

    #[test]
    fn the_next_request_clears_the_error() {
        let state = ready()
            .next(Action::PageFailed("could not read x.db".into()))
            .next(Action::Started(Request::Open {
                file_name: "y.db".into(),
            }));
        assert_eq!(state.error, None);
    }

    #[test]
    fn an_interrupted_upgrade_keeps_the_steps_that_ran() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::Started(Request::UpgradeToHead))
            .next(Action::Received(Response::Failed {
                message: "step failed".into(),
                snapshot: Some(snapshot("d5f0b2c8e614", 3)),
                log: vec!["Running upgrade b81d3e5f0a27 -> d5f0b2c8e614".into()],
            }));
        assert_eq!(
            state.upgrade,
            Some(UpgradeOutcome::Interrupted(vec![
                "Running upgrade b81d3e5f0a27 -> d5f0b2c8e614".into()
            ]))
        );
        assert_eq!(
            state.snapshot.map(|s| s.current_text()),
            Some("d5f0b2c8e614".into())
        );
    }

    #[test]
    fn an_unknown_revision_is_shown_as_an_error_on_open() {
        let mut unknown = snapshot("ffffffffffff", 0);
        unknown.problem = Some("content.db is at revision ffffffffffff".into());
        let state = ready().next(Action::Received(Response::Opened { snapshot: unknown }));
        assert!(state.error.is_some());
        assert!(!state.can_upgrade());
    }

    #[test]
    fn other_migrations_reread_the_file_and_forget_the_old_historys_picks() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::Inspect(InspectAction::SetDiffFrom("base".into())))
            .next(Action::Inspect(InspectAction::SelectRevision(
                "c3e7a1d9f482".into(),
            )))
            .next(Action::Received(Response::Previewed {
                preview: preview(2),
            }));
        let serial = state.overview_serial;
        let request = Request::UseMigrations {
            files: vec![],
            ignored: 0,
            label: "otherapp".into(),
        };
        assert_eq!(busy_words(&request), "Checking the migrations of otherapp…");
        let mut unknown = snapshot("c3e7a1d9f482", 0);
        unknown.current[0].message = None;
        unknown.problem = Some("Can't locate revision identified by 'c3e7a1d9f482'".into());
        let source = MigrationsSource {
            loaded_from: Some("otherapp".into()),
            revisions: 3,
            heads: vec!["cccc".into()],
            ignored: 0,
        };
        unknown.migrations = source.clone();
        let state = state.next(Action::Started(request)).next(Action::Received(
            Response::MigrationsChanged {
                source: source.clone(),
                snapshot: Some(unknown),
            },
        ));
        assert_eq!(state.busy, None);
        assert_eq!(state.migrations, Some(source));
        assert_eq!(state.preview, None);
        assert_eq!(state.inspect.selected_revision, None);
        assert_eq!(state.inspect.diff_pick, Default::default());
        assert!(state
            .error
            .as_deref()
            .is_some_and(|e| e.contains("c3e7a1d9f482")));
        assert_eq!(
            state.overview_serial,
            serial + 1,
            "everything is read again"
        );
        assert!(!state.can_upgrade());
    }

    #[test]
    fn set_migrate_target_replaces_the_target() {
        let state = ready()
            .next(Action::SetMigrateTarget("head".into()))
            .next(Action::SetMigrateTarget("c3e7".into()));
        assert_eq!(state.migrate_target, "c3e7");
    }

    fn preview(steps: usize) -> Preview {
        Preview {
            target: "head".into(),
            action: "upgrade".into(),
            versions_before: vec![],
            versions_after: vec![],
            steps: (0..steps)
                .map(|i| crate::web::protocol::PreviewStep {
                    line: format!("step {i}"),
                    sql: String::new(),
                    losses: vec![],
                })
                .collect(),
            schema_changes: vec![],
            losses: vec![],
            loses_data: false,
        }
    }

    #[test]
    fn a_new_target_or_stamp_choice_drops_the_old_preview() {
        let state = ready()
            .next(Action::SetMigrateTarget("head".into()))
            .next(Action::Received(Response::Previewed {
                preview: preview(2),
            }));
        assert!(state.preview.is_some());
        assert!(state
            .next(Action::SetMigrateTarget("base".into()))
            .preview
            .is_none());
        assert!(state.next(Action::SetStampOnly(true)).preview.is_none());
        assert!(state
            .next(Action::SetMigrateTarget("head".into()))
            .preview
            .is_some());
    }

    #[test]
    fn the_worker_reading_a_file_moves_the_read_progress_until_it_opened() {
        let state = ready()
            .next(Action::Started(Request::Open {
                file_name: "big.db".into(),
            }))
            .next(Action::ReadProgress(0, 100));
        assert_eq!(state.reading, Some((0, 100)));
        let state = state.next(Action::Received(Response::Reading {
            read: 40,
            total: 100,
        }));
        assert_eq!(state.reading, Some((40, 100)));
        assert!(state.busy.is_some(), "still opening");
        let state = state.next(Action::Received(Response::Opened {
            snapshot: snapshot("c3e7a1d9f482", 4),
        }));
        assert_eq!((state.reading, state.busy), (None, None));
    }

    #[test]
    fn migrating_counts_progress_and_keeps_a_timed_log() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::SetMigrateTarget("head".into()))
            .next(Action::Received(Response::Previewed {
                preview: preview(2),
            }))
            .next(Action::Started(Request::Migrate {
                target: "head".into(),
                stamp: false,
            }));
        assert_eq!(state.progress, Some((0, 2)));
        let entry = LogEntry {
            line: "Running upgrade a -> b".into(),
            millis: 1.25,
        };
        let state = state.next(Action::Received(Response::Progress {
            done: 1,
            total: 2,
            entry: entry.clone(),
        }));
        assert_eq!(state.progress, Some((1, 2)));
        assert!(state.busy.is_some(), "still running after one step");
        let mut after = snapshot("0a6c9e3f5b71", 0);
        after.undo = vec!["upgrade to head".into()];
        let state = state.next(Action::Received(Response::Migrated {
            snapshot: after,
            log: vec![entry],
        }));
        assert_eq!(state.busy, None);
        assert_eq!(state.progress, None);
        assert_eq!(state.log_text(), "Running upgrade a -> b (1.2 ms)\n");
        assert!(state.can_undo());
    }

    #[test]
    fn the_operation_bar_follows_an_upgrade_and_goes_away_at_the_end() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 2),
            }))
            .next(Action::Started(Request::UpgradeToHead));
        let bar = state.operation.clone().expect("a bar while upgrading");
        assert_eq!(bar.fraction, Some(Fraction::new(0.0)));
        assert_eq!(bar.label, "step 1 of 2: step 0");
        let state = state.next(Action::Received(Response::Working {
            fraction: Fraction::new(0.3),
            label: "step 1 of 2: Running upgrade a -> b".into(),
        }));
        let bar = state.operation.clone().expect("still there");
        assert_eq!(bar.fraction, Some(Fraction::new(0.3)));
        assert_eq!(bar.label, "step 1 of 2: Running upgrade a -> b");
        let state = state.next(Action::Received(Response::Progress {
            done: 1,
            total: 2,
            entry: LogEntry {
                line: "Running upgrade a -> b".into(),
                millis: 3.0,
            },
        }));
        let bar = state.operation.clone().expect("between steps");
        assert_eq!(bar.fraction, Some(Fraction::new(0.5)));
        assert_eq!(bar.label, "step 2 of 2: step 1", "the next step is named");
        let state = state.next(Action::Received(Response::Upgraded {
            snapshot: snapshot("0a6c9e3f5b71", 0),
            log: vec![],
        }));
        assert_eq!(state.operation, None);
        let late = state.next(Action::Received(Response::Working {
            fraction: Fraction::new(0.9),
            label: "late".into(),
        }));
        assert_eq!(
            late.operation, None,
            "a late report does not bring the bar back"
        );
    }

    #[test]
    fn each_steps_time_is_logged_once_from_its_progress() {
        let entry = |line: &str, millis| LogEntry {
            line: line.into(),
            millis,
        };
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 2),
            }))
            .next(Action::Started(Request::UpgradeToHead))
            .next(Action::Received(Response::Progress {
                done: 1,
                total: 2,
                entry: entry("step 0", 1.0),
            }))
            .next(Action::Received(Response::Progress {
                done: 2,
                total: 2,
                entry: entry("step 1", 2.5),
            }));
        assert_eq!(state.log, ["step 0 (1.0 ms)", "step 1 (2.5 ms)"]);
        // The answer carries the same entries again, for the step log: not logged twice.
        let state = state.next(Action::Received(Response::Upgraded {
            snapshot: snapshot("0a6c9e3f5b71", 0),
            log: vec![entry("step 0", 1.0), entry("step 1", 2.5)],
        }));
        assert_eq!(state.log, ["step 0 (1.0 ms)", "step 1 (2.5 ms)"]);
        assert_eq!(
            state.upgrade,
            Some(UpgradeOutcome::Completed(vec![
                "step 0".into(),
                "step 1".into()
            ]))
        );
        // A stamp from the drift panel never reported its steps, and still logs nothing.
        let stamped = state
            .next(Action::Started(Request::StampBaseline {
                revisions: vec!["head".into()],
            }))
            .next(Action::Received(Response::Migrated {
                snapshot: snapshot("0a6c9e3f5b71", 0),
                log: vec![entry("Stamping", 0.1)],
            }));
        assert_eq!(stamped.log, state.log);
    }

    #[test]
    fn other_operations_show_a_bar_without_a_value_until_they_end() {
        let state = ready().next(Action::Started(Request::Export));
        let bar = state.operation.clone().expect("a bar while exporting");
        assert_eq!(bar.fraction, None);
        assert_eq!(bar.label, busy_words(&Request::Export));
        let state = state.next(Action::Received(Response::Failed {
            message: "no".into(),
            snapshot: None,
            log: vec![],
        }));
        assert_eq!(state.operation, None);
        let state = state
            .next(Action::Started(Request::Undo))
            .next(Action::PageFailed("could not".into()));
        assert_eq!(state.operation, None);
    }

    #[test]
    fn a_failed_migration_drops_the_stale_preview() {
        let state = ready()
            .next(Action::SetMigrateTarget("head".into()))
            .next(Action::Received(Response::Previewed {
                preview: preview(3),
            }))
            .next(Action::Started(Request::Migrate {
                target: "head".into(),
                stamp: false,
            }))
            .next(Action::Received(Response::Failed {
                message: "step failed".into(),
                snapshot: Some(snapshot("d5f0b2c8e614", 4)),
                log: vec!["Running upgrade b81d3e5f0a27 -> d5f0b2c8e614".into()],
            }));
        assert_eq!(state.preview, None);
        assert!(matches!(
            state.upgrade,
            Some(UpgradeOutcome::Interrupted(_))
        ));
    }

    #[test]
    fn checks_are_kept_from_the_download_not_from_the_backup() {
        let checks = Checks {
            integrity: vec!["ok".into()],
            foreign_keys: vec![],
        };
        let state = ready()
            .next(Action::Started(Request::Export))
            .next(Action::Received(Response::Exported {
                file_name: "content.db".into(),
                checks: checks.clone(),
            }));
        assert_eq!(state.checks, Some(checks.clone()));
        assert_eq!(state.downloaded.as_deref(), Some("content.db"));
        let state = state
            .next(Action::Started(Request::ExportBackup {
                stamp: "20260101-000000".into(),
            }))
            .next(Action::Received(Response::Exported {
                file_name: "content.db.backup-20260101-000000".into(),
                checks: Checks::default(),
            }));
        assert_eq!(state.checks, Some(checks), "the backup runs no checks");
    }

    #[test]
    fn a_stopped_worker_disables_everything_and_says_to_reload() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::WorkerStopped("RuntimeError: unreachable".into()));
        assert!(!state.can_download());
        assert!(state.error.as_deref().is_some_and(|m| m.contains("Reload")));
    }

    #[test]
    fn a_baseline_stamp_is_busy_until_migrated_and_then_undoable() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::Started(Request::StampBaseline {
                revisions: vec!["0a6c9e3f5b71".into()],
            }));
        assert!(!state.can_act());
        assert!(state
            .busy
            .as_ref()
            .is_some_and(|b| busy_words(b).contains("Stamping 0a6c9e3f5b71")));
        let mut after = snapshot("0a6c9e3f5b71", 0);
        after.undo = vec!["stamp 0a6c9e3f5b71".into()];
        let state = state.next(Action::Received(Response::Migrated {
            snapshot: after,
            log: vec![],
        }));
        assert_eq!(state.busy, None);
        assert!(state.can_undo());
    }

    #[test]
    fn every_new_state_asks_for_the_overview_checks_and_drops_stale_answers() {
        let checks = OverviewChecks {
            integrity: vec!["ok".into()],
            tables: vec![],
        };
        let opened = ready().next(Action::Received(Response::Opened {
            snapshot: snapshot("c3e7a1d9f482", 4),
        }));
        assert_eq!(opened.overview_serial, 1);
        assert_eq!(opened.overview_checks, None, "asked, not answered");
        let answered = opened.next(Action::Received(Response::Overviewed {
            serial: 1,
            result: Ok(checks.clone()),
        }));
        assert_eq!(answered.overview_checks, Some(Ok(checks.clone())));
        // A failure that leaves the database as it was keeps the answer.
        let failed = answered
            .next(Action::Started(Request::UpgradeToHead))
            .next(Action::Received(Response::Failed {
                message: "refused".into(),
                snapshot: Some(snapshot("c3e7a1d9f482", 4)),
                log: vec![],
            }));
        assert_eq!(failed.overview_serial, 1);
        assert_eq!(failed.overview_checks, Some(Ok(checks.clone())));
        // A migration moves to a new state; an answer about the old one is dropped.
        let migrated = failed.next(Action::Received(Response::Upgraded {
            snapshot: snapshot("0a6c9e3f5b71", 0),
            log: vec![],
        }));
        assert_eq!(migrated.overview_serial, 2);
        let stale = migrated.next(Action::Received(Response::Overviewed {
            serial: 1,
            result: Ok(checks.clone()),
        }));
        assert_eq!(stale.overview_checks, None);
        assert_eq!(stale.busy, None);
        // A console write with an unchanged snapshot still asks again (the counts changed).
        let written = stale.next(Action::Received(Response::Inspected {
            response: Box::new(crate::web::protocol::inspect::InspectResponse::Sql {
                sql: "DELETE FROM posts".into(),
                result: Err("whatever".into()),
                snapshot: Some(Box::new(snapshot("0a6c9e3f5b71", 0))),
            }),
        }));
        assert_eq!(written.overview_serial, 3);
    }

    #[test]
    fn the_overview_checks_show_progress_can_be_stopped_and_asked_for_again() {
        let opened = ready().next(Action::Received(Response::Opened {
            snapshot: snapshot("c3e7a1d9f482", 4),
        }));
        let going = opened.next(Action::Received(Response::OverviewProgress {
            serial: 1,
            fraction: Fraction::new(0.4),
        }));
        assert_eq!(going.overview_progress, Some(Fraction::new(0.4)));
        let stale = going.next(Action::Received(Response::OverviewProgress {
            serial: 0,
            fraction: Fraction::new(0.9),
        }));
        assert_eq!(
            stale.overview_progress,
            Some(Fraction::new(0.4)),
            "another state's"
        );
        let stopped = stale.next(Action::Received(Response::OverviewStopped { serial: 1 }));
        assert!(stopped.overview_stopped);
        assert_eq!(stopped.overview_progress, None);
        assert_eq!(stopped.busy, None, "stopping never made the page busy");
        let again = stopped.next(Action::CheckAgain);
        assert_eq!(
            again.overview_serial, 2,
            "a new serial asks the worker again"
        );
        assert!(!again.overview_stopped);
        // Stopped after the answer came: the answer stays.
        let answered = again
            .next(Action::Received(Response::Overviewed {
                serial: 2,
                result: Err("could not read".into()),
            }))
            .next(Action::Received(Response::OverviewStopped { serial: 2 }));
        assert!(!answered.overview_stopped);
        assert_eq!(answered.overview_checks, Some(Err("could not read".into())));
    }

    #[test]
    fn a_finished_step_never_takes_the_bar_back() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::Started(Request::UpgradeToHead))
            .next(Action::Received(Response::Working {
                fraction: Fraction::new(0.6),
                label: "step 1 of 4: Running upgrade a -> b".into(),
            }))
            .next(Action::Received(Response::Progress {
                done: 1,
                total: 4,
                entry: LogEntry {
                    line: "Running upgrade a -> b".into(),
                    millis: 3.0,
                },
            }));
        let bar = state.operation.clone().expect("busy");
        assert_eq!(bar.fraction, Some(Fraction::new(0.6)), "not back to 1 of 4");
        let state = state.next(Action::Received(Response::Progress {
            done: 4,
            total: 4,
            entry: LogEntry {
                line: "Running upgrade c -> d".into(),
                millis: 3.0,
            },
        }));
        assert_eq!(
            state.operation.expect("busy").fraction,
            Some(Fraction::new(1.0))
        );
    }

    #[test]
    fn an_overview_answer_does_not_end_a_running_operation() {
        let state = ready()
            .next(Action::Received(Response::Opened {
                snapshot: snapshot("c3e7a1d9f482", 4),
            }))
            .next(Action::Started(Request::UpgradeToHead))
            .next(Action::Received(Response::Overviewed {
                serial: 1,
                result: Err("could not read".into()),
            }));
        assert_eq!(state.busy, Some(Request::UpgradeToHead));
        assert_eq!(state.overview_checks, Some(Err("could not read".into())));
        assert_eq!(
            state.error, None,
            "shown in the overview, not as the page's error"
        );
    }
}
