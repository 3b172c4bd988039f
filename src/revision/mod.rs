//! The revision graph: ContentEngine's migration history as plain data, and every Alembic rule
//! about it (heads, bases, branch and merge points, target resolution, step order, and the
//! `alembic_version` rows before and after each step). Pure Rust: no SQLite, no UI.
//!
//! The rules are those of Alembic 1.20's `alembic/script/revision.py` (`RevisionMap`),
//! `runtime/migration.py` (`HeadMaintainer`) and `script/base.py`, re-derived here and checked
//! against real Alembic by `tests/alembic_random_graph.rs`:
//! - [`parse`](parse_migration): the migration file format → [`Revision`];
//! - `graph`: ancestors, descendants, Alembic's topological sort (why `upgrade head` runs
//!   d5f0b2c8e614 before c3e7a1d9f482), cycle detection;
//! - `target`: `head`, `heads`, `base`, ids, prefixes, `+N`, `-N`, `REV+N`, `REV-N`;
//! - `collect` / `stamp`: which revisions a command touches; `plan`: them as ordered [`Step`]s;
//! - `maintainer`: the `alembic_version` INSERT / UPDATE / DELETE of each step;
//! - `load`: a history made from files chosen at run time (the page), refusals named by file;
//! - [`format`](mod@format): the text of `current`, `heads`, `history`; [`render_sql`]: a plan as SQL.
//!
//! Where Alembic's own result depends on Python's set order (which row a merge UPDATEs,
//! the order of rows an unmerge INSERTs, `Branches into:`), the declared / file order is used.

mod collect;
mod error;
pub mod format;
mod graph;
mod layout;
mod load;
mod maintainer;
mod parse;
mod plan;
mod sql;
mod stamp;
mod states;
mod target;

pub use error::RevisionError;
pub use layout::{GraphLayout, GraphNode};
pub use load::{is_migration_file, load_history, LoadError, LoadedHistory, MigrationText};
pub use parse::{file_stem, parse_migration};
pub use plan::{Direction, Plan, Step, VersionOp};
pub use sql::{render_sql, version_statement};
pub use states::MAX_STATES;

use std::collections::HashMap;
use std::sync::OnceLock;

/// The line that marks a downgrade section irreversible: `-- irreversible: <why>`.
pub const IRREVERSIBLE_MARK: &str = "-- irreversible:";

/// One migration: what Alembic calls a revision script, parsed from a file of `migrations/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Revision {
    /// The revision id, e.g. `4f2a9c1e7b3d`.
    pub id: String,
    /// The ids this revision revises: none for a base, two or more for a merge.
    pub down_revisions: Vec<String>,
    /// The one-line message (`alembic revision -m`).
    pub message: String,
    /// `Create Date` as Alembic wrote it, e.g. `2025-01-06 09:12:44.118203`.
    pub create_date: String,
    /// Free text after the header (Alembic's docstring body), lines without the `-- ` prefix.
    pub description: String,
    /// SQL of the upgrade section, as written.
    pub upgrade_sql: String,
    /// SQL of the downgrade section, as written.
    pub downgrade_sql: String,
    /// The file it came from, e.g. `migrations/4f2a9c1e7b3d_initial_posts_and_oauth_tokens.sql`.
    pub path: String,
}

impl Revision {
    /// The docstring Alembic would have written for this revision (its `Script.longdoc`): the
    /// message, the `Revision ID` / `Revises` / `Create Date` lines, then the description.
    pub fn longdoc(&self) -> String {
        let revises = if self.down_revisions.is_empty() {
            "Revises:".to_string()
        } else {
            format!("Revises: {}", self.down_revisions.join(", "))
        };
        let mut doc = format!(
            "{}\n\nRevision ID: {}\n{revises}\nCreate Date: {}",
            self.message, self.id, self.create_date
        );
        if !self.description.is_empty() {
            doc.push_str("\n\n");
            doc.push_str(&self.description);
        }
        doc.trim().to_string()
    }

    /// Why the downgrade cannot run, when its section has a `-- irreversible: <why>` line (the
    /// importer writes one for a downgrade that raises in Alembic); the planner then refuses to
    /// downgrade past this revision.
    pub fn irreversible(&self) -> Option<&str> {
        self.downgrade_sql
            .lines()
            .find_map(|line| line.trim().strip_prefix(IRREVERSIBLE_MARK).map(str::trim))
    }

    /// The first paragraph of [`Revision::longdoc`] (Alembic's `Script.doc`), normally the message.
    pub fn doc(&self) -> String {
        let longdoc = self.longdoc();
        longdoc.split("\n\n").next().unwrap_or_default().to_string()
    }
}

