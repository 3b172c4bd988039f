//! Robustness: whatever file, migration or sequence of commands content-db is given, it says
//! what is wrong in words and never loses or changes data it was not asked to change. Native
//! only (it runs the binary and proptest). The cases and what the user sees are listed in
//! TESTING.md.

mod common;

#[path = "robustness/bad_files.rs"]
mod bad_files;
#[path = "robustness/cascade.rs"]
mod cascade;
#[path = "robustness/exotic_data.rs"]
mod exotic_data;
#[path = "robustness/failing_migrations.rs"]
mod failing_migrations;
#[path = "robustness/fuzz_regressions.rs"]
mod fuzz_regressions;
#[path = "robustness/properties.rs"]
mod properties;
#[path = "robustness/scratch.rs"]
mod scratch;
