//! A history made from files chosen at run time (the page's "Use other migrations…"): named
//! texts in, a [`History`] out, with every refusal naming the file it comes from. The rules
//! are the build's own ([`parse_migration`](super::parse_migration) and
//! [`History::from_revisions`], as [`History::from_files`] applies them for `migrations/` and the CLI's
//! `--migrations DIR`); this module only picks the migration files among those chosen and
//! names the files of a cycle. Pure: no browser, no SQLite.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{History, RevisionError};

/// One chosen migration file: its name (the path inside a chosen folder) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationText {
    /// The file name, or its path relative to the chosen folder (`app/migrations/x.sql`).
    pub name: String,
    /// Its text; `None` when the file is not UTF-8 text.
    pub text: Option<String>,
}

/// Whether a chosen file is a migration file: its name ends in `.sql` (the CLI's
/// `--migrations DIR` reads the same files). Other files of a chosen folder are left out.
pub fn is_migration_file(name: &str) -> bool {
    name.ends_with(".sql")
}

/// A history made from chosen files, with what was left out.
#[derive(Debug, Clone)]
pub struct LoadedHistory {
    /// The history.
    pub history: History,
    /// How many chosen files were not migration files (not `.sql`) and were left out.
    pub ignored: usize,
}

/// Why chosen files do not make a history. Each names the file(s) at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadError {
    /// Nothing among the chosen files is a migration file.
    #[error(
        "none of the {chosen} chosen files is a migration file (a .sql file as \
         `content-db import-alembic` writes them); choose the .sql files, or the folder holding them. \
         Alembic's own revisions (.py) are made into such files by \
         `content-db import-alembic PROJECT --out DIR`"
    )]
    NoMigrationFiles {
        /// How many files were chosen.
        chosen: usize,
    },
    /// A `.sql` file is not UTF-8 text.
    #[error("{name} is not UTF-8 text, so it cannot be a migration file; choose the .sql files `content-db import-alembic` writes")]
    NotText {
        /// The file.
        name: String,
    },
    /// The down revisions form a cycle: the revisions on or behind it, each with its file.
    #[error("the migration history has a cycle through {}; each revision must revise only older ones", .revisions.join(", "))]
    Cycle {
        /// `id (file)` of each revision on or behind the cycle.
        revisions: Vec<String>,
    },
    /// A file or the history breaks the format's rules (the message names the file).
    #[error(transparent)]
    History(RevisionError),
}

/// Makes a history of `files` (the migration files among the chosen ones); `ignored` is how
/// many other files were chosen with them and left out.
pub fn load_history(files: &[MigrationText], ignored: usize) -> Result<LoadedHistory, LoadError> {
    if files.is_empty() {
        return Err(LoadError::NoMigrationFiles { chosen: ignored });
    }
    let mut revisions = Vec::with_capacity(files.len());
    for file in files {
        let Some(text) = &file.text else {
            return Err(LoadError::NotText {
                name: file.name.clone(),
            });
        };
        revisions.push(super::parse_migration(&file.name, text).map_err(LoadError::History)?);
    }
    // The error of a cycle names only ids: each is named here with the file that declares it.
    let files_by_id: BTreeMap<String, String> = revisions
        .iter()
        .map(|revision| (revision.id.clone(), revision.path.clone()))
        .collect();
    match History::from_revisions(revisions) {
        Ok(history) => Ok(LoadedHistory { history, ignored }),
        Err(RevisionError::Cycle { ids }) => Err(LoadError::Cycle {
            revisions: ids
                .iter()
                .map(|id| format!("{id} ({})", files_by_id.get(id).map_or("?", String::as_str)))
                .collect(),
        }),
        Err(other) => Err(LoadError::History(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, id: &str, down: &str) -> MigrationText {
        MigrationText {
            name: name.to_string(),
            text: Some(format!(
                "-- revision: {id}\n-- down_revision: {down}\n-- message: m {id}\n-- create_date: 2025-01-01 00:00:00\n\n-- migrate:up\nCREATE TABLE t_{id} (x INTEGER);\n\n-- migrate:down\nDROP TABLE t_{id};\n"
            )),
        }
    }

    #[test]
    fn a_chain_of_files_makes_a_history_in_any_order() {
        let files = vec![
            file("app/versions/cccc_third.sql", "cccc", "bbbb"),
            file("app/versions/aaaa_first.sql", "aaaa", ""),
            file("app/versions/bbbb_second.sql", "bbbb", "aaaa"),
        ];
        let loaded = load_history(&files, 2).expect("a valid chain");
        assert_eq!(loaded.ignored, 2);
        let heads: Vec<&str> = loaded
            .history
            .heads()
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(heads, ["cccc"]);
        assert_eq!(loaded.history.revisions().len(), 3);
        assert_eq!(
            loaded.history.get("bbbb").map(|r| r.path.as_str()),
            Some("app/versions/bbbb_second.sql")
        );
    }

    #[test]
    fn only_sql_files_are_migration_files() {
        assert!(is_migration_file("x/aaaa_first.sql"));
        assert!(!is_migration_file("x/env.py"));
        assert!(!is_migration_file("x/aaaa_first.sql.bak"));
        assert!(!is_migration_file("alembic.ini"));
    }

    #[test]
    fn each_refusal_names_the_file() {
        let error =
            |files: Vec<MigrationText>| load_history(&files, 0).expect_err("refused").to_string();
        let duplicate = error(vec![
            file("aaaa_first.sql", "aaaa", ""),
            file("other/aaaa_first.sql", "aaaa", ""),
        ]);
        assert!(
            duplicate.contains("declared twice")
                && duplicate.contains("aaaa_first.sql")
                && duplicate.contains("other/aaaa_first.sql"),
            "{duplicate}"
        );
        let unknown = error(vec![
            file("aaaa_first.sql", "aaaa", ""),
            file("bbbb_second.sql", "bbbb", "zzzz"),
        ]);
        assert!(
            unknown.starts_with("bbbb_second.sql: down_revision zzzz"),
            "{unknown}"
        );
        let cycle = error(vec![
            file("aaaa_first.sql", "aaaa", ""),
            file("bbbb_second.sql", "bbbb", "cccc"),
            file("cccc_third.sql", "cccc", "bbbb"),
            file("dddd_fourth.sql", "dddd", "aaaa"),
        ]);
        assert!(
            cycle.contains("bbbb (bbbb_second.sql), cccc (cccc_third.sql)"),
            "{cycle}"
        );
        let mut no_down = file("aaaa_first.sql", "aaaa", "");
        no_down.text = no_down
            .text
            .map(|text| text.replace("-- migrate:down\n", ""));
        let missing = error(vec![no_down]);
        assert!(
            missing.starts_with("aaaa_first.sql: no `-- migrate:down` line"),
            "{missing}"
        );
        let binary = error(vec![
            file("aaaa_first.sql", "aaaa", ""),
            MigrationText {
                name: "bbbb_image.sql".into(),
                text: None,
            },
        ]);
        assert!(
            binary.starts_with("bbbb_image.sql is not UTF-8"),
            "{binary}"
        );
        let nothing = load_history(&[], 3).expect_err("no .sql file");
        assert_eq!(nothing, LoadError::NoMigrationFiles { chosen: 3 });
        assert!(nothing.to_string().contains("none of the 3 chosen files"));
        assert!(nothing
            .to_string()
            .contains("import-alembic PROJECT --out DIR"));
    }
}
