//! The core (revision graph + database layer) compiled to WebAssembly and run in headless
//! Chromium with `wasm-bindgen-test`: the same code the page's worker runs.
//!
//! Run: `bash scripts/test-wasm.sh` (or `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --no-default-features --test wasm_core`).
#![cfg(target_arch = "wasm32")]

use content_db::db::DbError;
use content_db::migrations::EMBEDDED_MIGRATIONS;
use content_db::{Database, History};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A revision on one branch of the history, before the merge (as in the page's demo).
const OLDER_REVISION: &str = "c3e7a1d9f482";

fn history() -> &'static History {
    History::embedded().expect("the embedded history parses")
}

fn head_ids(history: &History) -> Vec<String> {
    history.heads().iter().map(|rev| rev.id.clone()).collect()
}

fn upgraded(target: &str) -> Database {
    let history = history();
    let mut db = Database::new_empty().expect("an empty database opens");
    let plan = history.plan_upgrade(&[], target).expect("plan from base");
    db.apply(history, &plan, |_| {}).expect("the plan applies");
    db
}

fn tables(db: &Database) -> Vec<String> {
    db.connection()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
        .expect("sqlite_master is readable")
}

fn count(db: &Database, table: &str) -> i64 {
    db.connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("count rows")
}

/// A database at [`OLDER_REVISION`] with a user and posts, as a file image.
fn populated_older_file() -> Vec<u8> {
    let mut db = upgraded(OLDER_REVISION);
    db.connection()
        .execute_batch(
            "INSERT INTO users (id, linkedin_sub, name) VALUES (1, 'li-1', 'Zoë 山田');
             INSERT INTO posts (id, content, platform, status, external_id, user_id, is_demo)
               VALUES (1, 'héllo 🚀', 'linkedin', 'posted', 'demo-1', 1, 1),
                      (2, 'draft', 'twitter', 'draft', NULL, NULL, 0);
             INSERT INTO oauth_tokens (id, platform, access_token) VALUES (1, 'linkedin', 't');",
        )
        .expect("sample rows fit the older schema");
    db.to_bytes().expect("serializes")
}

#[wasm_bindgen_test]
fn the_embedded_history_parses_with_every_file_and_one_head() {
    let history = history();
    assert_eq!(history.revisions().len(), EMBEDDED_MIGRATIONS.len());
    let heads = history.heads();
    assert_eq!(heads.len(), 1, "ContentEngine's history has one head");
    let head = &heads[0].id;
    assert!(
        history
            .revisions()
            .iter()
            .all(|rev| !rev.down_revisions.contains(head)),
        "nothing revises the head {head}"
    );
}

#[wasm_bindgen_test]
fn an_empty_database_upgrades_to_head() {
    let history = history();
    let db = upgraded("head");
    assert_eq!(db.current_versions().expect("versions"), head_ids(history));
    let tables = tables(&db);
    for table in [
        "alembic_version",
        "chat_messages",
        "oauth_tokens",
        "posts",
        "sessions",
        "users",
    ] {
        assert!(
            tables.iter().any(|name| name == table),
            "{table} missing from {tables:?}"
        );
    }
}

#[wasm_bindgen_test]
fn a_populated_file_opens_from_bytes_and_upgrades_keeping_its_rows() {
    let history = history();
    let mut db = Database::open_bytes(&populated_older_file()).expect("opens");
    assert_eq!(
        db.current_versions().expect("versions"),
        vec![OLDER_REVISION.to_string()]
    );
    let plan = history
        .plan_upgrade(&db.current_versions().expect("versions"), "heads")
        .expect("plan to head");
    let mut seen = Vec::new();
    db.apply(history, &plan, |report| {
        seen.push(report.step.revision.clone())
    })
    .expect("upgrade applies");
    let planned: Vec<String> = plan
        .steps
        .iter()
        .map(|step| step.revision.clone())
        .collect();
    assert_eq!(seen, planned, "every planned step reported, in order");
    assert_eq!(db.current_versions().expect("versions"), head_ids(history));
    assert_eq!(count(&db, "posts"), 2);
    assert_eq!(count(&db, "users"), 1);
    let content: String = db
        .connection()
        .query_row("SELECT content FROM posts WHERE id = 1", [], |row| {
            row.get(0)
        })
        .expect("post 1 kept");
    assert_eq!(content, "héllo 🚀");
}

