//! The revision graph: ContentEngine's migration history as plain data, and every Alembic rule
//! about it (heads, bases, branch and merge points, target resolution, step order, and the
//! `alembic_version` rows before and after each step). Pure Rust: no SQLite, no UI.

mod error;
mod parse;
mod plan;
mod target;

pub use error::RevisionError;
pub use parse::parse_migration;
pub use plan::{Direction, Plan, Step, VersionOp};

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

/// The whole migration history: a DAG of [`Revision`]s with Alembic's queries over it.
#[derive(Debug, Clone)]
pub struct History {
    revisions: Vec<Revision>,
}

impl History {
    /// Builds the graph, refusing duplicate ids, unknown down revisions and cycles.
    pub fn from_revisions(revisions: Vec<Revision>) -> Result<History, RevisionError> {
        let _ = revisions;
        todo!("revision helper")
    }

    /// The history embedded from `migrations/` (parsed once).
    pub fn embedded() -> Result<&'static History, RevisionError> {
        todo!("revision helper")
    }

    /// Builds the history from `(path, text)` pairs of migration files (e.g. a directory read at
    /// run time by the CLI's `--migrations DIR`).
    pub fn from_files(files: &[(&str, &str)]) -> Result<History, RevisionError> {
        let _ = files;
        todo!("revision helper")
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.revisions.iter().find(|revision| revision.id == id)
    }

    /// The heads (revisions nothing revises), in Alembic's order.
    pub fn heads(&self) -> Vec<&Revision> {
        todo!("revision helper")
    }

    /// The steps of `alembic upgrade TARGET` from the `current` rows of `alembic_version`.
    pub fn plan_upgrade(&self, current: &[String], target: &str) -> Result<Plan, RevisionError> {
        let _ = (current, target);
        todo!("revision helper")
    }

    /// The steps of `alembic downgrade TARGET` from the `current` rows of `alembic_version`.
    pub fn plan_downgrade(&self, current: &[String], target: &str) -> Result<Plan, RevisionError> {
        let _ = (current, target);
        todo!("revision helper")
    }

    /// `alembic stamp [--purge] TARGET`: version rows only, no SQL runs.
    pub fn plan_stamp(
        &self,
        current: &[String],
        target: &str,
        purge: bool,
    ) -> Result<Plan, RevisionError> {
        let _ = (current, target, purge);
        todo!("revision helper")
    }

    /// Every revision, in file-name order.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }
}
