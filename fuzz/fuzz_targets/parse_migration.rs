//! Arbitrary text parsed as a migration file, and, when it parses, built into a history with
//! ContentEngine's embedded migrations (duplicate ids, unknown down revisions, cycles). Errors
//! are fine; panics are bugs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    harness::parse_migration("fuzz_input.sql", text);
});