/// The whole migration history: a DAG of [`Revision`]s with Alembic's queries over it.
///
/// Revisions are kept in file-name order, which is the order Alembic loads them in and the order
/// its `RevisionMap` uses to break ties (heads, bases, the topological sort of steps).
#[derive(Debug, Clone)]
pub struct History {
    revisions: Vec<Revision>,
    index: HashMap<String, usize>,
    /// `down_revisions` as indices, in declared order.
    parents: Vec<Vec<usize>>,
    /// Revisions that revise each one (Alembic's `nextrev`), in file-name order.
    children: Vec<Vec<usize>>,
    heads: Vec<usize>,
    bases: Vec<usize>,
}

impl History {
    /// Builds the graph, refusing duplicate ids, unknown down revisions and cycles.
    pub fn from_revisions(mut revisions: Vec<Revision>) -> Result<History, RevisionError> {
        // Alembic lists each versions directory sorted by file name; that order breaks ties.
        revisions.sort_by(|a, b| file_name(&a.path).cmp(file_name(&b.path)));
        let mut index = HashMap::new();
        for (position, revision) in revisions.iter().enumerate() {
            if let Some(first) = index.insert(revision.id.clone(), position) {
                return Err(RevisionError::DuplicateRevision {
                    id: revision.id.clone(),
                    first: revisions[first].path.clone(),
                    second: revision.path.clone(),
                });
            }
        }
        let mut parents = Vec::with_capacity(revisions.len());
        for revision in &revisions {
            if revision.down_revisions.contains(&revision.id) {
                return Err(RevisionError::Cycle {
                    ids: vec![revision.id.clone()],
                });
            }
            let mut ids = Vec::new();
            for down in &revision.down_revisions {
                let Some(&parent) = index.get(down) else {
                    return Err(RevisionError::UnknownDownRevision {
                        file: revision.path.clone(),
                        missing: down.clone(),
                    });
                };
                ids.push(parent);
            }
            parents.push(ids);
        }
        let mut children = vec![Vec::new(); revisions.len()];
        for (child, ids) in parents.iter().enumerate() {
            for &parent in ids {
                children[parent].push(child);
            }
        }
        let heads = (0..revisions.len())
            .filter(|&r| children[r].is_empty())
            .collect();
        let bases: Vec<usize> = (0..revisions.len())
            .filter(|&r| parents[r].is_empty())
            .collect();
        let history = History {
            revisions,
            index,
            parents,
            children,
            heads,
            bases,
        };
        if !history.revisions.is_empty() && history.bases.is_empty() {
            return Err(RevisionError::NoBase);
        }
        history.detect_cycles()?;
        Ok(history)
    }

