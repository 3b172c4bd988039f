//! What the `alembic_version` rows and the tables of a file say about its state, in words: a
//! notice for a file Alembic never stamped or one at base, the refusal of rows that contradict
//! the history, and a hint when a first migration fails because its tables already exist.

use std::path::Path;

use super::CliError;
use crate::db::Database;
use crate::revision::History;

/// The tables of the file other than `alembic_version` (SQLite's own are never listed).
fn user_tables(database: &Database) -> Result<Vec<String>, CliError> {
    Ok(database
        .schema()?
        .tables
        .into_keys()
        .filter(|name| !name.eq_ignore_ascii_case("alembic_version"))
        .collect())
}

/// Up to three names, then how many more.
fn some_names(names: &[String]) -> String {
    first_few(names, ", ")
}

/// The first three of `items` joined by `separator`, then " and N more" for the rest.
pub(super) fn first_few(items: &[String], separator: &str) -> String {
    const SHOWN: usize = 3;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(separator);
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

/// What to type when a file's tables exist but no revision is recorded.
const STAMP_ADVICE: &str = "if its schema is already at a revision, `content-db baseline \
    --stamp` finds that revision and records it (or type `content-db stamp <revision>` \
    yourself), then upgrade";

/// A remark for `current` when the file has no revision recorded: no `alembic_version` table,
/// or an empty one. `None` for a file at some revision, and for a file with no tables at all.
pub fn state_notice(path: &Path, database: &Database) -> Result<Option<String>, CliError> {
    if !database.current_versions()?.is_empty() {
        return Ok(None);
    }
    let tables = user_tables(database)?;
    let path = path.display();
    Ok(match (database.is_versioned()?, tables.is_empty()) {
        (false, true) => None,
        (false, false) => Some(format!(
            "{path} has no alembic_version table: Alembic has never recorded a revision in it \
             (it has tables: {}). It is not versioned; {STAMP_ADVICE}.",
            some_names(&tables)
        )),
        (true, true) => Some(format!(
            "{path} is at base: its alembic_version is empty (no migration applied)."
        )),
        (true, false) => Some(format!(
            "{path} is at base: its alembic_version is empty, but it has tables ({}); \
             {STAMP_ADVICE}.",
            some_names(&tables)
        )),
    })
}

/// The hint added to a failed migration of a file that records no revision but has tables: its
/// first migration then fails on a table that already exists.
pub fn migration_hint(database: &Database) -> Result<Option<String>, CliError> {
    if !database.current_versions()?.is_empty() {
        return Ok(None);
    }
    let tables = user_tables(database)?;
    if tables.is_empty() {
        return Ok(None);
    }
    let state = if database.is_versioned()? {
        "its alembic_version is empty: it is at base"
    } else {
        "it has no alembic_version table: it is not versioned"
    };
    Ok(Some(format!(
        "The file records no revision ({state}) but already has tables: {}. So {STAMP_ADVICE}.",
        some_names(&tables)
    )))
}

/// Refuses rows of which one is an ancestor of another (Alembic cannot plan from them, and
/// which one is right is the user's call) and rows recorded twice.
pub fn refuse_overlapping_rows(
    history: &History,
    rows: &[String],
    path: &Path,
) -> Result<(), CliError> {
    // Alembic's own table cannot hold a row twice (version_num is its primary key); a
    // hand-made one can, and then no plan can delete or update "the" row.
    if let Some((_, id)) = rows
        .iter()
        .enumerate()
        .find(|(at, id)| rows[..*at].contains(id))
    {
        return Err(CliError::DuplicateRows {
            path: path.to_path_buf(),
            id: id.clone(),
        });
    }
    match history.overlapping_rows(rows) {
        None => Ok(()),
        Some((ancestor, descendant)) => Err(CliError::InconsistentRows {
            path: path.to_path_buf(),
            ancestor,
            descendant,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(sql: &str) -> Database {
        let database = Database::new_empty().expect("new");
        database.connection().execute_batch(sql).expect("set up");
        database
    }

    const VERSION_TABLE: &str =
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);";

    #[test]
    fn notices_name_the_state_and_what_to_type() {
        let path = Path::new("content.db");
        let notice = |sql: &str| state_notice(path, &database(sql)).expect("notice");
        assert_eq!(notice(""), None, "a new, empty file needs no remark");
        let at_revision = format!("{VERSION_TABLE} INSERT INTO alembic_version VALUES ('a');");
        assert_eq!(notice(&at_revision), None);
        insta::assert_snapshot!([
            notice("CREATE TABLE posts (id INT); CREATE TABLE users (id INT);"),
            notice(VERSION_TABLE),
            notice(&format!(
                "{VERSION_TABLE} CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x); \
                     CREATE TABLE d (x); CREATE TABLE e (x);"
            )),
        ]
        .map(|notice| notice.expect("a notice"))
        .join("\n"));
    }

    #[test]
    fn the_hint_is_only_for_files_with_tables_and_no_revision() {
        assert_eq!(migration_hint(&database("")).expect("hint"), None);
        let hint = migration_hint(&database("CREATE TABLE posts (id INT);"))
            .expect("hint")
            .expect("a hint");
        assert!(
            hint.contains("not versioned") && hint.contains("stamp"),
            "{hint}"
        );
    }
}