#[wasm_bindgen_test]
fn to_bytes_round_trips() {
    let bytes = populated_older_file();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let mut db = Database::open_bytes(&bytes).expect("opens");
    let again = db.to_bytes().expect("serializes");
    let reopened = Database::open_bytes(&again).expect("reopens");
    assert_eq!(
        reopened.current_versions().expect("versions"),
        vec![OLDER_REVISION.to_string()]
    );
    assert_eq!(tables(&reopened), tables(&db));
    assert_eq!(count(&reopened, "posts"), 2);
}

#[wasm_bindgen_test]
fn a_wal_mode_file_opens_with_a_notice_and_comes_back_as_rollback_journal() {
    let mut bytes = populated_older_file();
    // Header bytes 18 and 19 (file format write/read version) are 2 in WAL mode.
    bytes[18] = 2;
    bytes[19] = 2;
    let mut db = Database::open_bytes(&bytes).expect("a WAL file opens");
    assert!(
        !db.notices().is_empty(),
        "the user is told about the WAL conversion"
    );
    assert_eq!(
        db.current_versions().expect("versions"),
        vec![OLDER_REVISION.to_string()]
    );
    let out = db.to_bytes().expect("serializes");
    assert_eq!(
        (out[18], out[19]),
        (1, 1),
        "written back as a rollback-journal file"
    );
}

#[wasm_bindgen_test]
fn garbage_is_not_a_sqlite_database() {
    let garbage = b"PK\x03\x04 this is a zip file, not a database ".repeat(64);
    match Database::open_bytes(&garbage) {
        Err(DbError::NotSqlite { .. }) => {}
        Err(other) => panic!("expected NotSqlite, got {other}"),
        Ok(_) => panic!("garbage opened as a database"),
    }
    assert!(
        matches!(Database::open_bytes(&[]), Err(DbError::Empty)),
        "an empty file gets its own message"
    );
}

#[wasm_bindgen_test]
fn a_truncated_file_gets_an_error() {
    let bytes = populated_older_file();
    let truncated = &bytes[..bytes.len() / 2];
    let outcome = Database::open_bytes(truncated).and_then(|db| db.current_versions());
    let error = outcome.expect_err("half a file must not pass as a database");
    assert!(
        matches!(error, DbError::Truncated { .. } | DbError::Corrupt { .. }),
        "a truncated file is reported as such, got: {error}"
    );
}

/// The page's worker reads files in slices into memvfs (sqlite-wasm-rs's chunked in-memory
/// VFS): opening, migrating, reading out and dropping such a database, in the browser.
#[wasm_bindgen_test]
fn a_file_read_in_slices_lives_in_the_chunked_vfs_migrates_and_reads_back_byte_for_byte() {
    let bytes = populated_older_file();
    let mut db = Database::open_slices(bytes.len() as u64, bytes.chunks(1000)).expect("opens");
    let journal: String = db
        .connection()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal mode");
    assert_eq!(
        journal, "memory",
        "the rollback journal stays in SQLite's heap"
    );
    let file: String = db
        .connection()
        .query_row(
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
            [],
            |row| row.get(0),
        )
        .expect("database list");
    assert!(
        file.starts_with("content-db-"),
        "a file of the chunked in-memory VFS, not memdb: {file:?}"
    );
    let mut out = Vec::new();
    let mut reader = db.image_reader().expect("reader");
    let mut slice = vec![0; 777];
    loop {
        let count = reader.read_slice(&mut slice).expect("reads");
        if count == 0 {
            break;
        }
        out.extend_from_slice(&slice[..count]);
    }
    assert_eq!(out, bytes, "read back byte for byte");
    let history = history();
    let plan = history
        .plan_upgrade(&db.current_versions().expect("versions"), "heads")
        .expect("plan");
    db.apply(history, &plan, |_| {})
        .expect("the upgrade runs on the chunked VFS");
    let upgraded = db.to_bytes().expect("reads out");
    let reopened =
        Database::open_slices(upgraded.len() as u64, [upgraded.as_slice()]).expect("reopens");
    assert_eq!(
        reopened.current_versions().expect("versions"),
        head_ids(history)
    );
    assert_eq!(count(&reopened, "posts"), 2);
    drop(db);
    drop(reopened);
    // The files were deleted with their databases: a new import gets a fresh file.
    let again = Database::open_slices(bytes.len() as u64, bytes.chunks(4096)).expect("opens");
    assert_eq!(count(&again, "posts"), 2);
}

