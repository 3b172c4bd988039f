//! The same [`Difference`]s read as changes from one revision to another (`content-db diff A B`):
//! what [`diff`](super::diff) calls "missing" was removed on the way from A to B, what it calls
//! "extra" was added. The drift wording (`super::wording`) speaks of a file that should match.

use super::diff::Difference;
use super::wording::{
    describe_foreign_key, describe_index, describe_index_build, version_rows_text,
};

/// `difference` (from `diff(schema_at_a, schema_at_b)`) as a change from A to B, e.g.
/// `posts: column \`user_id INTEGER\` added`.
pub fn describe_change(difference: &Difference) -> String {
    match difference {
        Difference::MissingTable { table } => format!("table {table} removed"),
        Difference::ExtraTable { table } => format!("table {table} added"),
        Difference::MissingColumn { table, column } => {
            format!("{table}: column `{}` removed", column.describe())
        }
        Difference::ExtraColumn { table, column } => {
            format!("{table}: column `{}` added", column.describe())
        }
        Difference::ColumnOrder {
            table,
            expected,
            found,
        } => format!(
            "{table}: columns reordered from ({}) to ({})",
            expected.join(", "),
            found.join(", ")
        ),
        Difference::ColumnChanged {
            table,
            column,
            attribute,
            expected,
            found,
        } => format!("column {table}.{column}: {attribute} changed from {expected} to {found}"),
        Difference::MissingIndex { table, index } => {
            format!("{table}: {} removed", describe_index(index))
        }
        Difference::ExtraIndex { table, index } => format!(
            "{table}: {} added ({})",
            describe_index(index),
            describe_index_build(index)
        ),
        Difference::IndexChanged {
            table,
            expected,
            found,
        } => format!(
            "{table}: {} changed from {} to {}",
            describe_index(expected),
            describe_index_build(expected),
            describe_index_build(found)
        ),
        Difference::MissingForeignKey { table, foreign_key } => {
            format!("{} removed", describe_foreign_key(table, foreign_key))
        }
        Difference::ExtraForeignKey { table, foreign_key } => {
            format!("{} added", describe_foreign_key(table, foreign_key))
        }
        Difference::ForeignKeyChanged {
            table,
            expected,
            found,
        } => format!(
            "{} changed to {}",
            describe_foreign_key(table, expected),
            describe_foreign_key(table, found)
        ),
        Difference::MissingCheck { table, check } => format!(
            "{table}: CHECK constraint {} removed (was CHECK ({}))",
            check.name, check.expr
        ),
        Difference::ExtraCheck { table, check } => format!(
            "{table}: CHECK constraint {} added: CHECK ({})",
            check.name, check.expr
        ),
        Difference::CheckChanged {
            table,
            name,
            expected,
            found,
        } => format!("{table}: CHECK constraint {name} changed from ({expected}) to ({found})"),
        Difference::VersionRows { expected, found } => format!(
            "alembic_version: {} → {}",
            version_rows_text(expected),
            version_rows_text(found)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, Column, Schema, Table};
    use super::*;
    use std::collections::BTreeMap;

    fn column(name: &str) -> Column {
        Column {
            name: name.into(),
            declared_type: "INTEGER".into(),
            notnull: false,
            default: None,
            pk: 0,
        }
    }

    #[test]
    fn reads_as_added_and_removed() {
        let before = Schema {
            tables: BTreeMap::from([
                (
                    "posts".to_string(),
                    Table {
                        columns: vec![column("id")],
                        ..Table::default()
                    },
                ),
                ("old".to_string(), Table::default()),
            ]),
            alembic_version: Some(vec!["a".into()]),
        };
        let mut after = before.clone();
        after.tables.remove("old");
        after.tables.insert("new".into(), Table::default());
        after
            .tables
            .get_mut("posts")
            .expect("posts")
            .columns
            .push(column("user_id"));
        after.alembic_version = Some(vec!["b".into()]);
        let texts: Vec<String> = diff(&before, &after).iter().map(describe_change).collect();
        assert_eq!(
            texts,
            vec![
                "table old removed",
                "posts: column `user_id INTEGER` added",
                "table new added",
                "alembic_version: a → b",
            ]
        );
    }
}
