//! The fuzz corpus (`fuzz/corpus/<target>/`) replayed through the same calls as the fuzz
//! targets, so every input that once found something keeps being run by a plain `cargo test`
//! (the fuzz crate itself needs nightly features and is not built here). Crashes found while
//! fuzzing are added to the corpus and named in TESTING.md.

use std::fs;
use std::path::PathBuf;

use content_db::{Database, History};

use crate::common::crate_dir;

#[path = "../../fuzz/harness.rs"]
mod harness;

/// The files of `fuzz/corpus/<target>/`, sorted by name.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = crate_dir().join("fuzz/corpus").join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| {
            let path = entry.expect("entry").path();
            let bytes = fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
}

#[test]
fn open_overview_corpus_never_panics() {
    let opened = corpus("open_overview")
        .iter()
        .filter(|(_, bytes)| harness::open_overview(bytes))
        .count();
    assert!(opened > 0, "the corpus holds valid databases too");
}

#[test]
fn parse_migration_corpus_never_panics() {
    for (path, bytes) in corpus("parse_migration") {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            harness::parse_migration(&path.display().to_string(), text);
        }
    }
    // The real migration files are seeds too, read from migrations/ instead of copied.
    for (name, text) in content_db::migrations::EMBEDDED_MIGRATIONS {
        harness::parse_migration(name, text);
    }
}

#[test]
fn plan_targets_corpus_never_panics() {
    for (_, bytes) in corpus("plan_targets") {
        harness::plan_targets(&bytes);
    }
}

/// A valid database at head with 512-byte pages, built once.
fn small_head_image() -> Vec<u8> {
    let history = History::embedded().expect("history");
    let mut database = Database::new_empty().expect("new");
    database
        .connection()
        .pragma_update(None, "page_size", 512)
        .expect("page size");
    let plan = history.plan_upgrade(&[], "heads").expect("plan");
    database.apply(history, &plan, |_| {}).expect("upgrade");
    database.to_bytes().expect("bytes")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// The fuzz target's calls on a real image with random bytes overwritten and a random
    /// length: every outcome is a value or a `DbError`, never a panic, and a damaged image that
    /// opens still answers the overview.
    #[test]
    fn mutated_images_open_or_are_refused(
        edits in proptest::collection::vec((0usize..12_000, proptest::prelude::any::<u8>()), 0..24),
        keep in proptest::option::weighted(0.25, 1usize..12_000),
    ) {
        let mut image = small_head_image();
        let len = image.len();
        for (offset, byte) in edits {
            image[offset % len] = byte;
        }
        if let Some(keep) = keep {
            image.truncate(keep);
        }
        if let Ok(mut database) = Database::open_bytes(&image) {
            let _ = database.is_versioned();
            let _ = database.current_versions();
            let _ = database.schema();
            let bytes = database.to_bytes().expect("an open database serializes");
            proptest::prop_assert!(!bytes.is_empty());
        }
    }
}
