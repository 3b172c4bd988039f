//! The schema the migrations produce at given revisions: they are replayed on a new in-memory
//! database and the result is read back. This is the reference `content-db check` compares a
//! file against, built from the same migration files that migrate it.

use super::Database;
use crate::revision::History;
use crate::schema::Schema;

impl Database {
    /// Replays `history` on an empty database up to `revisions` (each one upgraded to in turn,
    /// as `alembic upgrade REV` would) and returns the resulting schema. With no revisions the
    /// result is what `alembic downgrade base` leaves: only an empty `alembic_version`.
    pub fn expected_schema_at(
        history: &History,
        revisions: &[String],
    ) -> Result<Schema, crate::Error> {
        let mut database = Database::new_empty()?;
        super::version_table::ensure(&database.conn).map_err(super::DbError::from)?;
        for revision in revisions {
            let current = database.current_versions()?;
            let plan = history.plan_upgrade(&current, revision)?;
            database.apply(history, &plan, |_| {})?;
        }
        Ok(database.schema()?)
    }
}
