//! Looking into the open database one page at a time: the list of tables with their row counts,
//! one page of a table sorted by a column, and a table's schema with its CREATE statements.
//! Table and column names from the page are checked against the schema and then quoted, never
//! pasted in as given; a page is at most [`MAX_PAGE_ROWS`] rows, so a 100k-row table is never
//! read whole.

use super::console::cell_text;
use crate::db::Database;
use serde::{Deserialize, Serialize};

/// The most rows one page may ask for.
pub const MAX_PAGE_ROWS: u32 = 500;

/// A table and how many rows it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSummary {
    /// The table name.
    pub name: String,
    /// `SELECT count(*)`.
    pub rows: u64,
}

/// Which column a page is sorted by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortBy {
    /// A column of the table.
    pub column: String,
    /// Largest first.
    pub descending: bool,
}

/// What the page asks for: a table, a sort, and a window of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    /// The table to read.
    pub table: String,
    /// The sort; `None` keeps the table's own order (rowid).
    pub sort: Option<SortBy>,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return (capped at [`MAX_PAGE_ROWS`]).
    pub limit: u32,
}

/// Rows as text, the way the page shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    /// Column names.
    pub columns: Vec<String>,
    /// One `Vec` per row; `None` is SQL NULL.
    pub rows: Vec<Vec<Option<String>>>,
}

/// One page of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablePage {
    /// What was asked for (with the limit as applied).
    pub request: PageRequest,
    /// All rows of the table, for "rows 51–100 of 100000".
    pub total_rows: u64,
    /// The rows of this page.
    pub grid: Grid,
}

/// A table's schema as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDetail {
    /// The table name.
    pub name: String,
    /// Columns, indexes, foreign keys and named CHECKs.
    pub table: crate::schema::Table,
    /// The `CREATE TABLE` statement as stored in `sqlite_schema`.
    pub create_sql: String,
    /// The `CREATE INDEX` statements of its named indexes.
    pub index_sql: Vec<String>,
}

