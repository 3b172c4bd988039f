//! What a file's `alembic_version` rows and tables say about its state, in words. The one place
//! these sentences are written: the CLI (`current`, and its refusals before a migration) and the
//! page (the status line, the notices, the refusals) print them as they are, so the same file
//! gets the same explanation in both. Only the way out ("type …" or "tick …") is each front
//! end's own, added after the sentence.
//!
//! [`FileFacts`] is what the database layer reads; [`Diagnosis::of`] judges it against a
//! [`History`]: rows no plan can start from ([`RowsProblem`]), the status in one line
//! ([`Diagnosis::status`]) and, for a file that records no revision, what that means
//! ([`Diagnosis::notice`]).

use thiserror::Error;

use crate::db::{Database, DbError};
use crate::revision::{History, RevisionError};

/// The target of "upgrade to head" in both front ends' status: `heads` rather than `head`, so
/// that a history with two heads has an answer too (the same steps as `head` otherwise).
pub const UPGRADE_TARGET: &str = "heads";

/// How many table names a sentence lists before "and N more".
const TABLES_SHOWN: usize = 8;

/// What a file holds that tells its state, as the database layer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// How the file is named to the user: its path (CLI) or its name (page).
    pub name: String,
    /// Whether it has an `alembic_version` table.
    pub versioned: bool,
    /// The rows of `alembic_version`, in table order.
    pub rows: Vec<String>,
    /// Its tables other than `alembic_version` (SQLite's own are never listed), by name.
    pub tables: Vec<String>,
}

impl FileFacts {
    /// Reads the facts of `database`, which the user knows as `name`.
    pub fn read(name: impl Into<String>, database: &Database) -> Result<FileFacts, DbError> {
        Ok(FileFacts {
            name: name.into(),
            versioned: database.is_versioned()?,
            rows: database.current_versions()?,
            tables: database
                .schema()?
                .tables
                .into_keys()
                .filter(|name| !name.eq_ignore_ascii_case("alembic_version"))
                .collect(),
        })
    }
}

/// Rows of `alembic_version` no plan can start from. Only a stamp that replaces every row
/// (Alembic's `stamp --purge`) moves a file out of them.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowsProblem {
    /// The same revision is recorded twice (possible only in a hand-made table).
    #[error(
        "{file}'s alembic_version holds {id} twice, which Alembic's own table cannot (version_num \
         is its primary key), so no step could tell which row to change"
    )]
    Repeated {
        /// The file.
        file: String,
        /// The revision recorded twice.
        id: String,
    },
    /// A row names a revision this history does not have.
    #[error(
        "Can't locate revision identified by '{}': {file}'s alembic_version holds {}, which is \
         not in this migration history (its newest revision is {}). Either the file was migrated \
         by a newer ContentEngine than this build of content-db knows, or it belongs to another \
         application",
        .ids.join(", "), .ids.join(", "), .heads.join(", ")
    )]
    Unknown {
        /// The file.
        file: String,
        /// The rows the history does not have.
        ids: Vec<String>,
        /// The history's heads.
        heads: Vec<String>,
    },
    /// A row is an ancestor of another row.
    #[error(
        "{file}'s alembic_version holds both {descendant} and {ancestor}, but {ancestor} is an \
         ancestor of {descendant}: a database is at several revisions only while they are heads \
         of separate branches, so one row is left over from an interrupted or hand-made change"
    )]
    Overlapping {
        /// The file.
        file: String,
        /// The row that is an ancestor of the other.
        ancestor: String,
        /// The row that descends from it.
        descendant: String,
    },
}

impl RowsProblem {
    /// The first problem of `rows` (a repeat, then an unknown revision, then an overlap), if any.
    pub fn check(history: &History, file: &str, rows: &[String]) -> Result<(), RowsProblem> {
        if let Some((_, id)) = rows
            .iter()
            .enumerate()
            .find(|(at, id)| rows[..*at].contains(id))
        {
            return Err(RowsProblem::Repeated {
                file: file.to_string(),
                id: id.clone(),
            });
        }
        let unknown: Vec<String> = rows
            .iter()
            .filter(|id| history.get(id).is_none())
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(RowsProblem::Unknown {
                file: file.to_string(),
                ids: unknown,
                heads: heads(history),
            });
        }
        match history.overlapping_rows(rows) {
            None => Ok(()),
            Some((ancestor, descendant)) => Err(RowsProblem::Overlapping {
                file: file.to_string(),
                ancestor,
                descendant,
            }),
        }
    }

    /// The status line of a file with these rows.
    fn status(&self) -> String {
        match self {
            RowsProblem::Repeated { id, .. } => {
                format!(
                    "Repeated: alembic_version holds {id} twice. Nothing can be planned from it."
                )
            }
            RowsProblem::Unknown { ids, heads, .. } => format!(
                "Unknown revision {}: not in the migration history in use (its head is {}), so \
                 the file is ahead of it or from another application. Nothing can be planned from it.",
                ids.join(", "),
                heads.join(", ")
            ),
            RowsProblem::Overlapping {
                ancestor,
                descendant,
                ..
            } => format!(
                "Inconsistent: alembic_version holds both {descendant} and {ancestor}, but \
                 {ancestor} is an ancestor of {descendant}. Nothing can be planned from it."
            ),
        }
    }
}

