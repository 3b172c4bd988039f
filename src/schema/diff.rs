//! Compares an expected [`Schema`] (what the migrations produce) with an actual one (what a file
//! holds) and says what differs, in words a user can act on.

use super::{Check, Column, ForeignKey, Index, Schema, Table};
use std::fmt;

/// One way in which the actual schema differs from the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
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

fn type_text(declared: &str) -> String {
    if declared.is_empty() {
        "no type".to_string()
    } else {
        declared.to_string()
    }
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

fn default_text(default: &Option<String>) -> String {
    default.clone().unwrap_or_else(|| "NULL".to_string())
}

fn describe_index(index: &Index) -> String {
    match (&index.name, index.origin.as_str()) {
        (Some(name), _) => format!("index {name}"),
        (None, "pk") => format!("primary key {}", index.column_list()),
        (None, _) => format!("unique constraint {}", index.column_list()),
    }
}

fn describe_index_build(index: &Index) -> String {
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

fn describe_foreign_key(table: &str, fk: &ForeignKey) -> String {
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

fn version_rows_text(rows: &Option<Vec<String>>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn column(name: &str, declared_type: &str, notnull: bool, default: Option<&str>) -> Column {
        Column {
            name: name.into(),
            declared_type: declared_type.into(),
            notnull,
            default: default.map(str::to_string),
            pk: 0,
        }
    }

    fn posts() -> Table {
        Table {
            columns: vec![
                Column {
                    pk: 1,
                    ..column("id", "INTEGER", true, None)
                },
                column("status", "VARCHAR(20)", true, Some("'draft'")),
                column("external_id", "VARCHAR(255)", false, None),
            ],
            indexes: vec![
                Index {
                    name: Some("ix_posts_status".into()),
                    unique: false,
                    origin: "c".into(),
                    partial: false,
                    columns: vec![Some("status".into())],
                },
                Index {
                    name: None,
                    unique: true,
                    origin: "u".into(),
                    partial: false,
                    columns: vec![Some("external_id".into())],
                },
            ],
            foreign_keys: vec![ForeignKey {
                table: "users".into(),
                from: "user_id".into(),
                to: Some("id".into()),
                on_update: "NO ACTION".into(),
                on_delete: "SET NULL".into(),
            }],
            checks: vec![Check {
                name: "ck_posts_status".into(),
                expr: "status IN ('draft', 'posted')".into(),
            }],
        }
    }

    fn schema_with(table: Table) -> Schema {
        Schema {
            tables: BTreeMap::from([("posts".to_string(), table)]),
            alembic_version: Some(vec!["0a6c9e3f5b71".into()]),
        }
    }

    fn texts(expected: &Schema, actual: &Schema) -> Vec<String> {
        diff(expected, actual)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn identical_schemas_have_no_differences() {
        assert!(diff(&schema_with(posts()), &schema_with(posts())).is_empty());
    }

    #[test]
    fn extra_and_missing_columns() {
        let mut actual = posts();
        actual.columns.push(column("foo", "TEXT", false, None));
        actual.columns.remove(2);
        assert_eq!(
            texts(&schema_with(posts()), &schema_with(actual)),
            vec![
                "posts is missing the column `external_id VARCHAR(255)`",
                "posts has an extra column `foo TEXT`",
            ]
        );
    }

    #[test]
    fn changed_default_type_and_not_null() {
        let mut actual = posts();
        actual.columns[1] = column("status", "TEXT", false, None);
        assert_eq!(
            texts(&schema_with(posts()), &schema_with(actual)),
            vec![
                "column posts.status: type VARCHAR(20) expected, found TEXT",
                "column posts.status: NOT NULL yes expected, found no",
                "column posts.status: default 'draft' expected, found NULL",
            ]
        );
    }

    #[test]
    fn column_order() {
        let mut actual = posts();
        actual.columns.swap(1, 2);
        assert_eq!(
            texts(&schema_with(posts()), &schema_with(actual)),
            vec![
                "posts: columns in the order id, status, external_id expected, found id, external_id, status"
            ]
        );
    }

    #[test]
    fn indexes_missing_extra_and_changed() {
        let mut actual = posts();
        actual.indexes[0].unique = true;
        actual.indexes[1].columns = vec![Some("status".into())];
        assert_eq!(
            texts(&schema_with(posts()), &schema_with(actual.clone())),
            vec![
                "index ix_posts_status on posts: on (status) expected, found unique on (status)",
                "unique constraint (external_id) on posts is missing",
                "posts has an extra unique constraint (status)",
            ]
        );
        actual.indexes.remove(0);
        assert!(texts(&schema_with(posts()), &schema_with(actual))
            .contains(&"index ix_posts_status on posts is missing".to_string()));
    }

    #[test]
    fn foreign_keys_and_checks() {
        let mut actual = posts();
        actual.foreign_keys[0].on_delete = "CASCADE".into();
        actual.checks[0].expr = "status IN ('draft')".into();
        actual.checks.push(Check {
            name: "ck_extra".into(),
            expr: "1".into(),
        });
        assert_eq!(
            texts(&schema_with(posts()), &schema_with(actual)),
            vec![
                "foreign key posts.user_id → users.id ON DELETE SET NULL expected, found foreign key posts.user_id → users.id ON DELETE CASCADE",
                "CHECK constraint ck_posts_status on posts: (status IN ('draft', 'posted')) expected, found (status IN ('draft'))",
                "posts has an extra CHECK constraint ck_extra (CHECK (1))",
            ]
        );
    }

    #[test]
    fn tables_and_version_rows() {
        let expected = schema_with(posts());
        let actual = Schema {
            tables: BTreeMap::from([("other".to_string(), Table::default())]),
            alembic_version: None,
        };
        assert_eq!(
            texts(&expected, &actual),
            vec![
                "table posts is missing",
                "there is an extra table other",
                "alembic_version: 0a6c9e3f5b71 expected, found no alembic_version table",
            ]
        );
    }
}
