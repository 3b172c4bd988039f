//! The schema at one state of the history against another (or against the open file): the
//! changes in words and the SQL that goes from one to the other (the migration sections along
//! the path `History::plan_between` finds).

use crate::db::Database;
use crate::revision::{render_sql, History, Plan};
use crate::schema::{diff, Difference};
use serde::Serialize;

/// From one state to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionDiff {
    /// The rows of the starting state (empty: base).
    pub from: Vec<String>,
    /// The rows of the end state.
    pub to: Vec<String>,
    /// What changes, as `diff(from, to)` (word it with `schema::describe_change`).
    pub changes: Vec<Difference>,
    /// The plans along the path (a downgrade to the common revisions, then upgrades).
    pub plans: Vec<Plan>,
    /// Their SQL, as `--sql` prints it.
    pub sql: String,
}

impl Database {
    /// The difference between the replayed schemas of two states and the SQL between them.
    pub fn diff_states(
        history: &History,
        from: &[String],
        to: &[String],
    ) -> Result<RevisionDiff, crate::Error> {
        let before = Database::replayed(history, from)?.schema()?;
        let after = Database::replayed(history, to)?.schema()?;
        path(history, from, to, diff(&before, &after))
    }

    /// The difference between this file and the replayed schema of the state `to`, and the SQL
    /// from the file's recorded revisions to it (none when the file records no known revision).
    pub fn diff_file_with(
        &self,
        history: &History,
        to: &[String],
    ) -> Result<RevisionDiff, crate::Error> {
        let after = Database::replayed(history, to)?.schema()?;
        let changes = diff(&self.schema()?, &after);
        let from = self.current_versions()?;
        // With no alembic_version, or rows this history does not know, there is no revision
        // to start the SQL from (`baseline` finds one): the changes alone are returned.
        let known = from.iter().all(|id| history.get(id).is_some());
        if !self.is_versioned()? || !known {
            return Ok(RevisionDiff {
                from,
                to: to.to_vec(),
                changes,
                plans: Vec::new(),
                sql: String::new(),
            });
        }
        path(history, &from, to, changes)
    }
}

/// Fills in the plans and SQL from `from` to `to`.
fn path(
    history: &History,
    from: &[String],
    to: &[String],
    changes: Vec<Difference>,
) -> Result<RevisionDiff, crate::Error> {
    let plans = history.plan_between(from, to)?;
    let sql = plans
        .iter()
        .map(|plan| render_sql(history, plan, false))
        .collect::<String>();
    Ok(RevisionDiff {
        from: from.to_vec(),
        to: to.to_vec(),
        changes,
        plans,
        sql,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::describe_change;

    #[test]
    fn sibling_branches_differ_in_both_tables() {
        let history = History::embedded().expect("history");
        let diff = Database::diff_states(
            history,
            &["c3e7a1d9f482".to_string()],
            &["d5f0b2c8e614".to_string()],
        )
        .expect("diff");
        let texts: Vec<String> = diff.changes.iter().map(describe_change).collect();
        assert!(
            texts.contains(&"posts: column `user_id INTEGER` removed".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"oauth_tokens: column `user_email VARCHAR(255)` added".to_string()),
            "{texts:?}"
        );
        assert!(diff
            .sql
            .contains("Running downgrade c3e7a1d9f482 -> b81d3e5f0a27"));
        assert!(diff
            .sql
            .contains("Running upgrade b81d3e5f0a27 -> d5f0b2c8e614"));
        let same = Database::diff_states(history, &diff.to, &diff.to).expect("diff");
        assert!(same.changes.is_empty() && same.sql.is_empty());
    }

    #[test]
    fn an_unversioned_file_gets_changes_but_no_sql() {
        let history = History::embedded().expect("history");
        let head = vec!["0a6c9e3f5b71".to_string()];
        let database = Database::replayed(history, &head).expect("replay");
        database
            .connection()
            .execute_batch("DROP TABLE alembic_version")
            .expect("drop");
        let diff = database
            .diff_file_with(history, &["f17b8d2e4c90".to_string()])
            .expect("diff");
        let texts: Vec<String> = diff.changes.iter().map(describe_change).collect();
        assert!(
            texts.contains(&"posts: column `scheduled_at DATETIME` removed".to_string()),
            "{texts:?}"
        );
        assert!(diff.sql.is_empty() && diff.plans.is_empty());
    }
}
