//! Compares an expected [`Schema`] (what the migrations produce) with an actual one (what a file
//! holds) and says what differs, in words a user can act on.

use super::wording::{default_text, type_text, yes_no};
use super::{Check, Column, ForeignKey, Index, Schema, Table};

/// One way in which the actual schema differs from the expected one. Serializes with a `kind`
/// tag (`{"kind": "MissingTable", "table": "posts"}`) for the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind")]
pub enum Difference {
    /// A table the migrations create is not in the file.
    MissingTable {
        /// The table.
        table: String,
    },
    /// The file has a table the migrations do not create.
    ExtraTable {
        /// The table.
        table: String,
    },
    /// A column is missing.
    MissingColumn {
        /// The table.
        table: String,
        /// The expected column.
        column: Column,
    },
    /// The file has a column the migrations do not create.
    ExtraColumn {
        /// The table.
        table: String,
        /// The unexpected column.
        column: Column,
    },
    /// The same columns, in another order.
    ColumnOrder {
        /// The table.
        table: String,
        /// Column names in the expected order.
        expected: Vec<String>,
        /// Column names in the file's order.
        found: Vec<String>,
    },
    /// A column differs in its type, NOT NULL, default or primary key.
    ColumnChanged {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What differs: `type`, `NOT NULL`, `default` or `primary key position`.
        attribute: &'static str,
        /// The expected value, as text.
        expected: String,
        /// The value in the file, as text.
        found: String,
    },
    /// An index or UNIQUE / PRIMARY KEY constraint is missing.
    MissingIndex {
        /// The table.
        table: String,
        /// The expected index.
        index: Index,
    },
    /// The file has an index the migrations do not create.
    ExtraIndex {
        /// The table.
        table: String,
        /// The unexpected index.
        index: Index,
    },
    /// A named index exists but is built differently.
    IndexChanged {
        /// The table.
        table: String,
        /// The expected index.
        expected: Index,
        /// The index in the file.
        found: Index,
    },
    /// A foreign key is missing.
    MissingForeignKey {
        /// The table.
        table: String,
        /// The expected foreign key.
        foreign_key: ForeignKey,
    },
    /// The file has a foreign key the migrations do not create.
    ExtraForeignKey {
        /// The table.
        table: String,
        /// The unexpected foreign key.
        foreign_key: ForeignKey,
    },
    /// A foreign key on the same column and table differs in its target or actions.
    ForeignKeyChanged {
        /// The table.
        table: String,
        /// The expected foreign key.
        expected: ForeignKey,
        /// The foreign key in the file.
        found: ForeignKey,
    },
    /// A named CHECK constraint is missing.
    MissingCheck {
        /// The table.
        table: String,
        /// The expected constraint.
        check: Check,
    },
    /// The file has a named CHECK constraint the migrations do not create.
    ExtraCheck {
        /// The table.
        table: String,
        /// The unexpected constraint.
        check: Check,
    },
    /// A named CHECK constraint has another expression.
    CheckChanged {
        /// The table.
        table: String,
        /// The constraint name.
        name: String,
        /// The expected expression.
        expected: String,
        /// The expression in the file.
        found: String,
    },
    /// The rows of `alembic_version` differ (`None`: the table does not exist).
    VersionRows {
        /// The expected rows.
        expected: Option<Vec<String>>,
        /// The rows in the file.
        found: Option<Vec<String>>,
    },
}

/// Every difference between `expected` and `actual`, table by table in name order.
pub fn diff(expected: &Schema, actual: &Schema) -> Vec<Difference> {
    let mut differences = Vec::new();
    for (name, expected_table) in &expected.tables {
        match actual.tables.get(name) {
            None => differences.push(Difference::MissingTable {
                table: name.clone(),
            }),
            Some(actual_table) => {
                diff_table(name, expected_table, actual_table, &mut differences);
            }
        }
    }
    for name in actual.tables.keys() {
        if !expected.tables.contains_key(name) {
            differences.push(Difference::ExtraTable {
                table: name.clone(),
            });
        }
    }
    if expected.alembic_version != actual.alembic_version {
        differences.push(Difference::VersionRows {
            expected: expected.alembic_version.clone(),
            found: actual.alembic_version.clone(),
        });
    }
    differences
}

