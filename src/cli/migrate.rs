//! The commands that move a database between revisions: `upgrade`, `downgrade` and `stamp`, and
//! `--sql`, which prints what `upgrade`/`downgrade` would run from the file's actual revision
//! and writes nothing. The plan is made from the file opened read-only; a change is applied by
//! SQLite to a copy of the file beside it, which replaces the file atomically only when every
//! step succeeded and the result passed `integrity_check` (a new database is made in memory).

use super::{diagnose, files};
use super::{CliError, Event, Events, Workspace};
use crate::db::Database;
use crate::revision::{render_sql, History, Plan};

/// Which Alembic command to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `upgrade TARGET`.
    Upgrade,
    /// `downgrade TARGET`.
    Downgrade,
    /// `stamp [--purge] TARGET...`: rewrite `alembic_version` only, run no migration.
    Stamp {
        /// Empty `alembic_version` first, whatever it holds (even unknown revisions).
        purge: bool,
    },
}

impl Command {
    /// The steps from `versions` to `targets` by this command's rules (only `stamp` takes
    /// several targets, as in Alembic).
    fn plan(
        self,
        history: &History,
        versions: &[String],
        targets: &[String],
        events: Events,
    ) -> Result<Plan, CliError> {
        let target = match (self, targets) {
            (Command::Stamp { purge }, _) => {
                let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
                return Ok(history.plan_stamp_many(versions, &targets, purge)?);
            }
            (_, [target]) => target.as_str(),
            _ => unreachable!("the command line gives upgrade and downgrade exactly one target"),
        };
        Ok(match self {
            Command::Upgrade => history.plan_upgrade(versions, target)?,
            _ => {
                // Alembic proceeds from the first row but warns; say which branch goes.
                if let Some(warning) = history.downgrade_warning(versions, target) {
                    events(Event::Notice(format!("Warning: {warning}")));
                }
                history.plan_downgrade(versions, target)?
            }
        })
    }

    /// Whether a missing file is a new, empty database (Alembic: `upgrade` and `stamp` create it).
    fn creates_missing_file(self) -> bool {
        !matches!(self, Command::Downgrade)
    }
}

/// Runs `command` to `target` on the database file and replaces the file when it changed.
pub fn run(
    workspace: &Workspace,
    command: Command,
    targets: &[String],
    events: Events,
) -> Result<(), CliError> {
    let history = workspace.history()?;
    files::refuse_pending_journal(&workspace.db_path)?;
    let (opened, is_new) = if command.creates_missing_file() {
        workspace.open_or_new(events)?
    } else {
        (workspace.open_existing(events)?, false)
    };
    let versions = opened.current_versions()?;
    // `stamp --purge` is the way out of such rows, so stamps are not refused.
    if !matches!(command, Command::Stamp { .. }) {
        diagnose::refuse_rows(&history, &versions, &workspace.db_path)?;
    }
    let plan = command.plan(&history, &versions, targets, events)?;
    // Computed before the steps run: they change what the file records.
    let hint = diagnose::migration_hint(&history, &workspace.db_path, &opened)?;
    // Nothing ran on an existing file: leave it untouched (same bytes, same mtime), as Alembic
    // would. A new file is written even then, as Alembic's connection would have created it.
    if plan.steps.is_empty() && !is_new {
        events(Event::Notice(format!(
            "Nothing to do: {} is already at the target; the file is unchanged.",
            workspace.db_path.display()
        )));
        return Ok(());
    }
    // A new database, and a 0-byte file (SQLite's empty database), are small and in memory
    // already: they are written whole. Anything else changes on a copy of the file.
    if is_new || opened.is_in_memory() {
        let mut database = opened;
        workspace.apply_logged_with_hint(&mut database, &history, &plan, events, hint)?;
        let bytes = files::checked_image(&mut database, &workspace.db_path)?;
        files::write_atomic(&workspace.db_path, &bytes, is_new)?;
    } else {
        let mut copy = files::WorkingCopy::create(&workspace.db_path, &opened)?;
        drop(opened);
        workspace.apply_logged_with_hint(copy.database(), &history, &plan, events, hint)?;
        copy.replace()?;
    }
    if is_new {
        events(Event::Notice(format!(
            "There was no database at {}: created a new one.",
            workspace.db_path.display()
        )));
    }
    Ok(())
}

/// `upgrade|downgrade TARGET --sql`: the SQL that would run from the file's current revision,
/// for stdout; the step lines go to `events` as they would when applying. Writes nothing.
pub fn sql(
    workspace: &Workspace,
    command: Command,
    targets: &[String],
    events: Events,
) -> Result<String, CliError> {
    let history = workspace.history()?;
    let database = if command.creates_missing_file() && !files::exists(&workspace.db_path)? {
        events(Event::Notice(format!(
            "No database at {}: showing the SQL for a new one (nothing is written).",
            workspace.db_path.display()
        )));
        Database::new_empty()?
    } else {
        workspace.open_existing(events)?
    };
    let versions = database.current_versions()?;
    if !matches!(command, Command::Stamp { .. }) {
        diagnose::refuse_rows(&history, &versions, &workspace.db_path)?;
    }
    let plan = command.plan(&history, &versions, targets, events)?;
    for step in &plan.steps {
        events(Event::Step(step.log_line.clone()));
    }
    Ok(render_sql(&history, &plan, !database.is_versioned()?))
}
