//! The read-only commands: `current`, `heads`, `history`, `show` and `check`. They open the
//! database file read-only where it lies and never write to it. Each returns the text for stdout, formatted by
//! [`crate::revision::format`] exactly as Alembic formats it.

use super::{diagnose, CliError, Event, Events, Workspace};
use crate::db::Database;
use crate::diagnose::RowsProblem;
use crate::revision::format;

/// `current [-v]`: the database's applied revisions, as `alembic current` prints them.
pub fn current(workspace: &Workspace, verbose: bool, events: Events) -> Result<String, CliError> {
    let history = workspace.history()?;
    let database = workspace.open_existing(events)?;
    let versions = database.current_versions()?;
    // Alembic prints nothing for a file with no revision, and both rows of an inconsistent
    // pair; stdout stays Alembic's, the explanation goes to stderr.
    if let Some(notice) = diagnose::state_notice(&history, &workspace.db_path, &database)? {
        events(Event::Notice(notice));
    }
    match diagnose::refuse_rows(&history, &versions, &workspace.db_path) {
        Err(
            unknown @ CliError::Rows {
                problem: RowsProblem::Unknown { .. },
            },
        ) => return Err(unknown),
        Err(problem) => events(Event::Notice(format!("Warning: {problem}"))),
        Ok(()) => {}
    }
    // Alembic names the database by its SQLAlchemy URL, built from `-x db=PATH` as given.
    let source = format!("sqlite:///{}", workspace.db_path.display());
    Ok(format::current(&history, &versions, verbose, &source)?)
}

/// `heads [-v]`: the history's heads; needs no database.
pub fn heads(workspace: &Workspace, verbose: bool) -> Result<String, CliError> {
    let history = workspace.history()?;
    Ok(format::heads(&history, verbose))
}

/// `history [-v] [-i] [-r RANGE]`: the history, newest first. The database is read only when
/// the range mentions `current` or `-i` marks the current revisions (as in Alembic).
pub fn history(
    workspace: &Workspace,
    range: Option<&str>,
    verbose: bool,
    indicate_current: bool,
    events: Events,
) -> Result<String, CliError> {
    let history = workspace.history()?;
    let mentions_current =
        range.is_some_and(|range| range.split(':').any(|end| end.trim() == "current"));
    let rows = if mentions_current || indicate_current {
        workspace.open_existing(events)?.current_versions()?
    } else {
        Vec::new()
    };
    Ok(format::history(
        &history,
        range,
        verbose,
        &rows,
        indicate_current,
    )?)
}

/// `show REV`: the revision's full entry, as `alembic show` prints it; `show current` reads the
/// database and shows each applied revision.
pub fn show(workspace: &Workspace, target: &str, events: Events) -> Result<String, CliError> {
    let history = workspace.history()?;
    // Alembic's `show REV` prints `log_entry` of each revision REV resolves to, which is exactly
    // what `history --verbose -r REV:REV` prints (checked against Alembic in tests/cli.rs).
    let targets = if target == "current" {
        workspace.open_existing(events)?.current_versions()?
    } else {
        vec![target.to_string()]
    };
    let mut out = String::new();
    for target in targets {
        let range = format!("{target}:{target}");
        out.push_str(&format::history(&history, Some(&range), true, &[], false)?);
    }
    Ok(out)
}

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// Whether the schema is exactly what the recorded revision should have.
    pub clean: bool,
    /// The one-line OK, or the readable list of differences.
    pub text: String,
}

/// `check`: compares the file's schema with the one its recorded revision(s) should have (the
/// migrations replayed on an empty database).
pub fn check(workspace: &Workspace, events: Events) -> Result<CheckOutcome, CliError> {
    let history = workspace.history()?;
    let database = workspace.open_existing(events)?;
    let versions = database.current_versions()?;
    // A row the history does not know is named as such (not as a target nobody typed).
    if let Err(
        unknown @ CliError::Rows {
            problem: RowsProblem::Unknown { .. },
        },
    ) = diagnose::refuse_rows(&history, &versions, &workspace.db_path)
    {
        return Err(unknown);
    }
    let expected = Database::expected_schema_at(&history, &versions)?;
    let differences = crate::schema::diff(&expected, &database.schema()?);
    let at = if versions.is_empty() {
        "base (no revision applied)".to_string()
    } else {
        format!("revision {}", versions.join(", "))
    };
    let path = workspace.db_path.display();
    if differences.is_empty() {
        return Ok(CheckOutcome {
            clean: true,
            text: format!("OK: the schema of {path} is what {at} should have."),
        });
    }
    let mut text = format!(
        "The schema of {path} is not what {at} should have ({} difference{}):\n",
        differences.len(),
        if differences.len() == 1 { "" } else { "s" }
    );
    for difference in &differences {
        text.push_str(&format!("  - {difference}\n"));
    }
    text.push_str(
        "If the change is meant to stay, put it in a migration (`content-db create \"MESSAGE\"`); \
         if not, undo it by hand or restore a backup.",
    );
    Ok(CheckOutcome { clean: false, text })
}
