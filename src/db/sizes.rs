//! How many bytes the database's tables and indexes take, for the estimate of what a plan will
//! write ([`crate::footprint`]): the pages in use from the header's counts (no read), and an
//! object's pages from SQLite's `dbstat`, which walks that one b-tree (reading its pages).

use std::collections::BTreeSet;

use super::{Database, DbError};
use crate::footprint::Sizes;

impl Database {
    /// The bytes of every page in use (all pages but the free list's), read from the header.
    pub fn used_bytes(&self) -> Result<u64, DbError> {
        let pragma = |name: &str| -> Result<i64, DbError> {
            Ok(self.conn.pragma_query_value(None, name, |row| row.get(0))?)
        };
        let pages = pragma("page_count")? - pragma("freelist_count")?;
        let page_size = pragma("page_size")?;
        Ok(u64::try_from(pages.max(0) * page_size).unwrap_or(0))
    }

    /// The sizes of the tables and indexes `names` (lower case; those that do not exist are
    /// left out), with the automatic indexes of the tables among them, and the pages in use.
    /// Walks each named b-tree: on a file opened lazily, this reads their pages.
    pub fn object_sizes(&self, names: &BTreeSet<String>) -> Result<Sizes, DbError> {
        let mut sizes = Sizes {
            objects: Default::default(),
            whole: self.used_bytes()?,
        };
        // Case-insensitive names as SQLite stores them, with each table's automatic indexes.
        let mut find = self.conn.prepare(
            "SELECT name FROM sqlite_schema WHERE lower(name) = ?1 \
             OR (type = 'index' AND lower(tbl_name) = ?1 AND name LIKE 'sqlite_autoindex_%')",
        )?;
        let mut measure = self
            .conn
            .prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat('main', 1) WHERE name = ?1")?;
        for name in names {
            let stored: Vec<String> = find
                .query_map([name], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            for stored in stored {
                let bytes: i64 = crate::timing::span("sqlite:dbstat", || {
                    measure.query_row([&stored], |row| row.get(0))
                })?;
                sizes
                    .objects
                    .insert(stored.to_lowercase(), u64::try_from(bytes).unwrap_or(0));
            }
        }
        Ok(sizes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_the_pages_of_each_named_b_tree_and_its_automatic_indexes() {
        let db = Database::new_empty().expect("empty database");
        db.connection()
            .execute_batch(
                "CREATE TABLE Big (id INTEGER PRIMARY KEY, code TEXT UNIQUE, body BLOB);
                 CREATE INDEX ix_big_body ON Big (body);
                 CREATE TABLE small (x);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                 INSERT INTO Big (code, body) SELECT 'c' || i, randomblob(2000) FROM n;",
            )
            .expect("tables");
        let names: BTreeSet<String> = ["big", "missing"].iter().map(|s| s.to_string()).collect();
        let sizes = db.object_sizes(&names).expect("sizes");
        let page_size = 4096;
        let big = sizes.objects["big"];
        // 200 rows of 2000 bytes: at least 100 pages, in leaf pages of two rows each.
        assert!(big >= 100 * page_size && big <= 110 * page_size, "{big}");
        assert!(
            sizes.objects.contains_key("sqlite_autoindex_big_1"),
            "{sizes:?}"
        );
        assert!(
            !sizes.objects.contains_key("ix_big_body"),
            "not named: {sizes:?}"
        );
        assert!(!sizes.objects.contains_key("small"), "not named: {sizes:?}");
        assert_eq!(sizes.objects.len(), 2, "{sizes:?}");
        let pages: i64 = db
            .connection()
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .expect("page count");
        assert_eq!(sizes.whole, pages as u64 * page_size);
        assert!(sizes.whole > big);
    }
}
