//! The data-loss report of a plan: for each step, the tables and columns it drops (found by
//! replaying the migrations and comparing the schema before and after the step) and how many
//! rows / non-NULL values they hold in the open file now.

use crate::db::Database;
use crate::export::quote_identifier;
use crate::revision::{History, Plan};
use crate::schema::{dropped_between, Dropped, Schema};
use serde::Serialize;

/// What one step of a plan drops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepLoss {
    /// The revision whose section runs.
    pub revision: String,
    /// Alembic's log line for the step.
    pub log_line: String,
    /// The tables and columns dropped, with counts from the open file.
    pub dropped: Dropped,
}

impl Database {
    /// What each step of `plan` (from this file's revisions) drops and how much data that is.
    /// Steps that drop nothing are included with an empty [`Dropped`].
    pub fn data_loss(&self, history: &History, plan: &Plan) -> Result<Vec<StepLoss>, crate::Error> {
        let mut replay = Database::replayed(history, &plan.versions_before)?;
        let mut before = replay.schema()?;
        let mut schemas: Vec<Schema> = Vec::new();
        replay.apply_stepwise(history, plan, |database, _| {
            schemas.push(database.schema()?);
            Ok(())
        })?;
        let file = self.schema()?;
        let mut report = Vec::new();
        for (step, after) in plan.steps.iter().zip(schemas) {
            let mut dropped = dropped_between(&before, &after);
            self.count(&file, &mut dropped)
                .map_err(|error| crate::Error::Insight(error.into()))?;
            report.push(StepLoss {
                revision: step.revision.clone(),
                log_line: step.log_line.clone(),
                dropped,
            });
            before = after;
        }
        Ok(report)
    }

    /// Fills in the counts of `dropped` from this file (left `None` where the file has no such
    /// table or column).
    fn count(&self, file: &Schema, dropped: &mut Dropped) -> Result<(), rusqlite::Error> {
        let has_column = |table: &str, column: &str| {
            file.tables
                .get(table)
                .is_some_and(|t| t.columns.iter().any(|c| c.name == column))
        };
        for table in &mut dropped.tables {
            if file.tables.contains_key(&table.table) {
                table.rows = Some(self.scalar(&format!(
                    "SELECT count(*) FROM {}",
                    quote_identifier(&table.table)
                ))?);
            }
            for column in &mut table.columns {
                if has_column(&column.table, &column.column) {
                    column.non_null = Some(self.non_null(&column.table, &column.column)?);
                }
            }
        }
        for column in &mut dropped.columns {
            if has_column(&column.table, &column.column) {
                column.non_null = Some(self.non_null(&column.table, &column.column)?);
            }
        }
        Ok(())
    }

    /// How many values of the column are not NULL.
    fn non_null(&self, table: &str, column: &str) -> Result<u64, rusqlite::Error> {
        self.scalar(&format!(
            "SELECT count({}) FROM {}",
            quote_identifier(column),
            quote_identifier(table)
        ))
    }

    /// A count query's single value.
    fn scalar(&self, sql: &str) -> Result<u64, rusqlite::Error> {
        let count: i64 = self.conn.query_row(sql, [], |row| row.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downgrade_to_base_names_every_table_and_counts() {
        let history = History::embedded().expect("history");
        let head = vec!["0a6c9e3f5b71".to_string()];
        let database = Database::replayed(history, &head).expect("replay");
        database
            .connection()
            .execute_batch(
                "INSERT INTO users (id, linkedin_sub) VALUES (1, 'a');\
                 INSERT INTO posts (content, platform, user_id) VALUES ('x', 'li', 1), ('y', 'li', NULL);",
            )
            .expect("fill");
        let plan = history.plan_downgrade(&head, "b81d3e5f0a27").expect("plan");
        let report = database.data_loss(history, &plan).expect("report");
        let first = &report[0];
        assert_eq!(first.revision, "0a6c9e3f5b71");
        let scheduled = &first.dropped.columns;
        assert_eq!(scheduled.len(), 1);
        assert_eq!(scheduled[0].column, "scheduled_at");
        assert_eq!(scheduled[0].non_null, Some(0));
        let chat = report
            .iter()
            .find(|step| step.revision == "f17b8d2e4c90")
            .expect("chat step");
        assert_eq!(chat.dropped.tables[0].table, "chat_messages");
        assert_eq!(chat.dropped.tables[0].rows, Some(0));
        let owner = report
            .iter()
            .find(|step| step.revision == "c3e7a1d9f482")
            .expect("ownership step");
        let user_id = owner
            .dropped
            .columns
            .iter()
            .find(|c| c.column == "user_id")
            .expect("user_id dropped");
        assert_eq!(user_id.non_null, Some(1));
        let merge = report
            .iter()
            .find(|step| step.revision == "e9a4c6b1d358")
            .expect("merge step");
        assert!(merge.dropped.is_empty());
    }
}
