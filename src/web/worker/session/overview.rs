//! The overview of the open file: facts from its header (as opened) and the table names for
//! every snapshot (where it stands in the history, in words, comes from `crate::diagnose`);
//! `integrity_check` and each table's row count only when the page asks
//! ([`OpenDatabase::overview_checks`]): on a large file they cost as much as a migration step,
//! and a snapshot follows every operation.

use super::OpenDatabase;
use crate::export::quote_identifier;
use crate::web::protocol::{Overview, OverviewChecks, TableCount};

/// The parts of the overview's progress bar: reading the file ahead (a lazily opened one), then
/// `integrity_check`; the row counts take the rest (they read pages the check just read).
const OVERVIEW_PARTS: [f64; 2] = [0.3, 0.65];

/// Page fetches `integrity_check` is expected to make per page in use, for its progress bar (it
/// visits every page of every b-tree; an estimate: a check that fetches fewer jumps to done at
/// the end, one that fetches more creeps near the top).
const INTEGRITY_FETCHES_PER_PAGE: f64 = 2.0;

/// Offsets in the 100-byte SQLite header (<https://www.sqlite.org/fileformat.html>).
const PAGE_SIZE_AT: usize = 16;
const WRITE_VERSION_AT: usize = 18;
const SQLITE_VERSION_AT: usize = 96;

/// Header facts of a file image: `(sqlite_version, page_size, journal_mode)`.
pub(super) fn header_facts(image: &[u8]) -> (String, u32, String) {
    if image.len() < 100 {
        // A new empty database has no page yet; SQLite writes the header on first change.
        return ("(not written yet)".into(), 0, "delete".into());
    }
    let raw_page = u16::from_be_bytes([image[PAGE_SIZE_AT], image[PAGE_SIZE_AT + 1]]);
    // The value 1 stands for 65536, which does not fit in two bytes.
    let page_size = if raw_page == 1 {
        65536
    } else {
        u32::from(raw_page)
    };
    let number = u32::from_be_bytes([
        image[SQLITE_VERSION_AT],
        image[SQLITE_VERSION_AT + 1],
        image[SQLITE_VERSION_AT + 2],
        image[SQLITE_VERSION_AT + 3],
    ]);
    // SQLITE_VERSION_NUMBER is X*1000000 + Y*1000 + Z. An image serialized from memory (the
    // demo, a new database) has never been written to a file, and SQLite leaves it 0.
    let version = if number == 0 {
        "(not recorded: never written to a file)".to_string()
    } else {
        format!(
            "{}.{}.{}",
            number / 1_000_000,
            number / 1000 % 1000,
            number % 1000
        )
    };
    let journal = if image[WRITE_VERSION_AT] == 2 {
        "wal"
    } else {
        "delete"
    };
    (version, page_size, journal.into())
}

impl OpenDatabase {
    /// `integrity_check`'s rows.
    pub(super) fn integrity(
        &self,
        read: &mut dyn FnMut(u64, u64),
        checking: &mut dyn FnMut(f64),
    ) -> Result<Vec<String>, rusqlite::Error> {
        // A lazily opened file is read ahead first, in order (see `Database::read_ahead`); a
        // file that cannot be read shows as the check's failure.
        if let Err(error) = self.db.read_ahead(read) {
            return Ok(vec![error.to_string()]);
        }
        self.db
            .watch_statement(INTEGRITY_FETCHES_PER_PAGE, checking, |conn| {
                let mut statement = conn.prepare("PRAGMA integrity_check")?;
                let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
                rows.collect()
            })
    }

    /// `foreign_key_check`'s rows, in words.
    pub(super) fn foreign_key_problems(&self) -> Result<Vec<String>, rusqlite::Error> {
        let violations = self.db.foreign_key_violations()?;
        Ok(violations.iter().map(|found| found.describe()).collect())
    }

    /// Every table's name (SQLite's own excluded), by name.
    pub(super) fn table_names(&self) -> Result<Vec<String>, rusqlite::Error> {
        let conn = self.db.connection();
        let mut statement = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )?;
        let names = statement.query_map([], |row| row.get(0))?;
        names.collect()
    }

    /// Every table (SQLite's own excluded) with its row count, by name.
    fn table_counts(&self) -> Result<Vec<TableCount>, rusqlite::Error> {
        let conn = self.db.connection();
        self.table_names()?
            .into_iter()
            .map(|name| {
                let sql = format!("SELECT count(*) FROM {}", quote_identifier(&name));
                let rows: i64 = conn.query_row(&sql, [], |row| row.get(0))?;
                Ok(TableCount {
                    name,
                    rows: u64::try_from(rows).unwrap_or(0),
                })
            })
            .collect()
    }

    /// The cheap part of the overview, given the status and the table names already read.
    pub(super) fn overview(
        &self,
        status: String,
        versioned: bool,
        table_names: Vec<String>,
    ) -> Overview {
        let (sqlite_version, page_size, journal_mode) = header_facts(&self.original);
        Overview {
            size: self.original.len(),
            sqlite_version,
            page_size,
            journal_mode,
            table_names,
            status,
            versioned,
        }
    }

    /// The slow part: `integrity_check` and the row counts, telling `progress` the part done
    /// (see [`OVERVIEW_PARTS`]).
    pub(super) fn overview_checks(
        &mut self,
        progress: &mut dyn FnMut(f64),
    ) -> Result<OverviewChecks, rusqlite::Error> {
        let [reading, checking] = OVERVIEW_PARTS;
        let progress = std::cell::RefCell::new(progress);
        let mut read = |done: u64, total: u64| {
            if total > 0 {
                (progress.borrow_mut())(reading * done as f64 / total as f64);
            }
        };
        let mut check = |fraction| (progress.borrow_mut())(reading + checking * fraction);
        let integrity = self.integrity_checked(&mut read, &mut check)?;
        (progress.borrow_mut())(reading + checking);
        Ok(OverviewChecks {
            integrity,
            tables: crate::timing::span("sqlite:row_counts", || self.table_counts())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(page: [u8; 2], write: u8, version: u32) -> Vec<u8> {
        let mut bytes = vec![0u8; 100];
        bytes[16..18].copy_from_slice(&page);
        bytes[18] = write;
        bytes[96..100].copy_from_slice(&version.to_be_bytes());
        bytes
    }

    #[test]
    fn an_image_never_written_to_a_file_has_no_sqlite_version() {
        let facts = header_facts(&image([0x10, 0x00], 1, 0));
        assert_eq!(facts.0, "(not recorded: never written to a file)");
    }

    #[test]
    fn header_facts_read_version_page_size_and_wal() {
        let facts = header_facts(&image([0x10, 0x00], 2, 3_045_001));
        assert_eq!(facts, ("3.45.1".into(), 4096, "wal".into()));
        let facts = header_facts(&image([0x00, 0x01], 1, 3_050_004));
        assert_eq!(facts, ("3.50.4".into(), 65536, "delete".into()));
    }
}
