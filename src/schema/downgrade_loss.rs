//! What a revision's downgrade loses, for the "loses data" badge of the history: the tables and
//! columns that exist before the downgrade and not after it ([`dropped_between`] of the two
//! replayed [`Schema`]s), plus the rows its SQL rewrites (`UPDATE` / `DELETE` statements, which
//! a schema comparison cannot see). Pure: the database layer replays the migrations.

use super::{dropped_between, Schema};
use serde::{Deserialize, Serialize};

/// The data a downgrade destroys. Empty when the downgrade loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DowngradeLoss {
    /// Tables dropped with all their rows.
    pub dropped_tables: Vec<String>,
    /// Columns dropped from tables that remain, as `table.column`.
    pub dropped_columns: Vec<String>,
    /// The `UPDATE` / `DELETE` statements of the downgrade, first line of each.
    pub rewrites: Vec<String>,
}

impl DowngradeLoss {
    /// True when the downgrade keeps every value.
    pub fn is_empty(&self) -> bool {
        self.dropped_tables.is_empty()
            && self.dropped_columns.is_empty()
            && self.rewrites.is_empty()
    }

    /// One sentence for a tooltip or a badge's description.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.dropped_tables.is_empty() {
            parts.push(format!("drops table(s) {}", self.dropped_tables.join(", ")));
        }
        if !self.dropped_columns.is_empty() {
            parts.push(format!(
                "drops column(s) {}",
                self.dropped_columns.join(", ")
            ));
        }
        if !self.rewrites.is_empty() {
            parts.push(format!("rewrites rows ({})", self.rewrites.join("; ")));
        }
        if parts.is_empty() {
            "keeps every value".to_string()
        } else {
            format!("Downgrading {}", parts.join(", "))
        }
    }
}

/// The loss of a downgrade from the schema `before` it to the schema `after` it, whose SQL is
/// `downgrade_sql`. `alembic_version` is bookkeeping, not user data, and is ignored.
pub fn downgrade_loss(before: &Schema, after: &Schema, downgrade_sql: &str) -> DowngradeLoss {
    let dropped = dropped_between(before, after);
    let mut loss = DowngradeLoss {
        dropped_tables: dropped.tables.into_iter().map(|t| t.table).collect(),
        dropped_columns: dropped
            .columns
            .into_iter()
            .map(|c| format!("{}.{}", c.table, c.column))
            .collect(),
        rewrites: Vec::new(),
    };
    loss.rewrites = row_rewrites(downgrade_sql);
    loss
}

/// The statements of `sql` that start with `UPDATE` or `DELETE` (comments skipped), as their
/// first line. A table rebuild copies rows with `INSERT … SELECT` and is not a rewrite: what
/// it leaves out shows up as dropped columns instead.
fn row_rewrites(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .map(|line| match line.find("--") {
            // Migration files keep `--` out of string literals, so a line comment ends the code.
            Some(start) => &line[..start],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    code.split(';')
        .map(str::trim)
        .filter(|statement| {
            let keyword = statement
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            keyword == "UPDATE" || keyword == "DELETE"
        })
        .map(|statement| statement.lines().next().unwrap_or("").trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, Table};

    fn column(name: &str) -> Column {
        Column {
            name: name.into(),
            declared_type: "TEXT".into(),
            notnull: false,
            default: None,
            pk: 0,
        }
    }

    fn schema(tables: &[(&str, &[&str])]) -> Schema {
        Schema {
            tables: tables
                .iter()
                .map(|(name, columns)| {
                    let table = Table {
                        columns: columns.iter().map(|c| column(c)).collect(),
                        ..Table::default()
                    };
                    (name.to_string(), table)
                })
                .collect(),
            alembic_version: None,
        }
    }

    #[test]
    fn dropped_tables_and_columns_are_found() {
        let before = schema(&[
            ("posts", &["id", "user_id"]),
            ("users", &["id"]),
            ("alembic_version", &["version_num"]),
        ]);
        let after = schema(&[("posts", &["id"])]);
        let loss = downgrade_loss(&before, &after, "DROP TABLE users;");
        assert_eq!(loss.dropped_tables, vec!["users"]);
        assert_eq!(loss.dropped_columns, vec!["posts.user_id"]);
        assert!(loss.rewrites.is_empty());
        assert!(!loss.is_empty());
    }

    #[test]
    fn added_columns_are_not_a_loss() {
        let before = schema(&[("posts", &["id"])]);
        let after = schema(&[("posts", &["id", "extra"])]);
        assert!(downgrade_loss(&before, &after, "").is_empty());
    }

    #[test]
    fn updates_and_deletes_are_rewrites_but_commented_ones_are_not() {
        let sql = "-- UPDATE in a comment; DELETE too\n\
                   update posts SET status = 'draft'\n  WHERE status = 'scheduled';\n\
                   INSERT INTO t SELECT * FROM posts;\n\
                   DELETE FROM sessions; -- all of them\n";
        let loss = downgrade_loss(&Schema::default(), &Schema::default(), sql);
        assert_eq!(
            loss.rewrites,
            vec!["update posts SET status = 'draft'", "DELETE FROM sessions"]
        );
        assert!(loss.describe().contains("rewrites rows"));
    }
}
