//! A SQL dump of the whole database, equivalent to the `sqlite3` shell's `.dump`: loading it
//! into an empty database gives the same schema and the same rows, values with the same storage
//! class. Same layout as the shell: foreign keys off, one transaction, each table's CREATE
//! followed by its rows, then indexes, triggers and views in the order they were created.

use super::export::value_of;
use crate::db::Database;
use crate::db::InsightError;
use crate::export::{quote_identifier, sql_literal};
use rusqlite::Connection;

impl Database {
    /// The dump as SQL text.
    pub fn dump(&self) -> Result<String, InsightError> {
        let conn = &self.conn;
        let mut out = String::from("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
        // The shell's own order: tables by rowid of sqlite_master, sqlite_sequence last.
        let tables = objects(
            conn,
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql NOT NULL \
             ORDER BY name = 'sqlite_sequence', rowid",
        )?;
        for (name, sql) in &tables {
            match name.as_str() {
                // AUTOINCREMENT counters: the table exists once such a table is created.
                "sqlite_sequence" => out.push_str("DELETE FROM sqlite_sequence;\n"),
                // Statistics: ANALYZE creates the table, then its rows are restored.
                "sqlite_stat1" => out.push_str("ANALYZE sqlite_schema;\n"),
                _ if name.starts_with("sqlite_") => continue,
                _ if sql.starts_with("CREATE VIRTUAL TABLE") => {
                    // Its rows live in its shadow tables, dumped as tables of their own.
                    out.push_str(&format!("{sql};\n"));
                    continue;
                }
                _ => out.push_str(&format!("{sql};\n")),
            }
            dump_rows(conn, name, &mut out)?;
        }
        let others = objects(
            conn,
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') \
             AND sql NOT NULL ORDER BY rowid",
        )?;
        for (_, sql) in others {
            out.push_str(&format!("{sql};\n"));
        }
        out.push_str("COMMIT;\n");
        Ok(out)
    }
}

/// `(name, sql)` of the objects a statement lists.
fn objects(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// `INSERT INTO "t" VALUES(…);` for every row. Generated columns cannot be inserted into, so a
/// table with any gets an explicit list of its stored columns.
fn dump_rows(conn: &Connection, table: &str, out: &mut String) -> rusqlite::Result<()> {
    let mut columns =
        conn.prepare("SELECT name, hidden FROM pragma_table_xinfo(?1) ORDER BY cid")?;
    let listed: Vec<(String, i64)> = columns
        .query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // hidden: 0 normal, 1 hidden column of a virtual table, 2/3 generated (virtual/stored).
    let stored: Vec<&String> = listed
        .iter()
        .filter(|(_, hidden)| *hidden == 0)
        .map(|(name, _)| name)
        .collect();
    if stored.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = stored.iter().map(|name| quote_identifier(name)).collect();
    let target = if stored.len() == listed.len() {
        quote_identifier(table)
    } else {
        format!("{}({})", quote_identifier(table), names.join(","))
    };
    let select = format!(
        "SELECT {} FROM {}",
        names.join(", "),
        quote_identifier(table)
    );
    let mut statement = conn.prepare(&select)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(names.len());
        for index in 0..names.len() {
            values.push(sql_literal(&value_of(row.get_ref(index)?)));
        }
        out.push_str(&format!(
            "INSERT INTO {target} VALUES({});\n",
            values.join(",")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(database: &Database, sql: &str) -> Vec<String> {
        let mut statement = database.connection().prepare(sql).expect("prepare");
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .expect("query");
        rows.map(|row| row.expect("row")).collect()
    }

    #[test]
    fn dump_loads_back_identically() {
        let database = Database::new_empty().expect("new");
        database
            .connection()
            .execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a, b TEXT, \
                   g INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL);\
                 CREATE INDEX ix_t_b ON t (b);\
                 CREATE VIEW v AS SELECT id FROM t;\
                 INSERT INTO t (a, b) VALUES (1.0, 'x''y'), (NULL, 'line\nbreak'), (X'00', 'ü'),\
                   (0.1, CAST(X'ff00' AS TEXT)), (9e999, 'a' || char(0) || 'b'), (-5, '');",
            )
            .expect("fill");
        let dump = database.dump().expect("dump");
        let copy = Database::new_empty().expect("new");
        copy.connection().execute_batch(&dump).expect("loads");
        let snapshot = "SELECT quote(id) || '|' || quote(a) || '|' || typeof(a) || '|' || \
                        typeof(b) || '|' || hex(b) || '|' || g FROM t ORDER BY id";
        assert_eq!(rows_of(&database, snapshot), rows_of(&copy, snapshot));
        let schema = "SELECT type || name || sql FROM sqlite_master ORDER BY name";
        assert_eq!(rows_of(&database, schema), rows_of(&copy, schema));
        let sequence = "SELECT name || seq FROM sqlite_sequence";
        assert_eq!(rows_of(&database, sequence), rows_of(&copy, sequence));
    }
}