/// The in-memory file grows over many of its 64 KiB chunks and shrinks again (VACUUM
/// truncates it); what SQLite wrote is what comes out, as copies and as views of whole chunks.
#[wasm_bindgen_test]
fn a_file_growing_and_shrinking_across_chunks_reads_out_as_sqlite_wrote_it() {
    let bytes = populated_older_file();
    let mut db = Database::open_slices(bytes.len() as u64, bytes.chunks(3000)).expect("opens");
    db.execute_script(
        "CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO filler (body) SELECT randomblob(1000 + i % 700) FROM n;",
    )
    .expect("grows");
    let sum = |db: &Database| -> (i64, i64) {
        db.connection()
            .query_row(
                "SELECT count(*), sum(length(body)) FROM filler",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("sums")
    };
    let grown = sum(&db);
    let image = db.to_bytes().expect("reads out");
    assert!(image.len() > 3 << 20, "over three chunks: {}", image.len());
    let mut reader = db.image_reader().expect("reader");
    let mut viewed = Vec::new();
    while let Some(len) = reader.with_next_parts(5 << 20, |parts| {
        for part in parts {
            assert!(
                part.len() <= 64 << 10,
                "a view never spans chunks: {}",
                part.len()
            );
            viewed.extend_from_slice(part);
        }
        parts.len()
    }) {
        assert!((1..=81).contains(&len), "5 MiB in at most 81 chunks: {len}");
    }
    assert_eq!(viewed, image, "views and copies agree");
    let copy = Database::open_bytes(&image).expect("a valid file");
    assert_eq!(sum(&copy), grown);
    db.execute_script("DELETE FROM filler WHERE id > 100; VACUUM;")
        .expect("shrinks");
    let shrunk = db.to_bytes().expect("reads out");
    let page: i64 = db
        .connection()
        .query_row(
            "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
            [],
            |row| row.get(0),
        )
        .expect("size");
    assert_eq!(
        shrunk.len() as i64,
        page,
        "the file was truncated to its pages"
    );
    assert!(shrunk.len() < image.len() / 4);
    let copy = Database::open_bytes(&shrunk).expect("a valid file");
    assert_eq!(sum(&copy), sum(&db));
    assert_eq!(sum(&db).0, 100);
}

#[wasm_bindgen_test]
fn a_bad_file_read_in_slices_fails_like_open_bytes_in_the_browser() {
    let bytes = populated_older_file();
    let truncated = &bytes[..bytes.len() - 4096];
    let error = Database::open_slices(truncated.len() as u64, truncated.chunks(500))
        .err()
        .expect("truncated");
    let expected = Database::open_bytes(truncated).err().expect("truncated");
    assert_eq!(error.to_string(), expected.to_string());
    let mut damaged = bytes.clone();
    for byte in &mut damaged[4096 + 8..4096 + 300] {
        *byte = 0xff;
    }
    let error = Database::open_slices(damaged.len() as u64, damaged.chunks(3000))
        .err()
        .expect("damaged");
    assert!(matches!(error, DbError::Corrupt { .. }), "{error}");
}

/// How many `performance.measure` entries named `name` the page has.
fn measures_named(name: &str) -> u32 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .expect("the browser has `performance`");
    let entries = js_sys::Reflect::get(&performance, &"getEntriesByName".into())
        .and_then(|get| {
            js_sys::Function::from(get).call2(&performance, &name.into(), &"measure".into())
        })
        .expect("getEntriesByName");
    js_sys::Array::from(&entries).length()
}

#[wasm_bindgen_test]
fn opening_in_slices_measures_the_quick_check_as_sqlite_work_for_the_benchmark() {
    use content_db::timing::{flush, span};
    flush();
    let bytes = populated_older_file();
    let before = measures_named("sqlite:quick_check");
    let db = Database::open_slices(bytes.len() as u64, bytes.chunks(4096)).expect("opens");
    assert_eq!(
        measures_named("sqlite:quick_check"),
        before,
        "spans wait for the flush at a request's edge"
    );
    flush();
    assert_eq!(measures_named("sqlite:quick_check"), before + 1);
    // Spans of one name between two flushes are one entry, as long as their total.
    assert_eq!(
        span("copy:test", || count(&db, "posts")),
        count(&db, "posts")
    );
    span("copy:test", || count(&db, "users"));
    assert_eq!(measures_named("copy:test"), 0);
    flush();
    assert_eq!(measures_named("copy:test"), 1);
    flush();
    assert_eq!(
        measures_named("copy:test"),
        1,
        "a flush with nothing new adds nothing"
    );
}
