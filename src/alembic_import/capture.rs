//! What the driver (`driver.py`) reports: the project's revisions as Alembic sees them, and the
//! statements each migration step executed on the scratch database, with copies of the file
//! after each step. Plain serde data, read from the driver's JSON.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The driver's whole answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    /// Set when the driver could not finish; nothing else is then meaningful.
    #[serde(default)]
    pub error: Option<DriverFailure>,
    /// Alembic's version, e.g. `1.20.1`.
    #[serde(default)]
    pub alembic: String,
    /// SQLAlchemy's version.
    #[serde(default)]
    pub sqlalchemy: String,
    /// Every revision, newest first (Alembic's `walk_revisions`).
    #[serde(default)]
    pub revisions: Vec<AlembicRevision>,
    /// The runs: `walk`, `repeat`, then `isolated-<id>` ones.
    #[serde(default)]
    pub runs: Vec<Run>,
}

/// Why the driver stopped.
#[derive(Debug, Clone, Deserialize)]
pub struct DriverFailure {
    /// `no_alembic`, `history`, `env`, `step` or `wrong_database`.
    pub kind: String,
    /// The exception's last line, or Alembic's message.
    pub message: String,
    /// The revision whose step failed (kind `step`).
    #[serde(default)]
    pub revision: Option<String>,
    /// `upgrade` or `downgrade` (kind `step`).
    #[serde(default)]
    pub direction: Option<String>,
    /// The Python traceback, at most its last 4000 characters.
    #[serde(default)]
    pub traceback: Option<String>,
    /// The URL env.py asked for (kind `wrong_database`).
    #[serde(default)]
    pub url: Option<String>,
    /// The Python that ran the driver (kind `no_alembic`).
    #[serde(default)]
    pub python: Option<String>,
}

/// One revision script as Alembic loaded it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AlembicRevision {
    /// The revision id.
    pub id: String,
    /// `down_revision`, in declared order (two or more for a merge).
    pub down: Vec<String>,
    /// `depends_on`: not expressible in content-db's format.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// `branch_labels`.
    #[serde(default)]
    pub branch_labels: Vec<String>,
    /// The module docstring, stripped (Alembic's `Script.longdoc`).
    pub longdoc: String,
    /// The script's path inside the script location, e.g. `versions/4f2a…_initial.py`.
    pub path: String,
    /// The docstring of `upgrade()`.
    #[serde(default)]
    pub upgrade_doc: String,
    /// The docstring of `downgrade()`.
    #[serde(default)]
    pub downgrade_doc: String,
}

/// One scratch database taken through migration steps.
#[derive(Debug, Clone, Deserialize)]
pub struct Run {
    /// `walk` (upgrade heads, then downgrade base, with snapshots), `repeat` (the same without
    /// snapshots) or `isolated-<id>` (upgrade to the revision, then its downgrade, with snapshots).
    pub name: String,
    /// The steps, in the order they ran.
    pub steps: Vec<CapturedStep>,
}

/// One migration step and what it executed.
#[derive(Debug, Clone, Deserialize)]
pub struct CapturedStep {
    /// The revision whose function ran.
    pub revision: String,
    /// `upgrade` or `downgrade`.
    pub direction: String,
    /// Every statement executed while the function ran, in order.
    pub statements: Vec<Executed>,
    /// A copy of the database after the step (walk and isolated runs).
    #[serde(default)]
    pub snapshot: Option<String>,
    /// Set when the revision's downgrade function raised: the exception's last line.
    #[serde(default)]
    pub failed: Option<String>,
    /// The rows of `alembic_version` after the step (after a failed downgrade: the rows Alembic
    /// would hold, from which the walk went on with a new file).
    #[serde(default)]
    pub heads: Vec<String>,
}

impl CapturedStep {
    /// Whether this is an upgrade step.
    pub fn is_upgrade(&self) -> bool {
        self.direction == "upgrade"
    }
}

/// One statement as SQLAlchemy handed it to the cursor.
#[derive(Debug, Clone, Deserialize)]
pub struct Executed {
    /// The SQL with its placeholders.
    pub sql: String,
    /// The bound values: one set, or one per row for an `executemany`.
    pub params: Params,
    /// Whether it returned a result set.
    pub rows: bool,
}

/// The parameters of one execution.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Params {
    /// `executemany`: one set per execution.
    Many(Vec<ParamSet>),
    /// A single execution.
    One(ParamSet),
}

impl Params {
    /// The parameter sets in execution order.
    pub fn sets(&self) -> Vec<&ParamSet> {
        match self {
            Params::Many(sets) => sets.iter().collect(),
            Params::One(set) => vec![set],
        }
    }
}

/// The values bound to one execution.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum ParamSet {
    /// `?` / `?NNN` values, in order.
    Positional(Vec<Bound>),
    /// `:name` values.
    Named(BTreeMap<String, Bound>),
}

/// One bound value as the sqlite3 module would bind it; numbers travel as their Python text so
/// that nothing is rounded on the way.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "t", content = "v", rename_all = "lowercase")]
pub enum Bound {
    /// `None`.
    Null,
    /// An integer (booleans are 1 / 0), as decimal text.
    Int(String),
    /// A float, as Python's `repr` (`0.1`, `1e-05`, `inf`, `nan`).
    Real(String),
    /// Text (dates and datetimes already as the text SQLAlchemy's SQLite dialect stores).
    Text(String),
    /// Bytes, as lower-case hex.
    Blob(String),
    /// Anything else: type and `repr`.
    Unknown(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_drivers_json() {
        let json = r#"{"alembic": "1.20.1", "sqlalchemy": "2.1", "revisions": [
            {"id": "a1", "down": [], "longdoc": "first", "path": "versions/a1_first.py"}],
          "runs": [{"name": "walk", "steps": [{"revision": "a1", "direction": "upgrade",
            "heads": ["a1"], "snapshot": "/tmp/x.db", "statements": [
              {"sql": "INSERT INTO t VALUES (?, ?)", "many": true, "rows": false,
               "params": [{"positional": [{"t": "int", "v": "1"}, {"t": "null"}]},
                          {"positional": [{"t": "real", "v": "0.5"}, {"t": "text", "v": "x"}]}]},
              {"sql": "UPDATE t SET a = :a", "many": false, "rows": false,
               "params": {"named": {"a": {"t": "blob", "v": "00"}}}}]}]}]}"#;
        let report: Report = serde_json::from_str(json).expect("parses");
        let step = &report.runs[0].steps[0];
        assert!(step.is_upgrade());
        assert_eq!(
            step.statements[0].params.sets(),
            vec![
                &ParamSet::Positional(vec![Bound::Int("1".into()), Bound::Null]),
                &ParamSet::Positional(vec![Bound::Real("0.5".into()), Bound::Text("x".into())]),
            ]
        );
        assert!(matches!(
            step.statements[1].params,
            Params::One(ParamSet::Named(_))
        ));
        assert!(report.error.is_none());
    }
}
