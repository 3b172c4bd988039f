//! The read-only commands: `current`, `heads`, `history`, `show` and `check`. They read the
//! database into memory and never write to it. Each returns the text for stdout.

use super::layers;
use super::{CliError, Events, Workspace};

/// `current [-v]`: the database's applied revisions, as `alembic current` prints them.
pub fn current(workspace: &Workspace, verbose: bool, events: Events) -> Result<String, CliError> {
    let history = workspace.history()?;
    let database = workspace.open_existing(events)?;
    let versions = database.current_versions()?;
    let body = layers::current_text(&history, &versions, verbose)?;
    if !verbose {
        return Ok(body);
    }
    // Alembic names the database by its SQLAlchemy URL, built from `-x db=PATH` as given.
    Ok(format!(
        "Current revision(s) for sqlite:///{}:\n{body}",
        workspace.db_path.display()
    ))
}

/// `heads [-v]`: the history's heads; needs no database.
pub fn heads(workspace: &Workspace, verbose: bool) -> Result<String, CliError> {
    let history = workspace.history()?;
    layers::heads_text(&history, verbose)
}

/// `history [-v] [-r RANGE]`: the history, newest first. The database is read only when the
/// range mentions `current` (as in Alembic, e.g. `-r current:head`).
pub fn history(
    workspace: &Workspace,
    range: Option<&str>,
    verbose: bool,
    events: Events,
) -> Result<String, CliError> {
    let history = workspace.history()?;
    let mentions_current = range.is_some_and(|range| range.split(':').any(|end| end == "current"));
    let currents = if mentions_current {
        workspace.open_existing(events)?.current_versions()?
    } else {
        Vec::new()
    };
    layers::history_text(&history, range, verbose, &currents)
}

/// `show REV`: the revision's full entry, as `alembic show` prints it; `show current` reads the
/// database.
pub fn show(workspace: &Workspace, target: &str, events: Events) -> Result<String, CliError> {
    let history = workspace.history()?;
    let currents = if target == "current" {
        workspace.open_existing(events)?.current_versions()?
    } else {
        Vec::new()
    };
    layers::show_text(&history, target, &currents)
}

/// What `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// Whether the schema is exactly what the recorded revision should have.
    pub clean: bool,
    /// The one-line OK, or the readable diff.
    pub text: String,
}

/// `check`: compares the file's schema with the schema its recorded revision(s) should have.
pub fn check(workspace: &Workspace, events: Events) -> Result<CheckOutcome, CliError> {
    let history = workspace.history()?;
    let database = workspace.open_existing(events)?;
    let versions = database.current_versions()?;
    let at = if versions.is_empty() {
        "base (no revision applied)".to_string()
    } else {
        versions.join(", ")
    };
    let path = workspace.db_path.display();
    Ok(match layers::schema_drift(&database, &history)? {
        None => CheckOutcome {
            clean: true,
            text: format!("OK: the schema of {path} matches revision {at}."),
        },
        Some(diff) => CheckOutcome {
            clean: false,
            text: format!(
                "The schema of {path} differs from what revision {at} should have \
                 (- expected, + found):\n{diff}"
            ),
        },
    })
}
