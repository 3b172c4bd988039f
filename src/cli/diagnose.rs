//! The CLI's side of a file's state: it prints the library's sentences ([`crate::diagnose`])
//! and adds its own way out, the command to type.

use std::path::Path;

use super::CliError;
use crate::db::Database;
use crate::diagnose::{Diagnosis, FileFacts, RowsProblem};
use crate::revision::History;

/// What to type when a file's tables exist but no revision is recorded.
const STAMP_ADVICE: &str = "If its schema is already at a revision, `content-db baseline \
    --stamp` finds that revision and records it (or type `content-db stamp <revision>` \
    yourself), then upgrade.";

/// The command that gets a file out of `problem`, in words.
pub fn way_out(problem: &RowsProblem) -> String {
    match problem {
        RowsProblem::Repeated { file, id } => format!(
            "Drop the hand-made table with `sqlite3 {file} \"DROP TABLE alembic_version\"`, then \
             type `content-db stamp {id}` (which creates Alembic's table again)"
        ),
        RowsProblem::Unknown { .. } => "Use a content-db that has that migration (the command \
             line reads them from `--migrations DIR`); if you know which revision the schema \
             really is at, type `content-db stamp --purge <revision>`"
            .to_string(),
        RowsProblem::Overlapping { descendant, .. } => format!(
            "If the schema is at {descendant} (`content-db check` compares), type `content-db \
             stamp --purge {descendant}`, then migrate again"
        ),
    }
}

/// The file's state as the library judges it.
fn diagnosis(history: &History, path: &Path, database: &Database) -> Result<Diagnosis, CliError> {
    let facts = FileFacts::read(path.display().to_string(), database)?;
    Ok(Diagnosis::of(history, facts))
}

/// The library's notice about a file that records no revision, with the command to type when
/// it has tables.
fn notice_and_advice(diagnosis: &Diagnosis) -> Option<String> {
    let notice = diagnosis.notice()?;
    Some(match diagnosis.needs_stamp() {
        true => format!("{notice} {STAMP_ADVICE}"),
        false => notice,
    })
}

/// A remark for `current` when the file has no revision recorded (no `alembic_version` table,
/// or an empty one).
pub fn state_notice(
    history: &History,
    path: &Path,
    database: &Database,
) -> Result<Option<String>, CliError> {
    Ok(notice_and_advice(&diagnosis(history, path, database)?))
}

/// The hint added to a failed migration of a file that records no revision but has tables: its
/// first migration then fails on a table that already exists.
pub fn migration_hint(
    history: &History,
    path: &Path,
    database: &Database,
) -> Result<Option<String>, CliError> {
    let diagnosis = diagnosis(history, path, database)?;
    Ok(diagnosis
        .needs_stamp()
        .then(|| notice_and_advice(&diagnosis))
        .flatten())
}

/// Refuses rows no plan can start from (see [`RowsProblem`]).
pub fn refuse_rows(history: &History, rows: &[String], path: &Path) -> Result<(), CliError> {
    RowsProblem::check(history, &path.display().to_string(), rows).map_err(CliError::from)
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
        let history = History::embedded().expect("history");
        let path = Path::new("content.db");
        let notice = |sql: &str| state_notice(history, path, &database(sql)).expect("notice");
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
        let history = History::embedded().expect("history");
        let path = Path::new("content.db");
        assert_eq!(
            migration_hint(history, path, &database("")).expect("hint"),
            None
        );
        let hint = migration_hint(history, path, &database("CREATE TABLE posts (id INT);"))
            .expect("hint")
            .expect("a hint");
        assert!(
            hint.contains("no alembic_version table") && hint.contains("stamp"),
            "{hint}"
        );
    }
}