    /// The history embedded from `migrations/` (parsed once).
    pub fn embedded() -> Result<&'static History, RevisionError> {
        static EMBEDDED: OnceLock<Result<History, RevisionError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                let files: Vec<(String, &str)> = crate::migrations::EMBEDDED_MIGRATIONS
                    .iter()
                    .map(|(name, text)| (format!("migrations/{name}"), *text))
                    .collect();
                let pairs: Vec<(&str, &str)> = files
                    .iter()
                    .map(|(path, text)| (path.as_str(), *text))
                    .collect();
                History::from_files(&pairs)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Builds the history from `(path, text)` pairs of migration files (e.g. a directory read at
    /// run time by the CLI's `--migrations DIR`).
    pub fn from_files(files: &[(&str, &str)]) -> Result<History, RevisionError> {
        let revisions = files
            .iter()
            .map(|(path, text)| parse_migration(path, text))
            .collect::<Result<Vec<_>, _>>()?;
        History::from_revisions(revisions)
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.index
            .get(id)
            .map(|&position| &self.revisions[position])
    }

    /// The migration SQL `step` runs: its revision's upgrade or downgrade section, empty when
    /// the step only stamps; `None` when this history has no such revision.
    pub fn section_sql(&self, step: &Step) -> Option<&str> {
        if !step.run_sql {
            return Some("");
        }
        let revision = self.get(&step.revision)?;
        Some(match step.direction {
            Direction::Upgrade => &revision.upgrade_sql,
            Direction::Downgrade => &revision.downgrade_sql,
        })
    }

    /// The heads (revisions nothing revises), in Alembic's order.
    pub fn heads(&self) -> Vec<&Revision> {
        self.heads.iter().map(|&r| &self.revisions[r]).collect()
    }

    /// The bases (revisions with no down revision), in Alembic's order.
    pub fn bases(&self) -> Vec<&Revision> {
        self.bases.iter().map(|&r| &self.revisions[r]).collect()
    }

    /// Revisions that two or more revisions revise.
    pub fn branchpoints(&self) -> Vec<&Revision> {
        (0..self.revisions.len())
            .filter(|&r| self.children[r].len() > 1)
            .map(|r| &self.revisions[r])
            .collect()
    }

    /// Revisions that revise two or more revisions (merges).
    pub fn mergepoints(&self) -> Vec<&Revision> {
        (0..self.revisions.len())
            .filter(|&r| self.parents[r].len() > 1)
            .map(|r| &self.revisions[r])
            .collect()
    }

    /// The revisions that revise `id` directly (Alembic's `nextrev`), in file-name order.
    pub fn children(&self, id: &str) -> Vec<&Revision> {
        match self.index.get(id) {
            Some(&r) => self.children[r]
                .iter()
                .map(|&c| &self.revisions[c])
                .collect(),
            None => Vec::new(),
        }
    }

    /// Every revision, in file-name order.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// The revision at an internal position.
    fn at(&self, position: usize) -> &Revision {
        &self.revisions[position]
    }

    /// The id at an internal position.
    fn id(&self, position: usize) -> &str {
        &self.revisions[position].id
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    fn ids(revisions: Vec<&Revision>) -> Vec<&str> {
        revisions.into_iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn graph_queries_match_contentengine() {
        let history = contentengine();
        assert_eq!(ids(history.heads()), vec!["0a6c9e3f5b71"]);
        assert_eq!(ids(history.bases()), vec!["4f2a9c1e7b3d"]);
        assert_eq!(ids(history.branchpoints()), vec!["b81d3e5f0a27"]);
        assert_eq!(ids(history.mergepoints()), vec!["e9a4c6b1d358"]);
        assert_eq!(
            ids(history.children("b81d3e5f0a27")),
            vec!["c3e7a1d9f482", "d5f0b2c8e614"]
        );
        assert_eq!(history.revisions().len(), 7);
        assert_eq!(history.revisions()[0].id, "0a6c9e3f5b71", "file-name order");
    }

    #[test]
    fn doc_and_longdoc_follow_alembic_docstrings() {
        let history = contentengine();
        let base = history.get("4f2a9c1e7b3d").expect("base exists");
        assert_eq!(base.doc(), "initial posts and oauth tokens");
        assert_eq!(
            base.longdoc(),
            "initial posts and oauth tokens\n\nRevision ID: 4f2a9c1e7b3d\nRevises:\nCreate Date: 2025-01-06 09:12:44.118203"
        );
        let merge = history.get("e9a4c6b1d358").expect("merge exists");
        assert!(merge
            .longdoc()
            .contains("Revises: c3e7a1d9f482, d5f0b2c8e614"));
    }

    #[test]
    fn history_refusals() {
        let a = rev("aaaa", &[]);
        let dup = Revision {
            path: "migrations/aaaa_again.sql".into(),
            ..rev("aaaa", &[])
        };
        insta::assert_snapshot!(
            "duplicate_id",
            History::from_revisions(vec![a.clone(), dup])
                .expect_err("dup")
                .to_string()
        );
        insta::assert_snapshot!(
            "unknown_down",
            History::from_revisions(vec![a.clone(), rev("bbbb", &["zzzz"])])
                .expect_err("unknown")
                .to_string()
        );
        let cycle = vec![
            a,
            rev("bbbb", &["cccc"]),
            rev("cccc", &["bbbb"]),
            rev("dddd", &["aaaa"]),
        ];
        insta::assert_snapshot!(
            "cycle",
            History::from_revisions(cycle)
                .expect_err("cycle")
                .to_string()
        );
        insta::assert_snapshot!(
            "no_base",
            History::from_revisions(vec![rev("bbbb", &["cccc"]), rev("cccc", &["bbbb"])])
                .expect_err("no base")
                .to_string()
        );
        let self_loop = History::from_revisions(vec![rev("aaaa", &["aaaa"])]).expect_err("loop");
        assert_eq!(
            self_loop,
            RevisionError::Cycle {
                ids: vec!["aaaa".into()]
            }
        );
    }

    #[test]
    fn embedded_history_is_valid() {
        let history = History::embedded().expect("the embedded migrations/ form a valid history");
        assert_eq!(
            history.revisions().len(),
            crate::migrations::EMBEDDED_MIGRATIONS.len()
        );
        for revision in history.revisions() {
            assert!(
                revision.path.starts_with("migrations/"),
                "{}",
                revision.path
            );
        }
    }

    #[test]
    fn from_files_parses_strings() {
        let history = contentengine();
        let files: Vec<(String, String)> = history
            .revisions()
            .iter()
            .map(|r| (r.path.clone(), to_file(r)))
            .collect();
        let pairs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let again = History::from_files(&pairs).expect("round trip");
        assert_eq!(again.revisions(), history.revisions());
    }
}
