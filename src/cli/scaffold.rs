//! `create` and `merge`: write a new migration file into the migrations directory, in the format
//! of README.md, named as Alembic names its scripts (`<12-hex id>_<slug>.sql`).

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::files;
use super::source::read_history;
use super::{CliError, Event, Events, Workspace};
use crate::revision::History;

/// Alembic's `truncate_slug_length` default.
const SLUG_MAX: usize = 40;

/// The header of a migration file that does not exist yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMigration {
    /// Its fresh 12-hex revision id.
    pub id: String,
    /// The revisions it revises: the head for `create`, the heads for `merge`.
    pub down_revisions: Vec<String>,
    /// Its one-line message.
    pub message: String,
    /// Alembic's `Create Date`, e.g. `2025-03-03 10:05:31.902116`.
    pub create_date: String,
}

impl NewMigration {
    /// The file's text: the header lines and two empty sections.
    pub fn render(&self) -> String {
        format!(
            "-- revision: {}\n-- down_revision: {}\n-- message: {}\n-- create_date: {}\n\n\
             -- migrate:up\n\n-- migrate:down\n",
            self.id,
            self.down_revisions.join(", "),
            self.message,
            self.create_date
        )
    }

    /// `<id>_<slug>.sql`, as Alembic's default `file_template` `%(rev)s_%(slug)s`.
    pub fn file_name(&self) -> String {
        format!("{}_{}.sql", self.id, slug(&self.message))
    }
}

/// `create "MESSAGE"`: a new, empty migration on top of the single head. Returns its path.
pub fn create(
    workspace: &Workspace,
    message: &str,
    now: NaiveDateTime,
    events: Events,
) -> Result<PathBuf, CliError> {
    let dir = workspace.scaffold_dir();
    let history = read_history(&dir)?;
    let heads: Vec<String> = history.heads().iter().map(|rev| rev.id.clone()).collect();
    if heads.len() > 1 {
        return Err(CliError::MultipleHeads {
            count: heads.len(),
            heads: heads.join(", "),
        });
    }
    write_new(workspace, &dir, &history, heads, message, now, events)
}

/// `merge REVISIONS... [-m MESSAGE]`: a migration joining `heads` (all of them) or the listed
/// heads (ids or unique prefixes). Returns its path.
pub fn merge(
    workspace: &Workspace,
    revisions: &[String],
    message: &str,
    now: NaiveDateTime,
    events: Events,
) -> Result<PathBuf, CliError> {
    let dir = workspace.scaffold_dir();
    let history = read_history(&dir)?;
    let heads: Vec<String> = history.heads().iter().map(|rev| rev.id.clone()).collect();
    let mut chosen = Vec::new();
    for wanted in revisions {
        if wanted == "heads" {
            chosen.extend(heads.iter().cloned());
            continue;
        }
        let matching: Vec<&String> = heads
            .iter()
            .filter(|id| id.starts_with(wanted.as_str()))
            .collect();
        match matching.as_slice() {
            [one] => chosen.push((*one).clone()),
            _ => {
                return Err(CliError::NotAHead {
                    revision: wanted.clone(),
                })
            }
        }
    }
    chosen.dedup();
    if chosen.len() < 2 {
        let what = if heads.len() < 2 {
            format!("the history has a single head ({})", heads.join(", "))
        } else {
            format!("only {} was named", chosen.join(", "))
        };
        return Err(CliError::NothingToMerge { what });
    }
    write_new(workspace, &dir, &history, chosen, message, now, events)
}

/// Renders, validates (the history still builds with the new file) and writes the new file.
fn write_new(
    workspace: &Workspace,
    dir: &Path,
    history: &History,
    down_revisions: Vec<String>,
    message: &str,
    now: NaiveDateTime,
    events: Events,
) -> Result<PathBuf, CliError> {
    if message.contains(['\n', '\r']) || message.trim().is_empty() {
        return Err(CliError::BadMessage {
            message: message.to_string(),
        });
    }
    let migration = NewMigration {
        id: fresh_id(history)?,
        down_revisions,
        message: message.trim().to_string(),
        create_date: now.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
    };
    let path = dir.join(migration.file_name());
    let text = migration.render();
    check_parses_back(history, &path, &text)?;
    files::write_atomic(&path, text.as_bytes(), true)?;
    if workspace.migrations_dir.is_none() {
        events(Event::Notice(format!(
            "content-db embeds its migrations when it is built: rebuild it, or pass --migrations {} \
             to use the new file now.",
            dir.display()
        )));
    }
    Ok(std::path::absolute(&path).unwrap_or(path))
}

/// Refuses to write a file the history would then reject (a parser/renderer mismatch).
fn check_parses_back(history: &History, path: &Path, text: &str) -> Result<(), CliError> {
    let mut revisions = history.revisions().to_vec();
    revisions.push(crate::revision::parse_migration(
        &path.display().to_string(),
        text,
    )?);
    History::from_revisions(revisions)?;
    Ok(())
}

/// A random 12-hex revision id not yet in the history (Alembic: the last 12 hex digits of a
/// uuid4).
fn fresh_id(history: &History) -> Result<String, CliError> {
    loop {
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).map_err(|error| CliError::Io {
            action: "draw a random revision id from",
            path: PathBuf::from("the operating system"),
            source: std::io::Error::other(error.to_string()),
        })?;
        let id: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        if history.get(&id).is_none() {
            return Ok(id);
        }
    }
}

/// Alembic's slug: the message's word characters joined by `_`, lower-cased; over 40 characters
/// it is cut at the last `_` before the 40th and ends in `_`.
pub fn slug(message: &str) -> String {
    let words: Vec<String> = message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect();
    let slug = words.join("_").to_lowercase();
    if slug.chars().count() <= SLUG_MAX {
        return slug;
    }
    let cut: String = slug.chars().take(SLUG_MAX).collect();
    let kept = match cut.rfind('_') {
        Some(at) => &cut[..at],
        None => cut.as_str(),
    };
    format!("{kept}_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_follows_alembic() {
        assert_eq!(slug("add chat messages"), "add_chat_messages");
        assert_eq!(slug("Add: user's e-mail!"), "add_user_s_e_mail");
        assert_eq!(slug("  spaced   out  "), "spaced_out");
        // Alembic: "initial posts and oauth tokens and more words to cut"[:40].rsplit("_", 1)[0] + "_"
        assert_eq!(
            slug("initial posts and oauth tokens and more words to cut"),
            "initial_posts_and_oauth_tokens_and_more_"
        );
        assert_eq!(slug(&"x".repeat(45)), format!("{}_", "x".repeat(40)));
    }

    #[test]
    fn renders_the_documented_format() {
        let migration = NewMigration {
            id: "abcdef012345".into(),
            down_revisions: vec!["c3e7a1d9f482".into(), "d5f0b2c8e614".into()],
            message: "merge heads".into(),
            create_date: "2025-03-05 08:47:56.030411".into(),
        };
        assert_eq!(
            migration.render(),
            "-- revision: abcdef012345\n-- down_revision: c3e7a1d9f482, d5f0b2c8e614\n\
             -- message: merge heads\n-- create_date: 2025-03-05 08:47:56.030411\n\n\
             -- migrate:up\n\n-- migrate:down\n"
        );
        assert_eq!(migration.file_name(), "abcdef012345_merge_heads.sql");
    }
}
