//! Files that are not a usable ContentEngine database: each is refused by every command with a
//! message that says what is wrong and what to do (pinned with insta), exit 1, and the file
//! byte-identical. Files that are readable but odd (WAL mode, no or empty `alembic_version`,
//! unknown or contradictory rows, a hand-changed schema) get a notice or a specific refusal.

use std::fs;

use crate::common::*;
use crate::scratch::*;

/// Every command that reads the database.
const READERS: &[&[&str]] = &[
    &["current"],
    &["upgrade", "head"],
    &["downgrade", "base"],
    &["stamp", "head"],
    &["check"],
    &["history", "-i"],
    &["upgrade", "head", "--sql"],
];

/// Refused by every reader with the same message; returns it (anonymized).
fn unreadable(scratch: &Scratch, bytes: &[u8]) -> String {
    let db = scratch.file("bad.db", bytes);
    let first = refused(&db, READERS[0]);
    for args in &READERS[1..] {
        let stderr = refused(&db, args);
        assert_eq!(stderr, first, "content-db {args:?} says something else");
    }
    assert!(first.starts_with("FAILED: "), "{first}");
    scratch.anonymize(first.trim_end())
}

/// The image of a fresh database at head (16 pages of 4096 bytes).
fn head_image(scratch: &Scratch) -> Vec<u8> {
    fs::read(scratch.head("head.db")).expect("read")
}

#[test]
fn random_bytes_look_encrypted() {
    let scratch = Scratch::new();
    insta::assert_snapshot!(unreadable(&scratch, &random_bytes(65_536, 0x5eed)));
}

#[test]
fn an_sqlcipher_like_file_looks_encrypted() {
    // SQLCipher: a 16-byte random salt where the magic string would be, then encrypted pages;
    // the size is whole pages, as a real file's is.
    let scratch = Scratch::new();
    let mut bytes = random_bytes(16, 3);
    bytes.extend(random_bytes(4096 * 8 - 16, 4));
    let message = unreadable(&scratch, &bytes);
    assert!(message.contains("looks encrypted"), "{message}");
}

#[test]
fn a_short_binary_file_shows_its_first_bytes() {
    let scratch = Scratch::new();
    insta::assert_snapshot!(unreadable(&scratch, &random_bytes(100, 9)));
}

#[test]
fn a_text_file_is_named_as_text() {
    let scratch = Scratch::new();
    insta::assert_snapshot!(unreadable(
        &scratch,
        b"[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///content.db\n"
    ));
}

#[test]
fn a_sqlite_header_followed_by_garbage_is_damaged() {
    let scratch = Scratch::new();
    let head = head_image(&scratch);
    let mut bytes = head[..100].to_vec();
    bytes.extend(random_bytes(head.len() - 100, 11));
    insta::assert_snapshot!(unreadable(&scratch, &bytes));
}

