//! The commands that move a database between revisions: `upgrade`, `downgrade` and `stamp`, and
//! `--sql`, which prints what `upgrade`/`downgrade` would run from the file's actual revision
//! and writes nothing. An existing file is changed in place as one SQLite transaction that holds
//! the write lock from the moment `alembic_version` is read (the plan is made under it) until the
//! commit, which happens only when every step succeeded and the result passed `integrity_check`
//! (see `db/in_place.rs`). A missing file is made in memory and written whole, never over a file
//! that appeared meanwhile.

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

/// Runs `command` to `target` on the database file: in place when it exists, as a new file when
/// it does not (for `upgrade` and `stamp`, as Alembic).
pub fn run(
    workspace: &Workspace,
    command: Command,
    targets: &[String],
    events: Events,
) -> Result<(), CliError> {
    let history = workspace.history()?;
    if command.creates_missing_file() && !files::exists(&workspace.db_path)? {
        return create(workspace, &history, command, targets, events);
    }
    let database = workspace.open_for_writing(events)?;
    run_locked(workspace, database, &history, command, targets, events)
}

/// Runs `command` on `database`, opened by [`Workspace::open_for_writing`] (its write lock held
/// since before anything was read), and commits; on any error nothing is committed.
pub fn run_locked(
    workspace: &Workspace,
    mut database: Database,
    history: &History,
    command: Command,
    targets: &[String],
    events: Events,
) -> Result<(), CliError> {
    let Some((plan, hint)) = plan_for(workspace, &database, history, command, targets, events)?
    else {
        return Ok(());
    };
    workspace.apply_logged_with_hint(&mut database, history, &plan, events, hint)?;
    files::check_integrity(&mut database, &workspace.db_path)?;
    database.commit()?;
    Ok(())
}

/// The plan for `command` from what `database` records, with the hint for a failed step; `None`
/// (after saying so) when there is nothing to do, which leaves the file untouched (same bytes,
/// same mtime), as Alembic would.
fn plan_for(
    workspace: &Workspace,
    database: &Database,
    history: &History,
    command: Command,
    targets: &[String],
    events: Events,
) -> Result<Option<(Plan, Option<String>)>, CliError> {
    let versions = database.current_versions()?;
    // `stamp --purge` is the way out of inconsistent rows, so stamps are not refused.
    if !matches!(command, Command::Stamp { .. }) {
        diagnose::refuse_rows(history, &versions, &workspace.db_path)?;
    }
    let plan = command.plan(history, &versions, targets, events)?;
    if plan.steps.is_empty() {
        events(Event::Notice(format!(
            "Nothing to do: {} is already at the target; the file is unchanged.",
            workspace.db_path.display()
        )));
        return Ok(None);
    }
    // Computed before the steps run: they change what the file records.
    let hint = diagnose::migration_hint(history, &workspace.db_path, database)?;
    Ok(Some((plan, hint)))
}

/// `upgrade`/`stamp` on a missing file: a new database made in memory, written only if the
/// command succeeds (even with no step, as Alembic's connection would have created it), and
/// never over a file that appeared meanwhile.
fn create(
    workspace: &Workspace,
    history: &History,
    command: Command,
    targets: &[String],
    events: Events,
) -> Result<(), CliError> {
    workspace.require_folder()?;
    let mut database = Database::new_empty()?;
    let plan = command.plan(history, &[], targets, events)?;
    let hint = diagnose::migration_hint(history, &workspace.db_path, &database)?;
    workspace.apply_logged_with_hint(&mut database, history, &plan, events, hint)?;
    let bytes = files::checked_image(&mut database, &workspace.db_path)?;
    files::write_atomic(&workspace.db_path, &bytes, true)?;
    events(Event::Notice(format!(
        "There was no database at {}: created a new one.",
        workspace.db_path.display()
    )));
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
