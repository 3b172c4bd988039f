//! Pure: how many bytes a plan's steps will write, from the tables and indexes their SQL names
//! and those objects' sizes in the database now, and whether that fits the memory left, decided
//! before anything runs. No SQLite: the sizes come from `db/` ([`Sizes`]), the memory from the
//! front end ([`Room`]).
//!
//! In the page, a chosen file's bytes stay in the `File`; what a migration writes is held in
//! WebAssembly memory (the changed 64 KiB chunks, SQLite's in-memory journal of the pages it
//! changes in place), which cannot grow past 4 GiB on wasm32. What each statement costs:
//!
//! | statement | bytes counted |
//! |---|---|
//! | `INSERT … SELECT`, `CREATE TABLE … AS` (a batch rebuild's copy) | the tables read, with their automatic indexes (a `UNIQUE` or a non-integer `PRIMARY KEY`) |
//! | `CREATE INDEX` | the index of that name as it is now, or else the whole table it indexes |
//! | `UPDATE`, `DELETE`, `REINDEX` of a table the plan has not rewritten yet | twice the table (the pages written and the journal's copies of them) |
//! | the same, of a table the plan rewrote | the table once (the journal's copies) |
//! | `VACUUM` | the whole database |
//! | anything else (`CREATE TABLE (…)`, `DROP`, `ALTER … ADD COLUMN / RENAME`) | nothing: schema and a few pages |
//!
//! `CREATE TABLE (…)` starts a table at 0 bytes, `ALTER TABLE … RENAME` and `DROP TABLE` carry
//! the sizes along, so an index built on the
//! renamed copy counts the copy. Each figure is an upper bound of what SQLite writes for it;
//! [`needed`] adds the copies undo keeps of chunks written before and a margin.

mod scan;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use scan::{writes, Write};

/// The bytes of each table and index of a database now (names in lower case), and of the whole
/// database (its pages in use).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Bytes of each b-tree, by name.
    pub objects: BTreeMap<String, u64>,
    /// Bytes of every page in use.
    pub whole: u64,
}

impl Sizes {
    /// Every object taken as large as the whole database: a bound that needs no walk of the
    /// b-trees (if a plan fits with it, it fits).
    pub fn all_whole(whole: u64) -> Sizes {
        Sizes {
            objects: BTreeMap::new(),
            whole,
        }
    }

    fn object(&self, name: &str) -> Option<u64> {
        if self.objects.is_empty() {
            return Some(self.whole);
        }
        self.objects.get(name).copied()
    }

    /// The automatic indexes of `table` (`sqlite_autoindex_<table>_N`), which a copy rebuilds.
    fn autoindexes(&self, table: &str) -> u64 {
        if self.objects.is_empty() {
            return 0;
        }
        let prefix = format!("sqlite_autoindex_{table}_");
        self.objects
            .iter()
            .filter(|(name, _)| name.starts_with(&prefix))
            .map(|(_, bytes)| bytes)
            .sum()
    }
}

/// The tables a plan's SQL reads or builds on: those whose sizes [`estimate`] looks up.
pub fn objects_named(steps: &[Vec<Write>]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for write in steps.iter().flatten() {
        match write {
            Write::Copy { from, .. } => names.extend(from.iter().cloned()),
            Write::InPlace { table } => {
                names.insert(table.clone());
            }
            Write::Index { index, table } => {
                names.insert(index.clone());
                names.insert(table.clone());
            }
            Write::Create { .. } | Write::Rename { .. } | Write::Drop { .. } | Write::Vacuum => {}
        }
    }
    names
}

