//! A captured revision as a migration file in content-db's format (README, "Migrations";
//! `revision::parse_migration`): the header from the script's docstring, the statements of each
//! direction, and the check that the text reads back exactly as intended.

use super::capture::AlembicRevision;
use crate::cli::scaffold::slug;
use crate::revision::{file_stem, parse_migration, IRREVERSIBLE_MARK};

/// The line that marks a file as written by hand (the importer keeps it and checks its schema
/// only). It stands right after the header, where the parser takes it as the description's
/// first line.
pub const HAND_WRITTEN_MARK: &str = "-- hand-written";

/// What an Alembic docstring holds, split the way content-db's header wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Docstring {
    /// The first paragraph, on one line (Alembic's `Script.doc`).
    pub message: String,
    /// The `Create Date:` line's value, or empty.
    pub create_date: String,
    /// The rest after the `Revision ID` / `Revises` / `Create Date` block.
    pub description: String,
}

/// Splits Alembic's `longdoc` (the module docstring) into message, create date and description.
pub fn split_docstring(longdoc: &str) -> Docstring {
    let longdoc = longdoc.replace("\r\n", "\n");
    let mut paragraphs = longdoc.trim().split("\n\n");
    let message = paragraphs
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut create_date = String::new();
    let mut rest = Vec::new();
    for paragraph in paragraphs {
        let is_block = paragraph.lines().any(|line| {
            let line = line.trim();
            line.starts_with("Revision ID:") || line.starts_with("Revises:")
        });
        if is_block && create_date.is_empty() {
            for line in paragraph.lines() {
                if let Some(date) = line.trim().strip_prefix("Create Date:") {
                    create_date = date.trim().to_string();
                }
            }
            continue;
        }
        rest.push(paragraph);
    }
    Docstring {
        message,
        create_date,
        description: rest
            .join("\n\n")
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim_matches('\n')
            .to_string(),
    }
}

/// The file name content-db gives a revision: `<id>_<slug of the message>.sql`, falling back to
/// the script's own name when the message has no word in it.
pub fn file_name(revision: &AlembicRevision) -> String {
    let message_slug = slug(&split_docstring(&revision.longdoc).message);
    let slug = if message_slug.is_empty() {
        let stem = revision
            .path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .trim_end_matches(".py");
        let after_id = stem.split_once('_').map(|(_, rest)| rest).unwrap_or("");
        let fallback = slug(after_id);
        if fallback.is_empty() {
            "revision".to_string()
        } else {
            fallback
        }
    } else {
        message_slug
    };
    format!("{}_{slug}.sql", file_stem(&revision.id))
}

/// A section's text: the function's docstring as comments (without the template's first line
/// `Upgrade schema.` / `Downgrade schema.`), then each statement ending in `;`, a blank line
/// between statements.
pub fn section(docstring: &str, statements: &[String]) -> String {
    let mut parts = Vec::new();
    let docstring = docstring.trim();
    let docstring = ["Upgrade schema.", "Downgrade schema."]
        .iter()
        .find_map(|template| docstring.strip_prefix(template))
        .unwrap_or(docstring)
        .trim();
    if !docstring.is_empty() {
        parts.push(comment_lines(docstring));
    }
    for statement in statements {
        parts.push(format!("{statement};"));
    }
    parts.join("\n\n")
}

/// The downgrade section of a revision whose downgrade raises in Alembic: its docstring, then
/// the `-- irreversible:` line with the exception's first line (the planner refuses to
/// downgrade past it).
pub fn irreversible_section(docstring: &str, exception: &str) -> String {
    let first_line = exception.lines().next().unwrap_or_default().trim();
    let mark = format!("{IRREVERSIBLE_MARK} its downgrade raises in Alembic ({first_line})");
    let doc = section(docstring, &[]);
    if doc.is_empty() {
        mark
    } else {
        format!("{doc}\n\n{mark}")
    }
}

