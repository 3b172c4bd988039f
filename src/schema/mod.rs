//! A database schema as plain data, normalized the way
//! `tests/contentengine/dump_schema.py --no-sql` prints it, and the comparison of two
//! schemas in words. Pure Rust: the database layer fills these types in (`Database::schema`),
//! nothing here talks to SQLite.
//!
//! The JSON shape is the one of `dump_schema.py` (integers 0/1 for flags, `type` upper-cased,
//! indexes and foreign keys sorted), so a [`Schema`] serializes to exactly the JSON of
//! `reference/<rev>.json` without its `"sql"` part, and parses from it.

mod changes;
mod checks;
mod diff;
mod downgrade_loss;
pub mod erd;
mod loss;
mod wording;

pub use changes::describe_change;
pub use checks::named_checks;
pub use diff::{diff, Difference};
pub use downgrade_loss::{downgrade_loss, DowngradeLoss};
pub use loss::{dropped_between, loss_total, ColumnLoss, Dropped, TableLoss};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The normalized schema of a whole database file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Every table, by name (views, triggers and `sqlite_*` tables are not listed).
    pub tables: BTreeMap<String, Table>,
    /// The rows of `alembic_version`, sorted; absent when the table does not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alembic_version: Option<Vec<String>>,
}

/// One table: what `PRAGMA table_xinfo`, `index_list`, `foreign_key_list` and the CREATE text
/// say about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Columns in table order (the order `SELECT *` returns them).
    pub columns: Vec<Column>,
    /// Indexes, sorted by origin, name and columns (as `dump_schema.py` sorts them).
    pub indexes: Vec<Index>,
    /// Foreign keys, sorted by referenced table and local column.
    pub foreign_keys: Vec<ForeignKey>,
    /// Named CHECK constraints, sorted by name.
    pub checks: Vec<Check>,
}

/// One column, from `PRAGMA table_xinfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The column name.
    pub name: String,
    /// The declared type, upper-cased (`VARCHAR(20)`); empty when none was declared.
    #[serde(rename = "type")]
    pub declared_type: String,
    /// Whether the column is `NOT NULL`.
    #[serde(with = "int_bool")]
    pub notnull: bool,
    /// The DEFAULT expression as SQLite stores it (`'draft'`, `CURRENT_TIMESTAMP`), if any.
    pub default: Option<String>,
    /// 0 when not part of the primary key, else its 1-based position in it.
    pub pk: i64,
}

/// One index, from `PRAGMA index_list` and `index_xinfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The index name for `CREATE INDEX` indexes (origin `c`); `None` for the automatic
    /// indexes of UNIQUE and PRIMARY KEY constraints, whose names SQLite makes up.
    pub name: Option<String>,
    /// Whether the index is unique.
    #[serde(with = "int_bool")]
    pub unique: bool,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint) or `pk` (PRIMARY KEY constraint).
    pub origin: String,
    /// Whether the index has a WHERE clause.
    #[serde(with = "int_bool")]
    pub partial: bool,
    /// The key columns in order; `None` for an expression.
    pub columns: Vec<Option<String>>,
}

/// One foreign key column, from `PRAGMA foreign_key_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// The referenced table.
    pub table: String,
    /// The local column.
    pub from: String,
    /// The referenced column; `None` when the constraint names only the table.
    pub to: Option<String>,
    /// `ON UPDATE` action (`NO ACTION` when none was given).
    pub on_update: String,
    /// `ON DELETE` action (`NO ACTION` when none was given).
    pub on_delete: String,
}

/// One named CHECK constraint, parsed from the table's CREATE text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The constraint name.
    pub name: String,
    /// The expression, whitespace-normalized.
    pub expr: String,
}

impl Column {
    /// The column as it would read in a CREATE TABLE, e.g. `status VARCHAR(20) NOT NULL DEFAULT 'draft'`.
    pub fn describe(&self) -> String {
        let mut text = self.name.clone();
        if !self.declared_type.is_empty() {
            text.push(' ');
            text.push_str(&self.declared_type);
        }
        if self.notnull {
            text.push_str(" NOT NULL");
        }
        if let Some(default) = &self.default {
            text.push_str(" DEFAULT ");
            text.push_str(default);
        }
        if self.pk > 0 {
            text.push_str(" PRIMARY KEY");
        }
        text
    }
}

impl Index {
    /// The key columns as `(a, b)`, with `<expr>` for expression columns.
    pub fn column_list(&self) -> String {
        let names: Vec<&str> = self
            .columns
            .iter()
            .map(|column| column.as_deref().unwrap_or("<expr>"))
            .collect();
        format!("({})", names.join(", "))
    }
}

/// `dump_schema.py` prints flags as the integers SQLite returns; these (de)serialize a `bool`
/// as 0/1 so the JSON is identical (and accept `true`/`false` too when reading).
mod int_bool {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum IntOrBool {
            Int(i64),
            Bool(bool),
        }
        Ok(match IntOrBool::deserialize(deserializer)? {
            IntOrBool::Int(number) => number != 0,
            IntOrBool::Bool(flag) => flag,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Schema {
        let mut tables = BTreeMap::new();
        tables.insert(
            "alembic_version".to_string(),
            Table {
                columns: vec![Column {
                    name: "version_num".into(),
                    declared_type: "VARCHAR(32)".into(),
                    notnull: true,
                    default: None,
                    pk: 1,
                }],
                indexes: vec![Index {
                    name: None,
                    unique: true,
                    origin: "pk".into(),
                    partial: false,
                    columns: vec![Some("version_num".into())],
                }],
                foreign_keys: vec![],
                checks: vec![],
            },
        );
        Schema {
            tables,
            alembic_version: Some(vec!["4f2a9c1e7b3d".into()]),
        }
    }

    #[test]
    fn serializes_in_dump_schema_shape() {
        let json = serde_json::to_value(sample()).expect("serializable");
        let expected = serde_json::json!({
            "alembic_version": ["4f2a9c1e7b3d"],
            "tables": {"alembic_version": {
                "checks": [],
                "columns": [{"default": null, "name": "version_num", "notnull": 1, "pk": 1, "type": "VARCHAR(32)"}],
                "foreign_keys": [],
                "indexes": [{"columns": ["version_num"], "name": null, "origin": "pk", "partial": 0, "unique": 1}]
            }}
        });
        assert_eq!(json, expected);
    }

    #[test]
    fn parses_back_and_ignores_the_sql_part() {
        let mut json = serde_json::to_value(sample()).expect("serializable");
        json["sql"] = serde_json::json!({"table:alembic_version": "CREATE TABLE ..."});
        let parsed: Schema = serde_json::from_value(json).expect("parses");
        assert_eq!(parsed, sample());
    }

    #[test]
    fn unversioned_schema_has_no_alembic_version_key() {
        let json = serde_json::to_value(Schema::default()).expect("serializable");
        assert_eq!(json, serde_json::json!({"tables": {}}));
    }

    #[test]
    fn describes_columns_like_a_create_table() {
        let column = Column {
            name: "status".into(),
            declared_type: "VARCHAR(20)".into(),
            notnull: true,
            default: Some("'draft'".into()),
            pk: 0,
        };
        assert_eq!(
            column.describe(),
            "status VARCHAR(20) NOT NULL DEFAULT 'draft'"
        );
    }
}
