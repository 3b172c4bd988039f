//! The schema the migrations produce at given revisions: they are replayed on a new in-memory
//! database and the result is read back. This is the reference `content-db check` compares a
//! file against, built from the same migration files that migrate it.

use crate::db::Database;
use crate::revision::History;
use crate::schema::Schema;
use std::collections::{BTreeMap, HashMap};

impl Database {
    /// Replays `history` on an empty database up to `revisions` (each one upgraded to in turn,
    /// as `alembic upgrade REV` would) and returns the resulting schema. With no revisions the
    /// result is what `alembic downgrade base` leaves: only an empty `alembic_version`.
    pub fn expected_schema_at(
        history: &History,
        revisions: &[String],
    ) -> Result<Schema, crate::Error> {
        let mut database = Database::new_empty()?;
        crate::db::version_table::ensure(&database.conn).map_err(crate::db::DbError::from)?;
        for revision in revisions {
            let current = database.current_versions()?;
            let plan = history.plan_upgrade(&current, revision)?;
            database.apply(history, &plan, |_| {})?;
        }
        Ok(database.schema()?)
    }

    /// What the downgrade of each revision loses (the replayed schema at it compared with the
    /// one at its down revision(s), plus the `UPDATE` / `DELETE` statements of its downgrade),
    /// from one replay up to the heads that keeps the schema of each state it passes (a state the
    /// walk does not pass, on one side of a branch, is replayed on its own): for a history of N
    /// revisions, one walk instead of 2N.
    pub fn downgrade_losses(
        history: &History,
    ) -> Result<BTreeMap<String, crate::schema::DowngradeLoss>, crate::Error> {
        let mut walk = Database::new_empty()?;
        crate::db::version_table::ensure(&walk.conn).map_err(crate::db::DbError::from)?;
        let mut schemas: HashMap<Vec<String>, Schema> = HashMap::new();
        schemas.insert(Vec::new(), walk.schema()?);
        let plan = history.plan_upgrade(&[], "heads")?;
        walk.apply_stepwise(history, &plan, |database, _| {
            let mut rows = database.current_versions()?;
            rows.sort();
            schemas.insert(rows, database.schema()?);
            Ok(())
        })?;
        let mut schema_at = |rows: &[String]| -> Result<Schema, crate::Error> {
            let mut key = rows.to_vec();
            key.sort();
            if let Some(schema) = schemas.get(&key) {
                return Ok(schema.clone());
            }
            let schema = Database::expected_schema_at(history, rows)?;
            schemas.insert(key, schema.clone());
            Ok(schema)
        };
        let mut losses = BTreeMap::new();
        for revision in history.revisions() {
            let before = schema_at(std::slice::from_ref(&revision.id))?;
            let after = schema_at(&revision.down_revisions)?;
            losses.insert(
                revision.id.clone(),
                crate::schema::downgrade_loss(&before, &after, &revision.downgrade_sql),
            );
        }
        Ok(losses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the downgrade of embedded revision `id` loses, with each side replayed on its own:
    /// the reference for [`Database::downgrade_losses`].
    fn loss(id: &str) -> crate::schema::DowngradeLoss {
        let history = History::embedded().expect("embedded history");
        let revision = history.get(id).expect("an embedded revision");
        let before = Database::expected_schema_at(history, &[id.to_string()]).expect("replayable");
        let after =
            Database::expected_schema_at(history, &revision.down_revisions).expect("replayable");
        crate::schema::downgrade_loss(&before, &after, &revision.downgrade_sql)
    }

    #[test]
    fn the_losses_of_one_walk_are_those_of_each_revision_replayed_alone() {
        let history = History::embedded().expect("embedded history");
        let all = Database::downgrade_losses(history).expect("replayable");
        assert_eq!(all.len(), history.revisions().len());
        for revision in history.revisions() {
            assert_eq!(all[&revision.id], loss(&revision.id), "{}", revision.id);
        }
        assert!(!all["c3e7a1d9f482"].is_empty(), "a real loss is in it");
    }

    #[test]
    fn downgrade_losses_are_derived_from_the_replayed_schemas() {
        let ownership = loss("c3e7a1d9f482");
        assert_eq!(
            ownership.dropped_columns,
            vec!["posts.user_id", "posts.is_demo"]
        );
        assert!(ownership.dropped_tables.is_empty());
        assert_eq!(
            loss("b81d3e5f0a27").dropped_tables,
            vec!["sessions", "users"]
        );
        let scheduled = loss("0a6c9e3f5b71");
        assert_eq!(scheduled.dropped_columns, vec!["posts.scheduled_at"]);
        assert_eq!(scheduled.rewrites.len(), 1, "{scheduled:?}");
        assert!(loss("e9a4c6b1d358").is_empty(), "the merge runs no SQL");
    }
}
