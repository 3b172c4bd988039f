//! Arbitrary text parsed as a migration file, and, when it parses, built into a history with
//! ContentEngine's embedded migrations (duplicate ids, unknown down revisions, cycles). Errors
//! are fine; panics are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = content_db::revision::parse_migration("fuzz_input.sql", text);
    let mut files: Vec<(&str, &str)> = content_db::migrations::EMBEDDED_MIGRATIONS.to_vec();
    files.push(("fuzz_input.sql", text));
    if let Ok(history) = content_db::History::from_files(&files) {
        let _ = history.heads();
        let _ = content_db::revision::format::history(&history, None, true, &[], false);
    }
});