#[test]
fn truncated_files_say_how_much_is_missing() {
    let scratch = Scratch::new();
    let head = head_image(&scratch);
    let messages: Vec<String> = [50, 100, 2000, 4096 * 5 + 1234, head.len() - 1]
        .into_iter()
        .map(|cut| format!("cut at {cut}: {}", unreadable(&scratch, &head[..cut])))
        .collect();
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn a_header_that_lies_about_page_size_or_count() {
    let scratch = Scratch::new();
    let head = head_image(&scratch);
    let patched = |at: usize, value: &[u8]| {
        let mut bytes = head.clone();
        bytes[at..at + value.len()].copy_from_slice(value);
        bytes
    };
    let cases = [
        (
            "page size 1024 instead of 4096",
            patched(16, &1024u16.to_be_bytes()),
        ),
        (
            "page size 3000 (impossible)",
            patched(16, &3000u16.to_be_bytes()),
        ),
        (
            "500 pages instead of 16",
            patched(28, &500u32.to_be_bytes()),
        ),
        ("3 pages instead of 16", patched(28, &3u32.to_be_bytes())),
        ("file format version 7", patched(18, &[7, 7])),
    ];
    let messages: Vec<String> = cases
        .iter()
        .map(|(case, bytes)| format!("{case}: {}", unreadable(&scratch, bytes)))
        .collect();
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn a_zero_byte_file_is_a_new_database_and_stays_untouched_by_readers() {
    // As in SQLite and Alembic (tests/alembic_differential.rs compares): a 0-byte file is an
    // empty database. Read-only commands say so and leave it at 0 bytes.
    let scratch = Scratch::new();
    let db = scratch.file("empty.db", b"");
    let run = harmless(&db, &["current"]);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(scratch.anonymize(run.stderr.trim_end()));
    assert_eq!(fs::metadata(&db).expect("meta").len(), 0);
    // The browser gets bytes, not a path: there an empty file is refused.
    let error = content_db::Database::open_bytes(&[])
        .err()
        .expect("refused");
    insta::assert_snapshot!("empty_bytes", error.to_string());
}

#[test]
fn a_wal_mode_file_opens_with_a_notice() {
    let scratch = Scratch::new();
    let db = scratch.head_with("wal.db", "PRAGMA journal_mode=WAL;");
    assert_eq!(fs::read(&db).expect("read")[18..20], [2, 2]);
    let run = harmless(&db, &["current"]);
    assert_eq!(run.stdout.trim(), "0a6c9e3f5b71 (head)");
    insta::assert_snapshot!(scratch.anonymize(run.stderr.trim_end()));
}

#[test]
fn a_file_without_alembic_version_is_called_unversioned() {
    let scratch = Scratch::new();
    let db = scratch.head_with("plain.db", "DROP TABLE alembic_version;");
    let current = harmless(&db, &["current"]);
    assert_eq!(current.stdout, "", "stdout stays Alembic's (nothing)");
    let upgrade = refused(&db, &["upgrade", "head"]);
    insta::assert_snapshot!(scratch.anonymize(&format!("{}{upgrade}", current.stderr)));
    // The advice works: `baseline --stamp` finds head, then the schema checks clean.
    content_db_ok(&db, &["baseline", "--stamp"]);
    assert_eq!(version_rows(&db), vec!["0a6c9e3f5b71".to_string()]);
    content_db_ok(&db, &["check"]);
}

#[test]
fn an_empty_alembic_version_is_base() {
    let scratch = Scratch::new();
    let db = scratch.head_with("base.db", "DELETE FROM alembic_version;");
    let current = harmless(&db, &["current"]);
    assert_eq!(current.stdout, "");
    let upgrade = refused(&db, &["upgrade", "head"]);
    let downgrade = harmless(&db, &["downgrade", "base"]);
    insta::assert_snapshot!(
        scratch.anonymize(&format!("{}{upgrade}{}", current.stderr, downgrade.stderr))
    );
}

#[test]
fn an_unknown_revision_is_named_with_where_it_may_come_from() {
    let scratch = Scratch::new();
    let db = scratch.head_with(
        "newer.db",
        "UPDATE alembic_version SET version_num = '9f9f9f9f9f9f';",
    );
    let message = refused(&db, &["current"]);
    for args in [&["upgrade", "head"][..], &["downgrade", "-1"], &["check"]] {
        assert_eq!(refused(&db, args), message, "{args:?}");
    }
    insta::assert_snapshot!(scratch.anonymize(message.trim_end()));
}

#[test]
fn rows_that_are_not_both_heads_are_refused_with_stamp_advice() {
    let scratch = Scratch::new();
    // An ancestor (b81d3e5f0a27) beside its descendant (the head).
    let db = scratch.head_with(
        "overlap.db",
        "INSERT INTO alembic_version VALUES ('b81d3e5f0a27');",
    );
    let current = harmless(&db, &["current"]);
    let upgrade = refused(&db, &["upgrade", "head"]);
    assert!(upgrade.contains("b81d3e5f0a27 is an ancestor of 0a6c9e3f5b71"));
    for args in [&["downgrade", "base"][..], &["downgrade", "-1", "--sql"]] {
        assert_eq!(refused(&db, args), upgrade, "{args:?}");
    }
    insta::assert_snapshot!(scratch.anonymize(&format!("{}{upgrade}", current.stderr)));
    content_db_ok(&db, &["stamp", "--purge", "0a6c9e3f5b71"]);
    assert_eq!(version_rows(&db), vec!["0a6c9e3f5b71".to_string()]);
}

#[test]
fn drift_is_described_in_words_by_check() {
    let scratch = Scratch::new();
    let extra = scratch.head_with(
        "extra.db",
        "ALTER TABLE posts ADD COLUMN mood TEXT DEFAULT 'fine';",
    );
    let missing = scratch.head_with("missing.db", "DROP INDEX ix_posts_status;");
    let mut texts = Vec::new();
    for db in [&extra, &missing] {
        let before = fs::read(db).expect("read");
        let run = content_db_run(db, &["check"]);
        assert_eq!(run.code, 1, "{run:#?}");
        assert_eq!(fs::read(db).expect("read"), before);
        texts.push(scratch.anonymize(run.stdout.trim_end()));
    }
    insta::assert_snapshot!(texts.join("\n\n"));
}

#[test]
fn an_alembic_version_that_is_not_alembics_is_named() {
    let scratch = Scratch::new();
    let cases = [
        ("no version_num column", "DROP TABLE alembic_version; CREATE TABLE alembic_version (x TEXT);"),
        ("a NULL row", "DROP TABLE alembic_version; CREATE TABLE alembic_version (version_num TEXT); INSERT INTO alembic_version VALUES (NULL);"),
        ("a view", "DROP TABLE alembic_version; CREATE VIEW alembic_version AS SELECT 'a' AS version_num;"),
    ];
    let mut messages = Vec::new();
    for (case, sql) in cases {
        let db = scratch.head_with(&format!("{}.db", case.replace(' ', "_")), sql);
        let first = refused(&db, &["current"]);
        for args in [&["upgrade", "head"][..], &["stamp", "head"], &["check"]] {
            assert_eq!(refused(&db, args), first, "{case}: {args:?}");
        }
        messages.push(format!("{case}: {}", first.trim_end()));
    }
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn a_revision_recorded_twice_is_refused_with_a_way_out() {
    let scratch = Scratch::new();
    let db = scratch.head_with(
        "twice.db",
        "DROP TABLE alembic_version; CREATE TABLE alembic_version (version_num VARCHAR(32));
         INSERT INTO alembic_version VALUES ('0a6c9e3f5b71'), ('0a6c9e3f5b71');",
    );
    let message = refused(&db, &["upgrade", "head"]);
    assert_eq!(refused(&db, &["downgrade", "-1"]), message);
    insta::assert_snapshot!(scratch.anonymize(message.trim_end()));
    // The way out it names works.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute("DROP TABLE alembic_version", [])
        .expect("drop it");
    drop(conn);
    content_db_ok(&db, &["stamp", "0a6c9e3f5b71"]);
    content_db_ok(&db, &["check"]);
}

#[test]
fn a_folder_or_a_missing_folder_is_named_before_anything_runs() {
    let scratch = Scratch::new();
    let folder = scratch.path("data");
    fs::create_dir(&folder).expect("mkdir");
    let mut messages = vec![refused(&folder, &["current"])];
    let nowhere = scratch.path("missing/content.db");
    for args in [&["upgrade", "head"][..], &["stamp", "head"], &["init"]] {
        let run = content_db_run(&nowhere, args);
        assert_eq!(run.code, 1, "{args:?}: {run:#?}");
        assert!(run.step_lines().is_empty(), "{args:?} ran steps first");
        messages.push(run.stderr);
    }
    assert!(!scratch.path("missing").exists());
    insta::assert_snapshot!(scratch.anonymize(messages.concat().trim_end()));
}
