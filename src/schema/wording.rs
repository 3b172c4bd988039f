//! The wording of [`Difference`]s: each one as a sentence that names the table, the column or
//! the constraint, and says what was expected and what was found.

use super::diff::Difference;
use super::{ForeignKey, Index};
use std::fmt;

/// A declared type for messages (SQLite allows none).
pub(super) fn type_text(declared: &str) -> String {
    if declared.is_empty() {
        "no type".to_string()
    } else {
        declared.to_string()
    }
}

/// `yes` / `no` for a flag in messages.
pub(super) fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

/// A default for messages; `NULL` when there is none.
pub(super) fn default_text(default: &Option<String>) -> String {
    default.clone().unwrap_or_else(|| "NULL".to_string())
}

/// How an index is named in messages.
pub(super) fn describe_index(index: &Index) -> String {
    match (&index.name, index.origin.as_str()) {
        (Some(name), _) => format!("index {name}"),
        (None, "pk") => format!("primary key {}", index.column_list()),
        (None, _) => format!("unique constraint {}", index.column_list()),
    }
}

/// What an index is built on, for messages about a changed index.
pub(super) fn describe_index_build(index: &Index) -> String {
    let mut text = String::new();
    if index.unique {
        text.push_str("unique ");
    }
    text.push_str("on ");
    text.push_str(&index.column_list());
    if index.partial {
        text.push_str(" with a WHERE clause");
    }
    text
}

/// A foreign key in words, with its non-default actions.
pub(super) fn describe_foreign_key(table: &str, fk: &ForeignKey) -> String {
    let target = match &fk.to {
        Some(column) => format!("{}.{column}", fk.table),
        None => fk.table.clone(),
    };
    let mut text = format!("foreign key {table}.{} → {target}", fk.from);
    if fk.on_delete != "NO ACTION" {
        text.push_str(&format!(" ON DELETE {}", fk.on_delete));
    }
    if fk.on_update != "NO ACTION" {
        text.push_str(&format!(" ON UPDATE {}", fk.on_update));
    }
    text
}

/// `alembic_version` rows in words.
pub(super) fn version_rows_text(rows: &Option<Vec<String>>) -> String {
    match rows {
        None => "no alembic_version table".to_string(),
        Some(rows) if rows.is_empty() => "no rows".to_string(),
        Some(rows) => rows.join(", "),
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::MissingTable { table } => write!(f, "table {table} is missing"),
            Difference::ExtraTable { table } => write!(f, "there is an extra table {table}"),
            Difference::MissingColumn { table, column } => {
                write!(f, "{table} is missing the column `{}`", column.describe())
            }
            Difference::ExtraColumn { table, column } => {
                write!(f, "{table} has an extra column `{}`", column.describe())
            }
            Difference::ColumnOrder {
                table,
                expected,
                found,
            } => write!(
                f,
                "{table}: columns in the order {} expected, found {}",
                expected.join(", "),
                found.join(", ")
            ),
            Difference::ColumnChanged {
                table,
                column,
                attribute,
                expected,
                found,
            } => write!(
                f,
                "column {table}.{column}: {attribute} {expected} expected, found {found}"
            ),
            Difference::MissingIndex { table, index } => {
                write!(f, "{} on {table} is missing", describe_index(index))
            }
            Difference::ExtraIndex { table, index } => {
                write!(f, "{table} has an extra {}", describe_index(index))
            }
            Difference::IndexChanged {
                table,
                expected,
                found,
            } => write!(
                f,
                "{} on {table}: {} expected, found {}",
                describe_index(expected),
                describe_index_build(expected),
                describe_index_build(found)
            ),
            Difference::MissingForeignKey { table, foreign_key } => {
                write!(f, "{} is missing", describe_foreign_key(table, foreign_key))
            }
            Difference::ExtraForeignKey { table, foreign_key } => {
                write!(
                    f,
                    "there is an extra {}",
                    describe_foreign_key(table, foreign_key)
                )
            }
            Difference::ForeignKeyChanged {
                table,
                expected,
                found,
            } => write!(
                f,
                "{} expected, found {}",
                describe_foreign_key(table, expected),
                describe_foreign_key(table, found)
            ),
            Difference::MissingCheck { table, check } => write!(
                f,
                "CHECK constraint {} on {table} is missing (expected CHECK ({}))",
                check.name, check.expr
            ),
            Difference::ExtraCheck { table, check } => write!(
                f,
                "{table} has an extra CHECK constraint {} (CHECK ({}))",
                check.name, check.expr
            ),
            Difference::CheckChanged {
                table,
                name,
                expected,
                found,
            } => write!(
                f,
                "CHECK constraint {name} on {table}: ({expected}) expected, found ({found})"
            ),
            Difference::VersionRows { expected, found } => write!(
                f,
                "alembic_version: {} expected, found {}",
                version_rows_text(expected),
                version_rows_text(found)
            ),
        }
    }
}