/// The bytes the steps' statements write, in order (see the module's table), with `sizes` the
/// objects' sizes before the first step.
pub fn estimate(steps: &[Vec<Write>], sizes: &Sizes) -> u64 {
    let mut table_bytes: BTreeMap<String, u64> = BTreeMap::new();
    let mut rewritten: BTreeSet<String> = BTreeSet::new();
    let size_now = |table: &str, bytes: &BTreeMap<String, u64>| {
        bytes
            .get(table)
            .copied()
            .or_else(|| sizes.object(table))
            .unwrap_or(0)
    };
    let mut total: u64 = 0;
    for write in steps.iter().flatten() {
        let cost = match write {
            Write::Copy { into, from } => {
                let copied: u64 = from
                    .iter()
                    .map(|table| size_now(table, &table_bytes) + sizes.autoindexes(table))
                    .sum();
                let before = size_now(into, &table_bytes);
                table_bytes.insert(into.clone(), before.saturating_add(copied));
                rewritten.insert(into.clone());
                copied
            }
            Write::InPlace { table } => {
                let bytes = size_now(table, &table_bytes);
                if rewritten.contains(table) {
                    bytes
                } else {
                    bytes.saturating_mul(2)
                }
            }
            Write::Index { index, table } => match sizes.objects.get(index) {
                Some(&bytes) => bytes,
                None => size_now(table, &table_bytes),
            },
            Write::Create { table } => {
                table_bytes.insert(table.clone(), 0);
                rewritten.insert(table.clone());
                0
            }
            Write::Rename { from, to } => {
                let bytes = size_now(from, &table_bytes);
                table_bytes.insert(from.clone(), 0);
                table_bytes.insert(to.clone(), bytes);
                if rewritten.remove(from) {
                    rewritten.insert(to.clone());
                }
                0
            }
            Write::Drop { table } => {
                table_bytes.insert(table.clone(), 0);
                rewritten.remove(table);
                0
            }
            Write::Vacuum => sizes.whole,
        };
        total = total.saturating_add(cost);
    }
    total
}

/// What a change may not grow past: a memory `limit` of which `in_use` bytes are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    /// The most memory there can be (WebAssembly's 4 GiB on wasm32).
    pub limit: u64,
    /// Memory taken now (it never shrinks).
    pub in_use: u64,
}

impl Room {
    /// What is left.
    pub fn available(&self) -> u64 {
        self.limit.saturating_sub(self.in_use)
    }
}

/// Kept free beyond the estimate: SQLite's page cache, the chunks a page write makes owned
/// whole, the b-trees' slack.
pub const MARGIN: u64 = 64 << 20;

/// The memory a change needs: the `estimate` written, the copies undo may keep of chunks
/// written before it (at most `changed`, the bytes of those held now), a quarter more, and
/// [`MARGIN`]. The quarter: the page store held 1.14× the estimate after the `posts` rebuild
/// of the 100, 500 and 1000 MB benchmark files (interior pages, the free list, chunks written
/// in part; `examples/footprint_accuracy`, BENCHMARKS.md).
pub fn needed(estimate: u64, changed: u64) -> u64 {
    estimate
        .saturating_add(changed.min(estimate))
        .saturating_add(estimate / 4)
        .saturating_add(MARGIN)
}

/// Why a change is refused before it starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    /// The change would need more memory than the browser can still give.
    #[error(
        "{what} would need about {needed} of the browser's memory for the pages it writes, and \
         only {available} is left ({in_use} of WebAssembly's {limit} in use). Nothing was \
         changed. The command-line tool does it on disk, without this limit: `{command}`"
    )]
    WouldNotFit {
        /// The change, in words (e.g. `upgrading content.db to head`).
        what: String,
        /// What it needs ([`needed`]).
        needed: Bytes,
        /// What is left ([`Room::available`]).
        available: Bytes,
        /// What is in use.
        in_use: Bytes,
        /// The limit.
        limit: Bytes,
        /// The command that does the same on the file.
        command: String,
    },
}

/// `Ok` when a change needing `needed` bytes fits `room`; else [`FitError::WouldNotFit`] with
/// `what` and the CLI `command`.
pub fn check(needed: u64, room: Room, what: &str, command: &str) -> Result<(), FitError> {
    if needed <= room.available() {
        return Ok(());
    }
    Err(FitError::WouldNotFit {
        what: what.to_string(),
        needed: Bytes(needed),
        available: Bytes(room.available()),
        in_use: Bytes(room.in_use),
        limit: Bytes(room.limit),
        command: command.to_string(),
    })
}

/// The command-line tool's command doing `action` (`upgrade`, `downgrade`, `stamp`) to `target`
/// on `file_name`; `loaded` when the page plans with migration files the user chose (the CLI
/// needs their folder).
pub fn cli_command(file_name: &str, action: &str, target: &str, loaded: bool) -> String {
    let migrations = if loaded {
        " --migrations <the folder of those migration files>"
    } else {
        ""
    };
    format!(
        "content-db --db {} {action} {target}{migrations}",
        shell_word(file_name)
    )
}

/// `word` as one shell word: quoted when it holds anything but letters, digits and `._-/`.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A number of bytes, shown in the largest binary unit that keeps it at or above 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        let mut value = self.0 as f64;
        let mut unit = 0;
        while value >= 1024.0 && unit + 1 < UNITS.len() {
            value /= 1024.0;
            unit += 1;
        }
        if unit == 0 {
            write!(f, "{} bytes", self.0)
        } else {
            write!(f, "{value:.1} {}", UNITS[unit])
        }
    }
}