/// Why a browse request was refused.
#[derive(Debug, thiserror::Error)]
pub enum BrowseError {
    /// The table does not exist (anymore).
    #[error("there is no table named {table:?} in this database; pick one from the table list")]
    NoSuchTable {
        /// The name asked for.
        table: String,
    },
    /// The sort column is not a column of the table.
    #[error("table {table} has no column {column:?} to sort by; click a column header instead")]
    NoSuchColumn {
        /// The table.
        table: String,
        /// The name asked for.
        column: String,
    },
    /// SQLite failed.
    #[error("SQLite error while reading {table}: {source}")]
    Sqlite {
        /// The table being read.
        table: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

/// `name` as a quoted SQL identifier (`"a""b"`), for names already checked against the schema.
pub(crate) fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Database {
    /// Every table (not `sqlite_*`) with its row count, by name.
    pub fn table_summaries(&self) -> Result<Vec<TableSummary>, BrowseError> {
        let sqlite = |source| BrowseError::Sqlite {
            table: "sqlite_schema".into(),
            source,
        };
        let names = self.table_names().map_err(sqlite)?;
        names
            .into_iter()
            .map(|name| {
                let rows = self.count_rows(&name)?;
                Ok(TableSummary { name, rows })
            })
            .collect()
    }

    /// One page of `request.table`, sorted by a column that exists (rowid as the tie-break, so
    /// pages do not overlap), at most [`MAX_PAGE_ROWS`] rows.
    pub fn table_page(&self, request: &PageRequest) -> Result<TablePage, BrowseError> {
        let table = self.checked_table(&request.table)?;
        let sqlite = |source| BrowseError::Sqlite {
            table: table.clone(),
            source,
        };
        let columns = self.column_names(&table).map_err(sqlite)?;
        let mut order = Vec::new();
        if let Some(sort) = &request.sort {
            if !columns.contains(&sort.column) {
                return Err(BrowseError::NoSuchColumn {
                    table,
                    column: sort.column.clone(),
                });
            }
            let direction = if sort.descending { "DESC" } else { "ASC" };
            order.push(format!("{} {direction}", quote_identifier(&sort.column)));
        }
        if self.has_rowid(&table).map_err(sqlite)? {
            order.push("rowid".to_string());
        }
        let order_by = if order.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", order.join(", "))
        };
        let limit = request.limit.clamp(1, MAX_PAGE_ROWS);
        let sql = format!(
            "SELECT * FROM {}{order_by} LIMIT ?1 OFFSET ?2",
            quote_identifier(&table)
        );
        let offset = i64::try_from(request.offset).unwrap_or(i64::MAX);
        let grid = self
            .query_grid(&sql, rusqlite::params![limit, offset])
            .map_err(sqlite)?;
        Ok(TablePage {
            request: PageRequest {
                limit,
                ..request.clone()
            },
            total_rows: self.count_rows(&table)?,
            grid,
        })
    }

    /// The schema of one table and its CREATE statements.
    pub fn table_detail(&self, name: &str) -> Result<TableDetail, BrowseError> {
        let name = self.checked_table(name)?;
        let sqlite = |source| BrowseError::Sqlite {
            table: name.clone(),
            source,
        };
        let schema = crate::db::schema::read_schema(&self.conn).map_err(sqlite)?;
        let table = schema.tables.get(&name).cloned().unwrap_or_default();
        let mut statement = self
            .conn
            .prepare(
                "SELECT type, sql FROM sqlite_schema WHERE tbl_name = ?1 AND sql IS NOT NULL \
                 ORDER BY type = 'table' DESC, name",
            )
            .map_err(sqlite)?;
        let statements = statement
            .query_map([&name], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(sqlite)?;
        let create_sql = statements
            .iter()
            .find(|(kind, _)| kind == "table")
            .map(|(_, sql)| sql.clone())
            .unwrap_or_default();
        let index_sql = statements
            .into_iter()
            .filter(|(kind, _)| kind == "index")
            .map(|(_, sql)| sql)
            .collect();
        Ok(TableDetail {
            name,
            table,
            create_sql,
            index_sql,
        })
    }

    fn table_names(&self) -> rusqlite::Result<Vec<String>> {
        let mut statement = self.conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )?;
        let names = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(names)
    }

    /// The name as stored, when `name` is a table of the database.
    fn checked_table(&self, name: &str) -> Result<String, BrowseError> {
        let names = self.table_names().map_err(|source| BrowseError::Sqlite {
            table: name.to_string(),
            source,
        })?;
        names
            .into_iter()
            .find(|known| known == name)
            .ok_or_else(|| BrowseError::NoSuchTable {
                table: name.to_string(),
            })
    }

    fn count_rows(&self, table: &str) -> Result<u64, BrowseError> {
        let sql = format!("SELECT count(*) FROM {}", quote_identifier(table));
        self.conn
            .query_row(&sql, [], |row| row.get::<_, i64>(0))
            .map(|count| u64::try_from(count).unwrap_or(0))
            .map_err(|source| BrowseError::Sqlite {
                table: table.to_string(),
                source,
            })
    }

    fn column_names(&self, table: &str) -> rusqlite::Result<Vec<String>> {
        let mut statement = self
            .conn
            .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
        let names = statement
            .query_map([table], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(names)
    }

    /// False for `WITHOUT ROWID` tables, which have no `rowid` to break ties with.
    fn has_rowid(&self, table: &str) -> rusqlite::Result<bool> {
        let sql = format!("SELECT rowid FROM {} LIMIT 0", quote_identifier(table));
        Ok(self.conn.prepare(&sql).is_ok())
    }

    /// Runs a read query and returns its rows as text.
    fn query_grid(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<Grid> {
        let mut statement = self.conn.prepare(sql)?;
        let columns: Vec<String> = statement.column_names().map(str::to_string).collect();
        let count = columns.len();
        let mut rows = statement.query(params)?;
        let mut grid = Grid {
            columns,
            rows: Vec::new(),
        };
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(count);
            for index in 0..count {
                cells.push(cell_text(row.get_ref(index)?));
            }
            grid.rows.push(cells);
        }
        Ok(grid)
    }
}

#[cfg(test)]
mod tests;
