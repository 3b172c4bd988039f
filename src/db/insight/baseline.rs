//! Baseline inference: for a file with no `alembic_version` (or rows this history does not
//! know), which state of the history its schema is. Every state (`History::states`: base, each
//! revision, each set of branch heads) is replayed and compared with the file, ignoring
//! `alembic_version` itself; exact matches first, then the closest with their differences.

use crate::db::Database;
use crate::revision::History;
use crate::schema::{diff, Difference, Schema};
use serde::Serialize;

/// One state of the history and how the file differs from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The `alembic_version` rows of the state (empty: base).
    pub revisions: Vec<String>,
    /// How the file differs from the replayed schema (empty: an exact match), worded as drift.
    pub differences: Vec<Difference>,
}

/// Every state of the history, best match first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Baseline {
    /// Candidates by number of differences; among equals, furthest along the history first.
    pub candidates: Vec<Candidate>,
}

impl Baseline {
    /// The states the file matches exactly, best first (a merge and its parents share a schema).
    pub fn exact(&self) -> Vec<&Candidate> {
        self.candidates
            .iter()
            .filter(|candidate| candidate.differences.is_empty())
            .collect()
    }

    /// The best candidate (exact if any), `None` only for a history with no states.
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }
}

impl Database {
    /// Replays every state of `history` and ranks them against this file's schema.
    pub fn infer_baseline(&self, history: &History) -> Result<Baseline, crate::Error> {
        let actual = self.schema()?;
        let mut replayed = Vec::new();
        for state in history.states() {
            let schema = Database::replayed(history, &state)?.schema()?;
            replayed.push((state, schema));
        }
        Ok(rank(&actual, replayed))
    }
}

/// Ranks `(state, schema)` pairs (given in preference order) by their differences from `actual`,
/// `alembic_version` left out on both sides.
fn rank(actual: &Schema, replayed: Vec<(Vec<String>, Schema)>) -> Baseline {
    let actual = without_version_table(actual);
    let mut candidates: Vec<Candidate> = replayed
        .into_iter()
        .map(|(revisions, schema)| Candidate {
            revisions,
            differences: diff(&without_version_table(&schema), &actual),
        })
        .collect();
    // Stable: equal counts keep the history's preference order.
    candidates.sort_by_key(|candidate| candidate.differences.len());
    Baseline { candidates }
}

/// `schema` without the `alembic_version` table and rows.
fn without_version_table(schema: &Schema) -> Schema {
    let mut stripped = schema.clone();
    stripped.tables.remove("alembic_version");
    stripped.alembic_version = None;
    stripped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::History;

    fn history() -> &'static History {
        History::embedded().expect("embedded history")
    }

    fn unversioned_at(revisions: &[&str]) -> Database {
        let rows: Vec<String> = revisions.iter().map(|r| r.to_string()).collect();
        let database = Database::replayed(history(), &rows).expect("replay");
        database
            .connection()
            .execute_batch("DROP TABLE alembic_version")
            .expect("drop");
        database
    }

    #[test]
    fn recognizes_every_revision_exactly() {
        for revision in history().revisions() {
            let baseline = unversioned_at(&[&revision.id])
                .infer_baseline(history())
                .expect("infer");
            let exact: Vec<&Vec<String>> = baseline.exact().iter().map(|c| &c.revisions).collect();
            assert!(
                exact.contains(&&vec![revision.id.clone()]),
                "{}: {exact:?}",
                revision.id
            );
        }
        let empty = Database::new_empty().expect("new");
        let baseline = empty.infer_baseline(history()).expect("infer");
        assert_eq!(
            baseline.best().expect("a state").revisions,
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_drifted_file_gets_the_closest_with_differences() {
        let database = unversioned_at(&["0a6c9e3f5b71"]);
        database
            .connection()
            .execute_batch("ALTER TABLE posts ADD COLUMN foo TEXT")
            .expect("drift");
        let baseline = database.infer_baseline(history()).expect("infer");
        assert!(baseline.exact().is_empty());
        let best = baseline.best().expect("a state");
        assert_eq!(best.revisions, vec!["0a6c9e3f5b71".to_string()]);
        assert_eq!(best.differences.len(), 1);
        assert_eq!(
            best.differences[0].to_string(),
            "posts has an extra column `foo TEXT`"
        );
    }
}