fn comment_lines(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                "--".to_string()
            } else {
                format!("-- {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole file for `revision` with the given up and down sections (see [`section`]).
pub fn render_file(revision: &AlembicRevision, upgrade: &str, downgrade: &str) -> String {
    let doc = split_docstring(&revision.longdoc);
    let value = |text: &str| {
        if text.is_empty() {
            String::new()
        } else {
            format!(" {text}")
        }
    };
    let mut text = format!(
        "-- revision: {}\n-- down_revision:{}\n-- message:{}\n-- create_date:{}\n",
        revision.id,
        value(&revision.down.join(", ")),
        value(&doc.message),
        value(&doc.create_date)
    );
    if !doc.description.is_empty() {
        text.push_str("--\n");
        text.push_str(&comment_lines(&doc.description));
        text.push('\n');
    }
    text.push_str(&format!(
        "\n-- migrate:up\n-- Imported from Alembic ({}) by `content-db import-alembic`: change the \
         Python revision and import again, or mark this file hand-written.\n",
        revision.path
    ));
    if !upgrade.is_empty() {
        text.push('\n');
        text.push_str(upgrade);
        text.push('\n');
    }
    text.push_str("\n-- migrate:down\n");
    if !downgrade.is_empty() {
        text.push('\n');
        text.push_str(downgrade);
        text.push('\n');
    }
    text
}

/// Why the rendered file would not read back as intended, if it would not: each header value,
/// the description and both sections must come back unchanged.
pub fn reads_back(
    name: &str,
    text: &str,
    revision: &AlembicRevision,
    upgrade: &str,
    downgrade: &str,
) -> Result<(), String> {
    let parsed = parse_migration(name, text).map_err(|error| error.to_string())?;
    let doc = split_docstring(&revision.longdoc);
    let marker_and_upgrade = |sql: &str| {
        sql.split_once('\n')
            .map(|(_, rest)| rest.trim_start_matches('\n').to_string())
            .unwrap_or_default()
    };
    let checks = [
        ("the revision id", parsed.id == revision.id),
        ("the down revisions", parsed.down_revisions == revision.down),
        ("the message", parsed.message == doc.message),
        ("the create date", parsed.create_date == doc.create_date),
        ("the description", parsed.description == doc.description),
        (
            "the upgrade SQL",
            marker_and_upgrade(&parsed.upgrade_sql) == upgrade,
        ),
        ("the downgrade SQL", parsed.downgrade_sql == downgrade),
    ];
    match checks.iter().find(|(_, same)| !same) {
        Some((what, _)) => Err(format!("{what} would read back differently")),
        None => Ok(()),
    }
}

/// Whether a migration file's preamble (before `-- migrate:up`) marks it hand-written.
pub fn is_hand_written(text: &str) -> bool {
    text.lines()
        .take_while(|line| line.trim_end() != "-- migrate:up")
        .any(|line| {
            line.trim_start()
                .to_ascii_lowercase()
                .starts_with(HAND_WRITTEN_MARK)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(longdoc: &str, down: &[&str]) -> AlembicRevision {
        AlembicRevision {
            id: "0a6c9e3f5b71".into(),
            down: down.iter().map(|id| id.to_string()).collect(),
            depends_on: vec![],
            branch_labels: vec![],
            longdoc: longdoc.into(),
            path: "versions/0a6c9e3f5b71_add_scheduled_status.py".into(),
            upgrade_doc: "Upgrade schema.".into(),
            downgrade_doc: "Downgrade schema.\n\nLoses data: every post's scheduled_at.".into(),
        }
    }

    const LONGDOC: &str = "add scheduled status\n\nRevision ID: 0a6c9e3f5b71\nRevises: f17b8d2e4c90\n\
        Create Date: 2025-05-22 15:03:48.270945\n\nSQLite cannot ALTER a CHECK constraint, so posts is rebuilt by hand:\n\
        create posts_new, copy the rows.\n\n  indented: kept";

    #[test]
    fn the_docstring_gives_message_date_and_description() {
        let doc = split_docstring(LONGDOC);
        assert_eq!(doc.message, "add scheduled status");
        assert_eq!(doc.create_date, "2025-05-22 15:03:48.270945");
        assert_eq!(
            doc.description,
            "SQLite cannot ALTER a CHECK constraint, so posts is rebuilt by hand:\n\
             create posts_new, copy the rows.\n\n  indented: kept"
        );
        let bare = split_docstring("two line\nmessage");
        assert_eq!(
            (
                bare.message.as_str(),
                bare.create_date.as_str(),
                bare.description.as_str()
            ),
            ("two line message", "", "")
        );
    }

    #[test]
    fn the_file_reads_back_exactly_and_names_follow_the_message() {
        let rev = revision(LONGDOC, &["f17b8d2e4c90"]);
        let up = section(
            &rev.upgrade_doc,
            &["CREATE TABLE t (\n    a TEXT DEFAULT 'x;\n-- y'\n)".into()],
        );
        let down = section(
            &rev.downgrade_doc,
            &["DROP TABLE t".into(), "UPDATE u SET a = 'b'".into()],
        );
        assert!(
            down.starts_with("-- Loses data: every post's scheduled_at.\n\nDROP TABLE t;"),
            "{down}"
        );
        let name = file_name(&rev);
        assert_eq!(name, "0a6c9e3f5b71_add_scheduled_status.sql");
        let text = render_file(&rev, &up, &down);
        assert_eq!(reads_back(&name, &text, &rev, &up, &down), Ok(()));
        assert!(!is_hand_written(&text));
        let merge = revision("merge heads", &["a1", "b2"]);
        let text = render_file(&merge, "", "");
        assert!(text.contains("-- down_revision: a1, b2\n"), "{text}");
        assert_eq!(
            reads_back(&file_name(&merge), &text, &merge, "", ""),
            Ok(())
        );
    }

    #[test]
    fn a_statement_that_would_break_the_format_is_caught() {
        let rev = revision(LONGDOC, &[]);
        let up = section("", &["SELECT 'a\n-- migrate:down\nb'".into()]);
        let text = render_file(&rev, &up, "");
        assert!(reads_back(&file_name(&rev), &text, &rev, &up, "").is_err());
    }

    #[test]
    fn the_hand_written_mark_is_read_from_the_preamble_only() {
        let text = "-- revision: a1\n-- down_revision:\n-- message: m\n-- create_date:\n\
                    -- hand-written: reads the rows in Python\n\n-- migrate:up\n\n-- migrate:down\n";
        assert!(is_hand_written(text));
        let parsed = parse_migration("a1_m.sql", text).expect("the mark is a description line");
        assert_eq!(parsed.description, "hand-written: reads the rows in Python");
        assert!(!is_hand_written(
            "-- revision: a1\n\n-- migrate:up\n-- hand-written\n"
        ));
    }

    #[test]
    fn an_empty_message_falls_back_to_the_script_name() {
        let mut rev = revision("", &[]);
        assert_eq!(file_name(&rev), "0a6c9e3f5b71_add_scheduled_status.sql");
        rev.path = "versions/0a6c9e3f5b71.py".into();
        assert_eq!(file_name(&rev), "0a6c9e3f5b71_revision.sql");
    }
}
