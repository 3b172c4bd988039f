//! Smoke test of the benchmark generator (examples/gen_content_db): a small file is a valid
//! database at f17b8d2e4c90 that `upgrade head` accepts with every row kept, and the same seed
//! gives the same bytes. Timings are never asserted here (see BENCHMARKS.md).

#[path = "../examples/gen_content_db/generate.rs"]
mod generate;

use content_db::{Database, History};

/// Rows of `table` in `db`.
fn count(db: &Database, table: &str) -> i64 {
    db.connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("the generated schema has this table")
}

#[test]
fn generated_file_is_at_f17b8d2e4c90_and_upgrades_to_head_keeping_rows() {
    let spec = generate::Spec {
        target_bytes: 300 * 1024,
        seed: 7,
    };
    let (bytes, counts) = generate::generate(spec).expect("generation succeeds");
    assert!(
        bytes.len() as u64 >= spec.target_bytes,
        "{} bytes",
        bytes.len()
    );
    assert!(counts.users > 0 && counts.posts > counts.users && counts.chat_messages > counts.posts);

    let mut db = Database::open_bytes(&bytes).expect("the generated image opens");
    assert_eq!(db.current_versions().unwrap(), vec![generate::REVISION]);
    assert_eq!(count(&db, "posts"), counts.posts);
    let integrity: String = db
        .connection()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");

    let history = History::embedded().unwrap();
    let plan = history
        .plan_upgrade(&db.current_versions().unwrap(), "head")
        .unwrap();
    assert_eq!(plan.steps.len(), 1, "one step before head");
    db.apply(history, &plan, |_| {})
        .expect("upgrade head succeeds");
    let heads: Vec<String> = history.heads().iter().map(|r| r.id.clone()).collect();
    assert_eq!(db.current_versions().unwrap(), heads);
    assert_eq!(count(&db, "posts"), counts.posts);
    assert_eq!(count(&db, "chat_messages"), counts.chat_messages);
    assert_eq!(count(&db, "sessions"), counts.sessions);
    assert_eq!(count(&db, "oauth_tokens"), counts.oauth_tokens);
    let non_ascii: i64 = db
        .connection()
        .query_row(
            "SELECT count(*) FROM posts WHERE length(CAST(content AS BLOB)) > length(content)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(non_ascii > 0, "post contents include multi-byte characters");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let spec = |seed| generate::Spec {
        target_bytes: 64 * 1024,
        seed,
    };
    let first = generate::generate(spec(3)).unwrap().0;
    assert_eq!(first, generate::generate(spec(3)).unwrap().0);
    assert_ne!(first, generate::generate(spec(4)).unwrap().0);
}
