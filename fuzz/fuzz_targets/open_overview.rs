//! Arbitrary bytes opened as a database and turned into the overview the page and `current`
//! show: revision rows, whether it is versioned, the schema, and the bytes handed back. Any
//! panic (or abort) is a bug: every bad file must end in a `DbError`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    content_db_fuzz_overview(bytes);
});

fn content_db_fuzz_overview(bytes: &[u8]) {
    let Ok(mut database) = content_db::Database::open_bytes(bytes) else {
        return;
    };
    let _ = database.is_versioned();
    let _ = database.current_versions();
    let _ = database.schema();
    let _ = database.to_bytes();
}
