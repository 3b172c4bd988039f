//! The migrations in the browser build: the same SQL, run by the same `apply`, gives
//! Alembic's reference schema on SQLite compiled to WebAssembly (whose defaults differ from the
//! native build: foreign keys off, page size 8192). Run with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
//! cargo test --target wasm32-unknown-unknown --no-default-features --test wasm_migrations`.
#![cfg(target_arch = "wasm32")]

use content_db::{Database, History};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// `reference/<rev>.json` of ContentEngine's project (`tests/contentengine/`), embedded at compile time.
const REFERENCES: [(&str, &str); 7] = [
    (
        "4f2a9c1e7b3d",
        include_str!("contentengine/reference/4f2a9c1e7b3d.json"),
    ),
    (
        "b81d3e5f0a27",
        include_str!("contentengine/reference/b81d3e5f0a27.json"),
    ),
    (
        "c3e7a1d9f482",
        include_str!("contentengine/reference/c3e7a1d9f482.json"),
    ),
    (
        "d5f0b2c8e614",
        include_str!("contentengine/reference/d5f0b2c8e614.json"),
    ),
    (
        "e9a4c6b1d358",
        include_str!("contentengine/reference/e9a4c6b1d358.json"),
    ),
    (
        "f17b8d2e4c90",
        include_str!("contentengine/reference/f17b8d2e4c90.json"),
    ),
    (
        "0a6c9e3f5b71",
        include_str!("contentengine/reference/0a6c9e3f5b71.json"),
    ),
];

fn without_sql(text: &str) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_str(text).expect("reference is JSON");
    json.as_object_mut().expect("object").remove("sql");
    json
}

#[wasm_bindgen_test]
fn every_revision_gives_the_reference_schema_in_wasm() {
    let history = History::embedded().expect("embedded history");
    for (revision, reference) in REFERENCES {
        let mut database = Database::new_empty().expect("new database");
        let plan = history.plan_upgrade(&[], revision).expect("plan");
        let report = database.apply(history, &plan, |_| {}).expect("apply");
        assert!(report.steps.iter().all(|step| step.millis >= 0.0));
        let schema = serde_json::to_value(database.schema().expect("schema")).expect("JSON");
        assert_eq!(schema, without_sql(reference), "schema at {revision}");
    }
}

#[wasm_bindgen_test]
fn head_and_back_round_trips_through_bytes() {
    let history = History::embedded().expect("embedded history");
    let mut database = Database::new_empty().expect("new database");
    let plan = history.plan_upgrade(&[], "head").expect("plan");
    database.apply(history, &plan, |_| {}).expect("upgrade");
    database
        .connection()
        .execute_batch(
            "INSERT INTO users (id, linkedin_sub) VALUES (1, 'sub');\
             INSERT INTO posts (id, content, platform, status, user_id, external_id) \
             VALUES (1, 'later', 'linkedin', 'scheduled', 1, 'demo-1');",
        )
        .expect("rows");
    let bytes = database.to_bytes().expect("bytes");
    // Same page size as a file Python's sqlite3 (and so Alembic) creates, not wasm's 8192.
    assert_eq!(u16::from_be_bytes([bytes[16], bytes[17]]), 4096);
    let mut reopened = Database::open_bytes(&bytes).expect("reopen");
    assert_eq!(
        reopened.current_versions().expect("rows"),
        vec!["0a6c9e3f5b71"]
    );
    let versions = reopened.current_versions().expect("rows");
    let plan = history
        .plan_downgrade(&versions, "f17b8d2e4c90")
        .expect("plan");
    reopened.apply(history, &plan, |_| {}).expect("downgrade");
    let status: String = reopened
        .connection()
        .query_row("SELECT status FROM posts WHERE id = 1", [], |row| {
            row.get(0)
        })
        .expect("row");
    assert_eq!(status, "draft", "scheduled posts go back to draft");
}