/// What a file's facts mean against a history.
#[derive(Debug)]
pub struct Diagnosis {
    /// The facts judged.
    pub facts: FileFacts,
    /// The history's heads.
    pub heads: Vec<String>,
    /// Rows no plan can start from.
    pub problem: Option<RowsProblem>,
    /// The log lines of the steps an upgrade to [`UPGRADE_TARGET`] would run (none when
    /// `problem` is set), or why the planner refuses it.
    pub pending: Result<Vec<String>, RevisionError>,
}

impl Diagnosis {
    /// Judges `facts` against `history`.
    pub fn of(history: &History, facts: FileFacts) -> Diagnosis {
        let problem = RowsProblem::check(history, &facts.name, &facts.rows).err();
        let pending = match problem {
            Some(_) => Ok(Vec::new()),
            None => history
                .plan_upgrade(&facts.rows, UPGRADE_TARGET)
                .map(|plan| plan.steps.into_iter().map(|step| step.log_line).collect()),
        };
        Diagnosis {
            heads: heads(history),
            problem,
            pending,
            facts,
        }
    }

    /// The state in one line, e.g. `3 steps behind head (0a6c9e3f5b71).`
    pub fn status(&self, history: &History) -> String {
        if let Some(problem) = &self.problem {
            return problem.status();
        }
        let head = self.heads.join(", ");
        let pending = match &self.pending {
            Ok(steps) => steps.len(),
            Err(error) => return format!("Cannot be upgraded to head ({head}): {error}."),
        };
        let behind = format!(
            "{pending} step{} behind head ({head})",
            if pending == 1 { "" } else { "s" }
        );
        let rows = &self.facts.rows;
        if !self.facts.versioned {
            return format!(
                "Not versioned: the file has no alembic_version table, so it counts as base; \
                 {behind}."
            );
        }
        if pending == 0 {
            return format!("Up to date: at head ({head}).");
        }
        match rows.as_slice() {
            [] => format!("Empty (base): {behind}."),
            [one] if on_a_branch(history, one) => {
                format!("On a branch: at {one} on one side of a branch; {behind}.")
            }
            [_] => format!("{behind}."),
            _ => format!(
                "On a branch: both branches are applied ({}); {behind}.",
                rows.join(", ")
            ),
        }
    }

    /// What it means that the file records no revision (no `alembic_version` table, or an
    /// empty one), when that needs saying; `None` for a file at some revision and for a new,
    /// empty file. A front end adds its way to stamp after [`Diagnosis::needs_stamp`] ones.
    pub fn notice(&self) -> Option<String> {
        let facts = &self.facts;
        if !facts.rows.is_empty() {
            return None;
        }
        let name = &facts.name;
        let tables = some_of(&facts.tables, TABLES_SHOWN, ", ");
        match (facts.versioned, facts.tables.is_empty()) {
            (false, true) => None,
            (false, false) => Some(format!(
                "{name} has no alembic_version table: Alembic has never recorded a revision in \
                 it, but it already has tables: {tables}. Upgrading would fail at the first \
                 table that exists."
            )),
            (true, true) => Some(format!(
                "{name} is at base (its alembic_version is empty): no migration applied."
            )),
            (true, false) => Some(format!(
                "{name} is at base (its alembic_version is empty) but already has tables: \
                 {tables}. Upgrading from base would fail at the first table that exists."
            )),
        }
    }

    /// Whether the file has tables but records no revision: the way on is to record the
    /// revision its schema is at (a stamp), not to upgrade.
    pub fn needs_stamp(&self) -> bool {
        self.facts.rows.is_empty() && !self.facts.tables.is_empty()
    }
}

/// The history's heads, by id.
fn heads(history: &History) -> Vec<String> {
    history.heads().iter().map(|rev| rev.id.clone()).collect()
}

/// The revisions `id` descends from (itself excluded).
fn ancestors(history: &History, id: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut todo = vec![id.to_string()];
    while let Some(next) = todo.pop() {
        if let Some(revision) = history.get(&next) {
            for down in &revision.down_revisions {
                if !seen.contains(down) {
                    seen.push(down.clone());
                    todo.push(down.clone());
                }
            }
        }
    }
    seen
}

/// True when some revision is neither before nor after `id`: it sits on one side of a branch.
fn on_a_branch(history: &History, id: &str) -> bool {
    let before = ancestors(history, id);
    history.revisions().iter().any(|other| {
        other.id != id
            && !before.contains(&other.id)
            && !ancestors(history, &other.id).iter().any(|a| a == id)
    })
}

