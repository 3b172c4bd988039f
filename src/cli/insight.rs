//! The schema-insight commands: `baseline [--stamp]` (which revision an unversioned file is at),
//! `diff A B` / `diff --file REV` (what changes between two states, with the SQL) and
//! `erd [-o FILE]` (an SVG diagram of the file's tables). Only `baseline --stamp` writes, through
//! `stamp --purge` in the same locked transaction the schema was read in.

use std::path::Path;

use super::{files, migrate, CliError, Events, Workspace};
use crate::db::{Baseline, Candidate, Database};
use crate::revision::History;
use crate::schema::{describe_change, erd};

/// What `baseline` found and printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineOutcome {
    /// Whether a state matched exactly.
    pub exact: bool,
    /// The text for stdout.
    pub text: String,
}

/// `baseline [--stamp]`: ranks every state of the history against the file; with `stamp`,
/// records the exact match (refused when there is none: the user picks with `stamp --purge`).
pub fn baseline(
    workspace: &Workspace,
    stamp: bool,
    events: Events,
) -> Result<BaselineOutcome, CliError> {
    let history = workspace.history()?;
    // With --stamp, the write lock is held from the reading of the schema to the commit.
    let database = if stamp {
        workspace.open_for_writing(events)?
    } else {
        workspace.open_existing(events)?
    };
    let baseline = database.infer_baseline(&history)?;
    let recorded = recorded_text(&database, &history)?;
    let text = describe_baseline(&workspace.db_path, &recorded, &baseline, &history);
    let exact = baseline.exact().first().map(|c| c.revisions.clone());
    if stamp {
        let Some(revisions) = exact else {
            return Err(CliError::NoExactBaseline {
                path: workspace.db_path.clone(),
                closest: baseline
                    .best()
                    .map(|c| state_name(&c.revisions))
                    .unwrap_or_else(|| "base".to_string()),
            });
        };
        let targets = if revisions.is_empty() {
            vec!["base".to_string()]
        } else {
            revisions
        };
        migrate::run_locked(
            workspace,
            database,
            &history,
            migrate::Command::Stamp { purge: true },
            &targets,
            events,
        )?;
        return Ok(BaselineOutcome {
            exact: true,
            text: format!("{text}\nStamped {}.", targets.join(", ")),
        });
    }
    Ok(BaselineOutcome {
        exact: exact.is_some(),
        text,
    })
}

/// What the file's `alembic_version` says, in words.
fn recorded_text(database: &Database, history: &History) -> Result<String, CliError> {
    if !database.is_versioned()? {
        return Ok("has no alembic_version table".to_string());
    }
    let rows = database.current_versions()?;
    if rows.is_empty() {
        return Ok("has an empty alembic_version table".to_string());
    }
    let unknown: Vec<&String> = rows.iter().filter(|r| history.get(r).is_none()).collect();
    Ok(if unknown.is_empty() {
        format!("is recorded at {}", rows.join(", "))
    } else {
        format!(
            "is recorded at {}, which this history does not know",
            rows.join(", ")
        )
    })
}

/// A state's rows in words: `base`, `c3e7a1d9f482`, `c3e7a1d9f482 + d5f0b2c8e614`.
fn state_name(rows: &[String]) -> String {
    if rows.is_empty() {
        "base".to_string()
    } else {
        rows.join(" + ")
    }
}

/// A state with the message of its single revision.
fn state_label(rows: &[String], history: &History) -> String {
    match rows {
        [one] => match history.get(one) {
            Some(revision) => format!("{one} ({})", revision.message),
            None => one.clone(),
        },
        _ => state_name(rows),
    }
}

