//! A database built by replaying the migrations: the reference the insight features compare a
//! file with (baseline inference, revision diffs, the schema before and after each step of a
//! downgrade). Built the same way as `expected_schema_at`, but handed back whole.

use crate::db::{version_table, Database, DbError};
use crate::revision::{History, Plan};

impl Database {
    /// A new in-memory database upgraded to each of `revisions` in turn (as `alembic upgrade REV`
    /// would), with an `alembic_version` table even when `revisions` is empty.
    pub fn replayed(history: &History, revisions: &[String]) -> Result<Database, crate::Error> {
        let mut database = Database::new_empty()?;
        version_table::ensure(&database.conn).map_err(DbError::from)?;
        for revision in revisions {
            let current = database.current_versions()?;
            let plan = history.plan_upgrade(&current, revision)?;
            database.apply(history, &plan, |_| {})?;
        }
        Ok(database)
    }

    /// Applies `plan` one step at a time, calling `after_step` with the database after each
    /// (so a caller can read the schema between steps).
    pub(crate) fn apply_stepwise(
        &mut self,
        history: &History,
        plan: &Plan,
        mut after_step: impl FnMut(&Database, usize) -> Result<(), crate::Error>,
    ) -> Result<(), crate::Error> {
        for (index, step) in plan.steps.iter().enumerate() {
            let single = Plan {
                steps: vec![step.clone()],
                versions_before: Vec::new(),
                versions_after: Vec::new(),
            };
            self.apply(history, &single, |_| {})?;
            after_step(self, index)?;
        }
        Ok(())
    }
}
