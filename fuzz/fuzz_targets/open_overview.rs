//! Arbitrary bytes opened as a database and turned into the overview the page and `current`
//! show: revision rows, whether it is versioned, the schema, and the bytes handed back. Any
//! panic (or abort) is a bug: every bad file must end in a `DbError`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    harness::open_overview(bytes);
});
