//! ContentEngine's helper-script verbs that make a database from scratch: `init` (a new file at
//! head, never over an existing one) and `reset` (back the file up beside it, then recreate it at
//! head in place, after confirmation: one SQLite transaction under the write lock, as `upgrade`).

use chrono::NaiveDateTime;

use super::files;
use super::{CliError, Event, Events, Workspace};
use crate::db::Database;
use crate::revision::History;

/// How `reset` gets the user's consent.
pub enum Consent<'a> {
    /// `--yes` was given.
    Given,
    /// Ask with this prompt function (shows the text, returns the answer line).
    Ask(&'a mut dyn FnMut(&str) -> Result<String, CliError>),
    /// There is no terminal to ask on and `--yes` was not given.
    Unavailable,
}

/// `init`: creates a new database at head at the `--db` path; refuses an existing file.
pub fn init(workspace: &Workspace, events: Events) -> Result<(), CliError> {
    if files::exists(&workspace.db_path)? {
        return Err(CliError::AlreadyExists {
            path: workspace.db_path.clone(),
        });
    }
    workspace.require_folder()?;
    let bytes = database_at_heads(workspace, events)?;
    files::write_atomic(&workspace.db_path, &bytes, true)?;
    events(Event::Notice(format!(
        "Created {} at head.",
        workspace.db_path.display()
    )));
    Ok(())
}

/// `reset`: copies the file to `<file>.backup-YYYYMMDD-HHMMSS` beside it, then empties it and
/// upgrades it to head in place, in one transaction holding the write lock from before the copy
/// until the commit (so the backup is exactly what was replaced). Returns the backup's path; on
/// an error the file is unchanged and the backup removed.
pub fn reset(
    workspace: &Workspace,
    consent: Consent,
    now: NaiveDateTime,
    events: Events,
) -> Result<std::path::PathBuf, CliError> {
    let path = workspace.db_path.clone();
    if !files::exists(&path)? {
        return Err(CliError::MissingDatabase { path });
    }
    let confirmed = match consent {
        Consent::Given => true,
        Consent::Unavailable => return Err(CliError::ConfirmationNeeded { path }),
        Consent::Ask(ask) => is_yes(&ask(&reset_prompt(&path, now))?),
    };
    if !confirmed {
        return Err(CliError::NotConfirmed { path });
    }
    let history = workspace.history()?;
    let plan = History::plan_upgrade(&history, &[], "heads")?;
    let mut database = workspace.open_for_writing(events)?;
    let backup = files::backup(&database, &path, now)?;
    let recreated = database
        .clear_schema()
        .map_err(CliError::from)
        .and_then(|()| workspace.apply_logged(&mut database, &history, &plan, events))
        .and_then(|()| files::check_integrity(&mut database, &path))
        .and_then(|()| Ok(database.commit()?));
    if let Err(error) = recreated {
        drop(database);
        let _ = std::fs::remove_file(&backup);
        return Err(error);
    }
    events(Event::Notice(format!(
        "Backed up {} to {}.",
        path.display(),
        backup.display()
    )));
    events(Event::Notice(format!(
        "Recreated {} at head.",
        path.display()
    )));
    Ok(backup)
}

/// The question `reset` asks before deleting anything.
pub fn reset_prompt(path: &std::path::Path, now: NaiveDateTime) -> String {
    format!(
        "Reset {}? Every row in it is deleted and it is recreated at head (a copy is kept as {}). [y/N] ",
        path.display(),
        files::backup_path(path, now).display()
    )
}

/// Whether an answer to a y/N question means yes (`y` or `yes`, any case); anything else is no.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// A new database upgraded to every head of the history, as file bytes.
fn database_at_heads(workspace: &Workspace, events: Events) -> Result<Vec<u8>, CliError> {
    let history = workspace.history()?;
    let mut database = Database::new_empty()?;
    let plan = History::plan_upgrade(&history, &[], "heads")?;
    workspace.apply_logged(&mut database, &history, &plan, events)?;
    files::checked_image(&mut database, &workspace.db_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_y_or_yes_confirms() {
        for yes in ["y", "Y", "yes", "YES\n", "  y  "] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "ye s", "sure"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }

    #[test]
    fn prompt_names_file_and_backup() {
        let now = NaiveDateTime::parse_from_str("2025-03-03 10:05:31", "%Y-%m-%d %H:%M:%S")
            .expect("valid date");
        let prompt = reset_prompt(std::path::Path::new("content.db"), now);
        assert!(prompt.starts_with("Reset content.db?"), "{prompt}");
        assert!(
            prompt.contains("content.db.backup-20250303-100531"),
            "{prompt}"
        );
        assert!(prompt.ends_with("[y/N] "), "{prompt}");
    }
}