/// The report of `baseline`.
fn describe_baseline(
    path: &Path,
    recorded: &str,
    baseline: &Baseline,
    history: &History,
) -> String {
    let path = path.display();
    let mut text = format!("{path} {recorded}.\n");
    let exact = baseline.exact();
    if let Some(best) = exact.first() {
        text.push_str(&format!(
            "Its schema is exactly that of {}.\n",
            state_label(&best.revisions, history)
        ));
        for other in &exact[1..] {
            text.push_str(&format!(
                "Also an exact match: {}.\n",
                state_label(&other.revisions, history)
            ));
        }
        text.push_str(&format!(
            "To record it: `content-db --db {path} baseline --stamp`."
        ));
        return text;
    }
    text.push_str("No revision's schema matches it exactly.\n");
    for candidate in baseline.candidates.iter().take(3) {
        push_candidate(&mut text, candidate, history);
    }
    text.push_str(&format!(
        "If the differences are expected, record the closest with \
         `content-db --db {path} stamp --purge {}`; `content-db check` will keep reporting them.",
        baseline
            .best()
            .map(|c| if c.revisions.is_empty() {
                "base".to_string()
            } else {
                c.revisions.join(" ")
            })
            .unwrap_or_else(|| "base".to_string())
    ));
    text
}

/// One near match and its differences.
fn push_candidate(text: &mut String, candidate: &Candidate, history: &History) {
    let count = candidate.differences.len();
    text.push_str(&format!(
        "Closest: {} ({count} difference{}):\n",
        state_label(&candidate.revisions, history),
        if count == 1 { "" } else { "s" }
    ));
    for difference in &candidate.differences {
        text.push_str(&format!("  - {difference}\n"));
    }
}

/// Resolves a state name: `base`, `current` (the file's rows), or anything `upgrade` takes.
fn resolve(
    workspace: &Workspace,
    history: &History,
    name: &str,
    events: Events,
) -> Result<Vec<String>, CliError> {
    if name.trim() == "current" {
        return Ok(workspace.open_existing(events)?.current_versions()?);
    }
    Ok(history.state_of(name)?)
}

/// `diff A B`: the changes from state A to state B and the SQL that goes there.
pub fn diff(
    workspace: &Workspace,
    from: &str,
    to: &str,
    events: Events,
) -> Result<String, CliError> {
    let history = workspace.history()?;
    let from_rows = resolve(workspace, &history, from, events)?;
    let to_rows = resolve(workspace, &history, to, events)?;
    let diff = Database::diff_states(&history, &from_rows, &to_rows)?;
    Ok(describe_diff(
        &state_name(&from_rows),
        &state_name(&to_rows),
        &diff,
    ))
}

/// `diff --file REV`: how the open file differs from the schema of REV, and the SQL from the
/// file's recorded revision to REV.
pub fn diff_file(workspace: &Workspace, to: &str, events: Events) -> Result<String, CliError> {
    let history = workspace.history()?;
    let to_rows = resolve(workspace, &history, to, events)?;
    let database = workspace.open_existing(events)?;
    let diff = database.diff_file_with(&history, &to_rows)?;
    Ok(describe_diff(
        &format!("{} (file)", workspace.db_path.display()),
        &state_name(&to_rows),
        &diff,
    ))
}

/// Changes as a list, then the SQL.
fn describe_diff(from: &str, to: &str, diff: &crate::db::RevisionDiff) -> String {
    let mut text = if diff.changes.is_empty() {
        format!("No schema changes from {from} to {to}.\n")
    } else {
        let count = diff.changes.len();
        let mut text = format!(
            "From {from} to {to} ({count} change{}):\n",
            if count == 1 { "" } else { "s" }
        );
        for change in &diff.changes {
            text.push_str(&format!("  - {}\n", describe_change(change)));
        }
        text
    };
    if !diff.sql.is_empty() {
        text.push_str(&format!("\n-- SQL from {from} to {to}:\n"));
        text.push_str(&diff.sql);
    } else if !diff.changes.is_empty() && diff.plans.is_empty() && diff.from != diff.to {
        text.push_str(
            "(No SQL: the file records no revision this history knows; \
             `content-db baseline` finds the one its schema is at.)\n",
        );
    }
    text
}

/// `erd [-o FILE]`: the SVG diagram of the file's schema; written to `output` (atomically) when
/// given, else returned for stdout.
pub fn erd(
    workspace: &Workspace,
    output: Option<&Path>,
    events: Events,
) -> Result<String, CliError> {
    let database = workspace.open_existing(events)?;
    let svg = erd::render_svg(&erd::layout(&database.schema()?));
    match output {
        Some(path) => {
            files::write_atomic(path, svg.as_bytes(), false)?;
            Ok(String::new())
        }
        None => Ok(svg),
    }
}