/// Columns, indexes, foreign keys and checks of a table present on both sides.
fn diff_table(name: &str, expected: &Table, actual: &Table, out: &mut Vec<Difference>) {
    diff_columns(name, &expected.columns, &actual.columns, out);
    diff_keyed(
        name,
        &expected.indexes,
        &actual.indexes,
        index_key,
        |table, index| Difference::MissingIndex { table, index },
        |table, index| Difference::ExtraIndex { table, index },
        |table, expected, found| Difference::IndexChanged {
            table,
            expected,
            found,
        },
        out,
    );
    diff_keyed(
        name,
        &expected.foreign_keys,
        &actual.foreign_keys,
        |fk| (fk.table.clone(), fk.from.clone()),
        |table, foreign_key| Difference::MissingForeignKey { table, foreign_key },
        |table, foreign_key| Difference::ExtraForeignKey { table, foreign_key },
        |table, expected, found| Difference::ForeignKeyChanged {
            table,
            expected,
            found,
        },
        out,
    );
    diff_keyed(
        name,
        &expected.checks,
        &actual.checks,
        |check| check.name.clone(),
        |table, check| Difference::MissingCheck { table, check },
        |table, check| Difference::ExtraCheck { table, check },
        |table, expected, found| Difference::CheckChanged {
            table,
            name: expected.name,
            expected: expected.expr,
            found: found.expr,
        },
        out,
    );
}

/// Named indexes match by name; the automatic ones of UNIQUE / PRIMARY KEY constraints (whose
/// names SQLite makes up) by origin and columns.
fn index_key(index: &Index) -> (String, Option<String>, Vec<Option<String>>) {
    match &index.name {
        Some(name) => (index.origin.clone(), Some(name.clone()), Vec::new()),
        None => (index.origin.clone(), None, index.columns.clone()),
    }
}

/// Pairs up items of both lists by `key`: missing, extra, and changed (same key, other value).
#[allow(clippy::too_many_arguments)] // one constructor per kind of difference keeps callers flat
fn diff_keyed<T: Clone + PartialEq, K: PartialEq>(
    table: &str,
    expected: &[T],
    actual: &[T],
    key: impl Fn(&T) -> K,
    missing: impl Fn(String, T) -> Difference,
    extra: impl Fn(String, T) -> Difference,
    changed: impl Fn(String, T, T) -> Difference,
    out: &mut Vec<Difference>,
) {
    for wanted in expected {
        match actual.iter().find(|found| key(found) == key(wanted)) {
            None => out.push(missing(table.to_string(), wanted.clone())),
            Some(found) if found != wanted => {
                out.push(changed(table.to_string(), wanted.clone(), found.clone()));
            }
            Some(_) => {}
        }
    }
    for found in actual {
        if !expected.iter().any(|wanted| key(wanted) == key(found)) {
            out.push(extra(table.to_string(), found.clone()));
        }
    }
}

/// Missing, extra and changed columns, then their order.
fn diff_columns(table: &str, expected: &[Column], actual: &[Column], out: &mut Vec<Difference>) {
    for wanted in expected {
        let Some(found) = actual.iter().find(|column| column.name == wanted.name) else {
            out.push(Difference::MissingColumn {
                table: table.to_string(),
                column: wanted.clone(),
            });
            continue;
        };
        let mut changed = |attribute, expected: String, found: String| {
            if expected != found {
                out.push(Difference::ColumnChanged {
                    table: table.to_string(),
                    column: wanted.name.clone(),
                    attribute,
                    expected,
                    found,
                });
            }
        };
        changed(
            "type",
            type_text(&wanted.declared_type),
            type_text(&found.declared_type),
        );
        changed("NOT NULL", yes_no(wanted.notnull), yes_no(found.notnull));
        changed(
            "default",
            default_text(&wanted.default),
            default_text(&found.default),
        );
        changed(
            "primary key position",
            wanted.pk.to_string(),
            found.pk.to_string(),
        );
    }
    for found in actual {
        if !expected.iter().any(|column| column.name == found.name) {
            out.push(Difference::ExtraColumn {
                table: table.to_string(),
                column: found.clone(),
            });
        }
    }
    // Order only matters once both sides have the same columns; otherwise the missing or extra
    // columns above already explain it.
    let expected_names: Vec<String> = expected.iter().map(|c| c.name.clone()).collect();
    let found_names: Vec<String> = actual.iter().map(|c| c.name.clone()).collect();
    let mut sorted_expected = expected_names.clone();
    let mut sorted_found = found_names.clone();
    sorted_expected.sort();
    sorted_found.sort();
    if sorted_expected == sorted_found && expected_names != found_names {
        out.push(Difference::ColumnOrder {
            table: table.to_string(),
            expected: expected_names,
            found: found_names,
        });
    }
}

#[cfg(test)]
mod tests;
