//! The overview of the open file: facts from its header (as opened), the table names and where
//! it stands in the migration history, in words, for every snapshot; `integrity_check` and each
//! table's row count only when the page asks ([`OpenDatabase::overview_checks`]): on a large
//! file they cost as much as a migration step, and a snapshot follows every operation.

use super::OpenDatabase;
use crate::export::quote_identifier;
use crate::web::protocol::{Overview, OverviewChecks, TableCount};
use crate::History;

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

/// The revisions `id` descends from (itself excluded).
fn ancestors(history: &History, id: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut todo = vec![id.to_string()];
    while let Some(next) = todo.pop() {
        if let Some(revision) = history.get(&next) {
            for down in &revision.down_revisions {
                if !seen.contains(down) {
                    seen.push(down.clone());
                    todo.push(down.clone());
                }
            }
        }
    }
    seen
}

/// True when some revision is neither before nor after `id`: it sits on one side of a branch.
fn on_a_branch(history: &History, id: &str) -> bool {
    let before = ancestors(history, id);
    history.revisions().iter().any(|other| {
        other.id != id
            && !before.contains(&other.id)
            && !ancestors(history, &other.id).iter().any(|a| a == id)
    })
}

/// The migration status in words.
pub(super) fn status_words(
    history: &History,
    versioned: bool,
    current: &[String],
    pending: usize,
    heads: &[String],
) -> String {
    let unknown: Vec<&String> = current
        .iter()
        .filter(|id| history.get(id).is_none())
        .collect();
    let head_text = heads.join(", ");
    if !versioned {
        return "Not versioned: the file has no alembic_version table. If its tables already \
                match a revision, stamp it: type that revision in “Migrate to”, tick “stamp \
                only”, and preview."
            .into();
    }
    if !unknown.is_empty() {
        let ids: Vec<&str> = unknown.iter().map(|id| id.as_str()).collect();
        return format!(
            "Unknown revision {}: this build's history does not contain it. Either the file \
             is ahead of this build (written by a newer ContentEngine whose migration is not \
             included here), or it was stamped with an id that never existed. Nothing can be \
             planned from it; this build's head is {head_text}.",
            ids.join(", ")
        );
    }
    if let Some((ancestor, descendant)) = history.overlapping_rows(current) {
        return format!(
            "Inconsistent: alembic_version holds both {descendant} and {ancestor}, but \
             {ancestor} is an ancestor of {descendant}. Stamp the revision the schema is at \
             before migrating."
        );
    }
    let steps = if pending == 1 { "step" } else { "steps" };
    if pending == 0 {
        return format!("Up to date: at head ({head_text}).");
    }
    if current.is_empty() {
        return format!("Empty (base): {pending} {steps} behind head ({head_text}).");
    }
    if current.len() > 1 {
        return format!(
            "On a branch: both branches are applied ({}); {pending} {steps} behind head \
             ({head_text}).",
            current.join(", ")
        );
    }
    if on_a_branch(history, &current[0]) {
        return format!(
            "On a branch: at {} on one side of a branch; {pending} {steps} behind head \
             ({head_text}).",
            current[0]
        );
    }
    format!("{pending} {steps} behind head ({head_text}).")
}

impl OpenDatabase {
    /// `integrity_check`'s rows.
    pub(super) fn integrity(&self) -> Result<Vec<String>, rusqlite::Error> {
        let conn = self.db.connection();
        let mut statement = conn.prepare("PRAGMA integrity_check")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        rows.collect()
    }

    /// `foreign_key_check`'s rows, in words.
    pub(super) fn foreign_key_problems(&self) -> Result<Vec<String>, rusqlite::Error> {
        let conn = self.db.connection();
        let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = statement.query_map([], |row| {
            let table: String = row.get(0)?;
            let rowid: Option<i64> = row.get(1)?;
            let parent: String = row.get(2)?;
            let rowid = rowid.map_or("a row".to_string(), |id| format!("row {id}"));
            Ok(format!(
                "{table}: {rowid} refers to a missing row of {parent}"
            ))
        })?;
        rows.collect()
    }

    /// Every table's name (SQLite's own excluded), by name.
    fn table_names(&self) -> Result<Vec<String>, rusqlite::Error> {
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

    /// The cheap part of the overview, given the status already worked out.
    pub(super) fn overview(
        &self,
        status: String,
        versioned: bool,
    ) -> Result<Overview, rusqlite::Error> {
        let (sqlite_version, page_size, journal_mode) = header_facts(&self.original);
        Ok(Overview {
            size: self.original.len() as u64,
            sqlite_version,
            page_size,
            journal_mode,
            table_names: self.table_names()?,
            status,
            versioned,
        })
    }

    /// The slow part: `integrity_check` and the row counts.
    pub(super) fn overview_checks(&mut self) -> Result<OverviewChecks, rusqlite::Error> {
        Ok(OverviewChecks {
            integrity: self.integrity_checked()?,
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

    #[test]
    fn status_words_cover_every_case() {
        let history = History::embedded().expect("history");
        let heads: Vec<String> = history.heads().iter().map(|r| r.id.clone()).collect();
        assert!(status_words(history, false, &[], 0, &heads).starts_with("Not versioned"));
        let unknown = status_words(history, true, &["ffffffffffff".into()], 0, &heads);
        assert!(unknown.contains("ffffffffffff") && unknown.contains("ahead of this build"));
        assert!(status_words(history, true, &heads, 0, &heads).starts_with("Up to date"));
        assert!(status_words(history, true, &[], 7, &heads).contains("7 steps behind"));
        let both = vec!["c3e7a1d9f482".to_string(), "d5f0b2c8e614".to_string()];
        assert!(status_words(history, true, &both, 2, &heads).starts_with("On a branch"));
        assert!(status_words(history, true, &both[..1], 3, &heads).starts_with("On a branch"));
        let overlap = vec!["b81d3e5f0a27".to_string(), "c3e7a1d9f482".to_string()];
        let inconsistent = status_words(history, true, &overlap, 0, &heads);
        assert!(
            inconsistent.starts_with("Inconsistent")
                && inconsistent.contains("b81d3e5f0a27 is an ancestor of c3e7a1d9f482"),
            "{inconsistent}"
        );
        let root = history.bases()[0].id.clone();
        assert!(status_words(history, true, &[root], 5, &heads).starts_with("5 steps behind"));
    }
}
