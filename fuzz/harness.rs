//! What each fuzz target does with one input, shared by the targets in `fuzz_targets/` and by
//! `tests/robustness/fuzz_regressions.rs`, which replays the corpus through the same calls in a
//! plain `cargo test` (the fuzz crate itself needs nightly features). Errors are fine; a panic is
//! a bug.
// Each fuzz target binary calls one of these functions; the others are unused there.
#![allow(dead_code)]

use content_db::revision::format;
use content_db::{Database, History};

/// `alembic_version` rows of the states a real file can be in.
const STATES: &[&[&str]] = &[
    &[],
    &["4f2a9c1e7b3d"],
    &["b81d3e5f0a27"],
    &["c3e7a1d9f482"],
    &["d5f0b2c8e614"],
    &["c3e7a1d9f482", "d5f0b2c8e614"],
    &["e9a4c6b1d358"],
    &["0a6c9e3f5b71"],
];

/// Arbitrary bytes opened as a database and turned into the overview the page and `current`
/// show: revision rows, whether it is versioned, the schema, and the bytes handed back.
/// Returns whether the bytes opened at all.
pub fn open_overview(bytes: &[u8]) -> bool {
    let Ok(mut database) = Database::open_bytes(bytes) else {
        return false;
    };
    let _ = database.is_versioned();
    let _ = database.current_versions();
    let _ = database.schema();
    let _ = database.to_bytes();
    true
}

/// Arbitrary text parsed as the migration file `name`, and, when it parses, built into a
/// history with ContentEngine's embedded migrations (duplicate ids, unknown down revisions,
/// cycles).
pub fn parse_migration(name: &str, text: &str) {
    let _ = content_db::revision::parse_migration(name, text);
    let mut files: Vec<(&str, &str)> = content_db::migrations::EMBEDDED_MIGRATIONS.to_vec();
    files.push((name, text));
    if let Ok(history) = History::from_files(&files) {
        let _ = history.heads();
        let _ = format::history(&history, None, true, &[], false);
    }
}

/// Arbitrary targets planned from every state of ContentEngine's history. The first byte picks
/// the `alembic_version` rows (one of the real states, or the first input line as rows); the
/// rest is the target.
pub fn plan_targets(input: &[u8]) {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let history = History::embedded().expect("the embedded history is valid");
    let (rows, target): (Vec<String>, &str) = match STATES.get(usize::from(selector) % 9) {
        Some(rows) => (rows.iter().map(|id| id.to_string()).collect(), text),
        None => {
            let (rows, target) = text.split_once('\n').unwrap_or((text, ""));
            (rows.split(',').map(str::to_string).collect(), target)
        }
    };
    let _ = history.plan_upgrade(&rows, target);
    let _ = history.plan_downgrade(&rows, target);
    let _ = history.downgrade_warning(&rows, target);
    let _ = history.plan_stamp(&rows, target, false);
    let _ = history.plan_stamp_many(&rows, &[target, "heads"], selector & 0x80 != 0);
    let _ = format::history(history, Some(target), false, &rows, true);
    let _ = format::current(history, &rows, true, "sqlite:///fuzz.db");
}
