//! Reads the schema back from SQLite in a normalized form (the same one as
//! `tests/contentengine/dump_schema.py --no-sql`), so two files can be compared.
//! Every query mirrors one of the script's, including its ordering rules; the pragmas are used
//! as table-valued functions so that names are bound, never pasted into SQL.

use super::{Database, DbError};
use crate::schema::{named_checks, Column, ForeignKey, Index, Schema, Table};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::collections::BTreeMap;

impl Database {
    /// The normalized schema of the database (tables, columns, indexes, foreign keys, named
    /// CHECK constraints, `alembic_version` rows), as `dump_schema.py --no-sql` prints it.
    pub fn schema(&self) -> Result<Schema, DbError> {
        Ok(read_schema(&self.conn)?)
    }
}

/// Reads the whole schema of `conn`'s main database.
pub(crate) fn read_schema(conn: &Connection) -> rusqlite::Result<Schema> {
    // The script's own filter: `LIKE 'sqlite_%'` is case-insensitive and `_` matches any
    // character, so the same statement is used rather than a "starts with sqlite_" test.
    let mut statement = conn.prepare(
        "SELECT type, name, sql FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let objects = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut tables = BTreeMap::new();
    for (kind, name, sql) in objects {
        if kind == "table" {
            let table = read_table(conn, &name, sql.as_deref().unwrap_or(""))?;
            tables.insert(name, table);
        }
    }
    let alembic_version = if tables.contains_key("alembic_version") {
        Some(sorted_version_rows(conn)?)
    } else {
        None
    };
    Ok(Schema {
        tables,
        alembic_version,
    })
}

/// Columns, indexes, foreign keys and named checks of one table.
fn read_table(conn: &Connection, name: &str, create_sql: &str) -> rusqlite::Result<Table> {
    Ok(Table {
        columns: read_columns(conn, name)?,
        indexes: read_indexes(conn, name)?,
        foreign_keys: read_foreign_keys(conn, name)?,
        checks: named_checks(create_sql),
    })
}

/// `PRAGMA table_xinfo` (hidden columns included, as the script reads them).
fn read_columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<Column>> {
    let mut statement = conn.prepare(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?1) ORDER BY cid",
    )?;
    let columns = statement.query_map([table], |row| {
        Ok(Column {
            name: row.get(0)?,
            declared_type: row
                .get::<_, Option<String>>(1)?
                .unwrap_or_default()
                .to_uppercase(),
            notnull: row.get::<_, i64>(2)? != 0,
            default: row.get(3)?,
            pk: row.get(4)?,
        })
    })?;
    columns.collect()
}

/// `PRAGMA index_list` + `index_xinfo` key columns, sorted like the script sorts them.
fn read_indexes(conn: &Connection, table: &str) -> rusqlite::Result<Vec<Index>> {
    let mut list = conn.prepare(
        "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY seq",
    )?;
    let listed = list
        .query_map([table], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)? != 0,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)? != 0,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut keys =
        conn.prepare("SELECT name FROM pragma_index_xinfo(?1) WHERE key ORDER BY seqno")?;
    let mut indexes = Vec::new();
    for (name, unique, origin, partial) in listed {
        let columns = keys
            .query_map([&name], |row| row.get::<_, Option<String>>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        indexes.push(Index {
            // The names of automatic indexes (`sqlite_autoindex_t_1`) depend on constraint
            // order, not on the schema, so only CREATE INDEX names are kept.
            name: (origin == "c").then_some(name),
            unique,
            origin,
            partial,
            columns,
        });
    }
    indexes.sort_by(|left, right| {
        let key = |index: &Index| {
            (
                index.origin.clone(),
                index.name.clone().unwrap_or_default(),
                index.columns.clone(),
            )
        };
        key(left).cmp(&key(right))
    });
    Ok(indexes)
}

/// `PRAGMA foreign_key_list`, sorted by referenced table and local column.
fn read_foreign_keys(conn: &Connection, table: &str) -> rusqlite::Result<Vec<ForeignKey>> {
    let mut statement = conn.prepare(
        "SELECT \"table\", \"from\", \"to\", on_update, on_delete \
         FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
    )?;
    let mut foreign_keys = statement
        .query_map([table], |row| {
            Ok(ForeignKey {
                table: row.get(0)?,
                from: row.get(1)?,
                to: row.get(2)?,
                on_update: row.get(3)?,
                on_delete: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    foreign_keys.sort_by(|left, right| (&left.table, &left.from).cmp(&(&right.table, &right.from)));
    Ok(foreign_keys)
}

/// `alembic_version` rows, sorted (the script lists them sorted; [`Database::current_versions`]
/// keeps table order instead).
fn sorted_version_rows(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT version_num FROM alembic_version")?;
    let mut rows = statement
        .query_map([], |row| Ok(value_text(row.get_ref(0)?)))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    rows.sort();
    Ok(rows)
}

/// Any stored value as text (a hand-edited file may hold a number in `version_num`).
fn value_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(number) => number.to_string(),
        ValueRef::Real(number) => number.to_string(),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}