/// The first `shown` of `items` joined by `separator`, then " and N more" for the rest.
pub fn some_of(items: &[String], shown: usize, separator: &str) -> String {
    let mut text = items
        .iter()
        .take(shown)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(separator);
    if items.len() > shown {
        text.push_str(&format!(" and {} more", items.len() - shown));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(versioned: bool, rows: &[&str], tables: &[&str]) -> FileFacts {
        FileFacts {
            name: "content.db".into(),
            versioned,
            rows: rows.iter().map(|s| s.to_string()).collect(),
            tables: tables.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn diagnose(versioned: bool, rows: &[&str], tables: &[&str]) -> (String, Option<String>) {
        let history = History::embedded().expect("history");
        let diagnosis = Diagnosis::of(history, facts(versioned, rows, tables));
        (diagnosis.status(history), diagnosis.notice())
    }

    #[test]
    fn every_state_has_its_status_line() {
        let history = History::embedded().expect("history");
        let head = heads(history).join(", ");
        let all = history.revisions().len();
        let status = |versioned, rows: &[&str]| diagnose(versioned, rows, &[]).0;
        assert_eq!(
            status(false, &[]),
            format!(
                "Not versioned: the file has no alembic_version table, so it counts as base; \
                 {all} steps behind head ({head})."
            )
        );
        assert_eq!(
            status(true, &[]),
            format!("Empty (base): {all} steps behind head ({head}).")
        );
        assert_eq!(
            status(true, &[&head]),
            format!("Up to date: at head ({head}).")
        );
        assert!(status(true, &["c3e7a1d9f482", "d5f0b2c8e614"])
            .starts_with("On a branch: both branches are applied (c3e7a1d9f482, d5f0b2c8e614); "));
        assert!(status(true, &["c3e7a1d9f482"]).starts_with("On a branch: at c3e7a1d9f482 "));
        let root = history.bases()[0].id.clone();
        assert_eq!(
            status(true, &[&root]),
            format!("{} steps behind head ({head}).", all - 1)
        );
        let unknown = status(true, &["ffffffffffff"]);
        assert!(
            unknown.starts_with("Unknown revision ffffffffffff: ")
                && unknown.contains("not in the migration history in use")
                && unknown.contains("ahead of it or from another application"),
            "{unknown}"
        );
        assert!(status(true, &[&root, &root])
            .starts_with(&format!("Repeated: alembic_version holds {root} twice.")));
        assert!(status(true, &["b81d3e5f0a27", "c3e7a1d9f482"]).starts_with(
            "Inconsistent: alembic_version holds both c3e7a1d9f482 and b81d3e5f0a27, but \
             b81d3e5f0a27 is an ancestor of c3e7a1d9f482."
        ));
    }

    #[test]
    fn rows_problems_come_in_order_and_name_the_file() {
        let history = History::embedded().expect("history");
        let check = |rows: &[&str]| {
            let rows: Vec<String> = rows.iter().map(|s| s.to_string()).collect();
            RowsProblem::check(history, "x.db", &rows)
        };
        assert_eq!(check(&[]), Ok(()));
        assert_eq!(check(&["c3e7a1d9f482", "d5f0b2c8e614"]), Ok(()));
        let repeated = check(&["ffffffffffff", "ffffffffffff"]).unwrap_err();
        assert!(matches!(repeated, RowsProblem::Repeated { ref id, .. } if id == "ffffffffffff"));
        let unknown = check(&["ffffffffffff"]).unwrap_err().to_string();
        assert!(
            unknown.starts_with("Can't locate revision identified by 'ffffffffffff': x.db's"),
            "{unknown}"
        );
        let overlap = check(&["b81d3e5f0a27", "c3e7a1d9f482"]).unwrap_err();
        assert!(
            matches!(overlap, RowsProblem::Overlapping { .. }),
            "{overlap}"
        );
    }

    #[test]
    fn notices_are_for_files_that_record_no_revision() {
        assert_eq!(
            diagnose(false, &[], &[]).1,
            None,
            "a new, empty file needs no remark"
        );
        assert_eq!(diagnose(true, &["4f2a9c1e7b3d"], &["posts"]).1, None);
        let many = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        insta::assert_snapshot!([
            diagnose(false, &[], &["posts", "users"]).1,
            diagnose(true, &[], &[]).1,
            diagnose(true, &[], &many).1,
        ]
        .map(|notice| notice.expect("a notice"))
        .join("\n"));
    }

    #[test]
    fn some_of_counts_what_it_leaves_out() {
        let items: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        assert_eq!(some_of(&items, 3, ", "), "a, b, c and 1 more");
        assert_eq!(some_of(&items, 4, "; "), "a; b; c; d");
    }
}

#[cfg(all(test, feature = "cli"))]
mod both_front_ends;
