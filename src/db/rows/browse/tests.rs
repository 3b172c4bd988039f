//! Browsing and the console on a small database made here: paging, sorting, name checks, the
//! read-only rule and what is refused even when writing is unlocked.

use super::*;
use crate::db::{ConsoleError, MAX_CONSOLE_ROWS};

/// `items` with 1000 rows (name `item-0000`… in reverse id order), a weird-named table, and a
/// table with a foreign key, a CHECK and an index.
fn sample() -> Database {
    let db = Database::new_empty().expect("in-memory database");
    db.conn
        .execute_batch(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
             INSERT INTO items (id, name, price) SELECT i, printf('item-%04d', 1000 - i),
               CASE WHEN i % 10 = 0 THEN NULL ELSE i * 1.5 END FROM n;
             CREATE TABLE \"we\"\"ird\" (x TEXT);
             INSERT INTO \"we\"\"ird\" VALUES ('<script>alert(1)</script>');
             CREATE TABLE owners (id INTEGER PRIMARY KEY,
               item_id INTEGER REFERENCES items (id) ON DELETE CASCADE,
               status VARCHAR(10) DEFAULT 'new' NOT NULL,
               CONSTRAINT ck_owner_status CHECK (status IN ('new', 'old')));
             CREATE INDEX ix_owners_item ON owners (item_id);",
        )
        .expect("sample schema");
    db
}

fn page(table: &str, sort: Option<(&str, bool)>, offset: u64, limit: u32) -> PageRequest {
    PageRequest {
        table: table.into(),
        sort: sort.map(|(column, descending)| SortBy {
            column: column.into(),
            descending,
        }),
        offset,
        limit,
    }
}

fn first_cells(page: &TablePage, column: usize) -> Vec<Option<String>> {
    page.grid
        .rows
        .iter()
        .map(|row| row[column].clone())
        .collect()
}

#[test]
fn tables_are_listed_with_their_row_counts() {
    let summaries = sample().table_summaries().expect("listed");
    let names: Vec<(&str, u64)> = summaries
        .iter()
        .map(|t| (t.name.as_str(), t.rows))
        .collect();
    assert_eq!(names, vec![("items", 1000), ("owners", 0), ("we\"ird", 1)]);
}

#[test]
fn pages_are_windows_of_the_sorted_table() {
    let db = sample();
    let second = db.table_page(&page("items", None, 50, 50)).expect("a page");
    assert_eq!(second.total_rows, 1000);
    assert_eq!(second.grid.columns, vec!["id", "name", "price"]);
    assert_eq!(second.grid.rows.len(), 50);
    assert_eq!(second.grid.rows[0][0].as_deref(), Some("51"));
    let by_name = db
        .table_page(&page("items", Some(("name", false)), 0, 3))
        .expect("sorted");
    assert_eq!(
        first_cells(&by_name, 1),
        vec![
            Some("item-0000".to_string()),
            Some("item-0001".to_string()),
            Some("item-0002".to_string())
        ]
    );
    let by_id_desc = db
        .table_page(&page("items", Some(("id", true)), 0, 2))
        .expect("sorted");
    assert_eq!(
        first_cells(&by_id_desc, 0),
        vec![Some("1000".into()), Some("999".into())]
    );
    assert_eq!(by_id_desc.grid.rows[0][2], None, "NULL stays NULL");
}

#[test]
fn the_page_size_is_capped() {
    let page = sample()
        .table_page(&page("items", None, 0, 100_000))
        .expect("a page");
    assert_eq!(page.grid.rows.len(), MAX_PAGE_ROWS as usize);
    assert_eq!(page.request.limit, MAX_PAGE_ROWS);
}

#[test]
fn unknown_tables_and_columns_are_refused_not_pasted() {
    let db = sample();
    let table = db
        .table_page(&page("items; DROP TABLE items", None, 0, 10))
        .expect_err("no such table");
    assert!(matches!(table, BrowseError::NoSuchTable { .. }), "{table}");
    let column = db
        .table_page(&page("items", Some(("name DESC; --", false)), 0, 10))
        .expect_err("no such column");
    assert!(column.to_string().contains("has no column"), "{column}");
    let weird = db.table_page(&page("we\"ird", Some(("x", false)), 0, 10));
    assert_eq!(
        weird.expect("quoted name works").grid.rows[0][0].as_deref(),
        Some("<script>alert(1)</script>")
    );
}

