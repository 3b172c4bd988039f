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

/// A count in words: `1 row`, `3 non-NULL values`, `not in the file`.
fn count_text(count: Option<u64>, what: &str) -> String {
    match count {
        Some(n) => plural(n, what),
        None => "not in the file".to_string(),
    }
}

/// `n` and `what`, with an `s` unless `n` is 1.
fn plural(n: u64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

impl std::fmt::Display for TableLoss {
    /// `table chat_messages (40 rows)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "table {} ({})", self.table, count_text(self.rows, "row"))
    }
}

impl std::fmt::Display for ColumnLoss {
    /// `column posts.user_id (12 non-NULL values)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = count_text(self.non_null, "non-NULL value");
        write!(f, "column {}.{} ({count})", self.table, self.column)
    }
}

impl Dropped {
    /// One sentence per table or column dropped, e.g. `drops table chat (40 rows)`,
    /// `drops column posts.user_id (12 non-NULL values)` (a dropped table's columns go with it).
    pub fn sentences(&self) -> Vec<String> {
        let tables = self.tables.iter().map(|table| format!("drops {table}"));
        let columns = self.columns.iter().map(|column| format!("drops {column}"));
        tables.chain(columns).collect()
    }
}

impl std::fmt::Display for Dropped {
    /// [`Dropped::sentences`], one a line, with each dropped table's columns below it
    /// (`    with column chat.body (3 non-NULL values)`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for table in &self.tables {
            writeln!(f, "drops {table}")?;
            for column in &table.columns {
                writeln!(f, "    with {column}")?;
            }
        }
        for column in &self.columns {
            writeln!(f, "drops {column}")?;
        }
        Ok(())
    }
}

/// What the steps that drop `dropped` lose in all, in one sentence.
pub fn loss_total<'a>(dropped: impl IntoIterator<Item = &'a Dropped>) -> String {
    let (mut rows, mut values, mut uncounted, mut loses) = (0u64, 0u64, false, false);
    for step in dropped {
        loses |= step.loses_data();
        for table in &step.tables {
            rows += table.rows.unwrap_or(0);
            uncounted |= table.rows.is_none();
        }
        for column in &step.columns {
            values += column.non_null.unwrap_or(0);
            uncounted |= column.non_null.is_none();
        }
    }
    if !loses {
        return "No data lost: what is dropped is empty now.".to_string();
    }
    format!(
        "Data lost: {} of dropped tables and {} of dropped columns{}.",
        plural(rows, "row"),
        plural(values, "non-NULL value"),
        if uncounted {
            " (some not counted: not in the file)"
        } else {
            ""
        }
    )
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
            "drops table chat (1 row)\n    with column chat.body (0 non-NULL values)\n\
             drops column posts.user_id (not in the file)\n"
        );
        assert_eq!(
            dropped.sentences(),
            [
                "drops table chat (1 row)",
                "drops column posts.user_id (not in the file)"
            ]
        );
        assert_eq!(
            loss_total([&dropped]),
            "Data lost: 1 row of dropped tables and 0 non-NULL values of dropped columns \
             (some not counted: not in the file)."
        );
        assert_eq!(
            loss_total([&Dropped::default()]),
            "No data lost: what is dropped is empty now."
        );
    }
}
