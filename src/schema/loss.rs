//! What a migration step drops, found by comparing the schema before it with the schema after it
//! (not by reading its SQL: a table rebuilt under the same name keeps its data, a column left
//! out of the rebuild loses it). The counts are filled in by the database layer
//! (`Database::data_loss`), which knows what the open file holds.

use super::Schema;
use serde::Serialize;

/// A whole table that is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableLoss {
    /// The table.
    pub table: String,
    /// How many rows it holds now (`None`: not counted, or the file has no such table).
    pub rows: Option<u64>,
    /// Its columns with their non-NULL counts.
    pub columns: Vec<ColumnLoss>,
}

/// One column that is dropped (alone, or with its table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnLoss {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
    /// How many non-NULL values it holds now (`None`: not counted, or not in the file).
    pub non_null: Option<u64>,
}

/// Everything one step drops.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dropped {
    /// Tables dropped whole, in name order.
    pub tables: Vec<TableLoss>,
    /// Columns dropped from tables that remain, table by table in column order.
    pub columns: Vec<ColumnLoss>,
}

impl Dropped {
    /// Whether nothing is dropped.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty()
    }

    /// Whether any dropped table or column holds data now (or could not be counted).
    pub fn loses_data(&self) -> bool {
        self.tables.iter().any(|table| table.rows != Some(0))
            || self.columns.iter().any(|column| column.non_null != Some(0))
    }
}

/// The tables and columns of `before` that `after` no longer has (`alembic_version` is
/// bookkeeping, not data, and is left out). Counts are `None`.
pub fn dropped_between(before: &Schema, after: &Schema) -> Dropped {
    let mut dropped = Dropped::default();
    for (name, table) in &before.tables {
        if name == "alembic_version" {
            continue;
        }
        let column_losses = |names: &mut dyn Iterator<Item = &String>| -> Vec<ColumnLoss> {
            names
                .map(|column| ColumnLoss {
                    table: name.clone(),
                    column: column.clone(),
                    non_null: None,
                })
                .collect()
        };
        match after.tables.get(name) {
            None => dropped.tables.push(TableLoss {
                table: name.clone(),
                rows: None,
                columns: column_losses(&mut table.columns.iter().map(|c| &c.name)),
            }),
            Some(kept) => {
                let mut gone = table
                    .columns
                    .iter()
                    .map(|c| &c.name)
                    .filter(|column| !kept.columns.iter().any(|k| &k.name == *column));
                dropped.columns.extend(column_losses(&mut gone));
            }
        }
    }
    dropped
}

/// A count in words: `3 non-NULL values`, `not in the file`.
fn count_text(count: Option<u64>, what: &str) -> String {
    match count {
        Some(1) => format!("1 {what}"),
        Some(n) => format!("{n} {what}s"),
        None => "not in the file".to_string(),
    }
}

impl std::fmt::Display for Dropped {
    /// One line per dropped table or column, e.g.
    /// `column posts.user_id (12 non-NULL values)`, `table chat_messages (40 rows)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for table in &self.tables {
            writeln!(
                f,
                "table {} ({})",
                table.table,
                count_text(table.rows, "row")
            )?;
            for column in &table.columns {
                writeln!(
                    f,
                    "  column {}.{} ({})",
                    column.table,
                    column.column,
                    count_text(column.non_null, "non-NULL value")
                )?;
            }
        }
        for column in &self.columns {
            writeln!(
                f,
                "column {}.{} ({})",
                column.table,
                column.column,
                count_text(column.non_null, "non-NULL value")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Column, Table};
    use super::*;
    use std::collections::BTreeMap;

    fn table(columns: &[&str]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|name| Column {
                    name: name.to_string(),
                    declared_type: "TEXT".into(),
                    notnull: false,
                    default: None,
                    pk: 0,
                })
                .collect(),
            ..Table::default()
        }
    }

    fn schema(tables: &[(&str, &[&str])]) -> Schema {
        Schema {
            tables: tables
                .iter()
                .map(|(name, columns)| (name.to_string(), table(columns)))
                .collect::<BTreeMap<_, _>>(),
            alembic_version: None,
        }
    }

    #[test]
    fn finds_dropped_tables_and_columns() {
        let before = schema(&[
            ("alembic_version", &["version_num"]),
            ("chat", &["id", "body"]),
            ("posts", &["id", "user_id", "is_demo"]),
        ]);
        let after = schema(&[("posts", &["id"])]);
        let dropped = dropped_between(&before, &after);
        assert_eq!(dropped.tables.len(), 1);
        assert_eq!(dropped.tables[0].table, "chat");
        assert_eq!(dropped.tables[0].columns.len(), 2);
        let columns: Vec<&str> = dropped.columns.iter().map(|c| c.column.as_str()).collect();
        assert_eq!(columns, vec!["user_id", "is_demo"]);
        assert!(dropped.loses_data(), "uncounted means possibly data");
        assert!(dropped_between(&after, &before).is_empty());
    }

    #[test]
    fn words_name_counts() {
        let dropped = Dropped {
            tables: vec![TableLoss {
                table: "chat".into(),
                rows: Some(1),
                columns: vec![ColumnLoss {
                    table: "chat".into(),
                    column: "body".into(),
                    non_null: Some(0),
                }],
            }],
            columns: vec![ColumnLoss {
                table: "posts".into(),
                column: "user_id".into(),
                non_null: None,
            }],
        };
        assert_eq!(
            dropped.to_string(),
            "table chat (1 row)\n  column chat.body (0 non-NULL values)\ncolumn posts.user_id (not in the file)\n"
        );
    }
}
