//! Tests of the schema comparison and its wording, on hand-built schemas (no SQLite).

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
