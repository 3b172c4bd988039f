//! A plan: the ordered steps from a database's current revisions to a target, with the exact
//! `alembic_version` changes Alembic makes at each step.

/// Which way a step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    /// Runs the revision's upgrade section.
    Upgrade,
    /// Runs the revision's downgrade section.
    Downgrade,
}

/// One change to the rows of `alembic_version`, in Alembic's own terms (rows are updated in
/// place where Alembic updates them, so their order matches a file Alembic wrote).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VersionOp {
    /// `INSERT INTO alembic_version (version_num) VALUES (id)`.
    Insert(String),
    /// `DELETE FROM alembic_version WHERE version_num = id`.
    Delete(String),
    /// `UPDATE alembic_version SET version_num = to WHERE version_num = from`.
    Update {
        /// The row that is replaced.
        from: String,
        /// Its new value.
        to: String,
    },
}

/// One migration to run (or, for a stamp, only version rows to change).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// The revision whose section runs.
    pub revision: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// Run the SQL of the section (false for a stamp: only `version_ops` apply).
    pub run_sql: bool,
    /// The `alembic_version` changes made in the same transaction as the SQL.
    pub version_ops: Vec<VersionOp>,
    /// Alembic's log line for it, e.g. `Running upgrade 4f2a9c1e7b3d -> b81d3e5f0a27, add users and sessions`.
    pub log_line: String,
}

/// Ordered steps from `versions_before` to `versions_after`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// The steps, in the order Alembic runs them.
    pub steps: Vec<Step>,
    /// `alembic_version` rows before the first step.
    pub versions_before: Vec<String>,
    /// `alembic_version` rows after the last step.
    pub versions_after: Vec<String>,
}