#[test]
fn the_detail_has_the_schema_and_the_create_statements() {
    let detail = sample().table_detail("owners").expect("detail");
    assert!(detail.create_sql.starts_with("CREATE TABLE owners"));
    assert_eq!(
        detail.index_sql,
        vec!["CREATE INDEX ix_owners_item ON owners (item_id)"]
    );
    assert_eq!(detail.table.foreign_keys[0].table, "items");
    assert_eq!(detail.table.checks[0].name, "ck_owner_status");
    let status = &detail.table.columns[2];
    assert_eq!(status.default.as_deref(), Some("'new'"));
    assert!(status.notnull);
}

#[test]
fn the_console_reads_and_reports_sql_errors() {
    let mut db = sample();
    let outcome = db
        .run_console("SELECT count(*) AS n, max(id) FROM items", false)
        .expect("runs");
    assert_eq!(outcome.grid.columns, vec!["n", "max(id)"]);
    assert_eq!(
        outcome.grid.rows,
        vec![vec![Some("1000".into()), Some("1000".into())]]
    );
    assert!(!outcome.wrote);
    let error = db.run_console("SELEC 1", false).expect_err("syntax");
    assert!(
        matches!(&error, ConsoleError::Sql(m) if m.contains("syntax error")),
        "{error}"
    );
    assert_eq!(db.run_console("  ;", false), Err(ConsoleError::Empty));
    assert_eq!(
        db.run_console("SELECT 1; SELECT 2", false),
        Err(ConsoleError::SeveralStatements)
    );
    let many = db
        .run_console("SELECT * FROM items, items AS b LIMIT 5000", false)
        .expect("runs");
    assert!(many.truncated);
    assert_eq!(many.grid.rows.len(), MAX_CONSOLE_ROWS);
}

#[test]
fn writes_need_the_unlock() {
    let mut db = sample();
    let locked = db.run_console("DELETE FROM items WHERE id > 10", false);
    assert_eq!(locked, Err(ConsoleError::WriteLocked));
    assert_eq!(
        db.table_summaries().expect("listed")[0].rows,
        1000,
        "nothing deleted"
    );
    let done = db
        .run_console("DELETE FROM items WHERE id > 10", true)
        .expect("unlocked");
    assert!(done.wrote);
    assert_eq!(done.changes, 990);
    assert_eq!(db.table_summaries().expect("listed")[0].rows, 10);
    let created = db.run_console("CREATE TABLE t (x)", false);
    assert_eq!(created, Err(ConsoleError::WriteLocked));
}

#[test]
fn attach_extensions_transactions_and_setting_pragmas_are_refused_even_unlocked() {
    let mut db = sample();
    for sql in [
        "ATTACH DATABASE ':memory:' AS other",
        "ATTACH 'file:/etc/passwd?mode=ro' AS x",
        "SELECT load_extension('libevil')",
        "BEGIN",
        "PRAGMA foreign_keys = OFF",
        "PRAGMA writable_schema = 1",
    ] {
        for unlocked in [false, true] {
            let error = db.run_console(sql, unlocked).expect_err(sql);
            assert!(
                matches!(error, ConsoleError::Refused(_)),
                "{sql}: {error:?}"
            );
        }
    }
    let info = db
        .run_console("PRAGMA table_info(items)", false)
        .expect("reading pragmas is fine");
    assert_eq!(info.grid.rows.len(), 3);
    assert!(db.connection().is_autocommit(), "no transaction left open");
    // Migrations and browsing afterwards run without the console's authorizer.
    db.conn
        .execute_batch("PRAGMA foreign_keys = ON; BEGIN; COMMIT;")
        .expect("hooks removed");
}

#[test]
fn a_runaway_query_is_interrupted() {
    let mut db = sample();
    let error = db
        .run_console(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            false,
        )
        .expect_err("stopped");
    assert!(error.to_string().contains("ran too long"), "{error}");
}
