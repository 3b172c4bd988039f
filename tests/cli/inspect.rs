//! The read-only commands against real Alembic: `current`, `heads`, `history`, `show` print the
//! same text for the same file; `check` finds drift; `--help` says where output goes.

use std::fs;

use crate::common::*;
use crate::fixture::*;

#[test]
fn current_matches_alembic_in_every_state() {
    for (state, commands) in STATES {
        let fixture = Fixture::alembic(commands);
        let (mine, oracle) = both(&fixture, &["current"], &["current"]);
        assert_eq!(
            lines_as_set(&mine.stdout),
            lines_as_set(&oracle.stdout),
            "current at {state}"
        );
        assert_eq!(mine.stdout.lines().count(), oracle.stdout.lines().count());

        // `current -v`: the header names the file as Alembic's URL does, then full entries.
        let ours_db = fixture.copy("ours-v.db");
        let theirs_db = fixture.copy("theirs-v.db");
        let mine = content_db_ok(&ours_db, &["current", "-v"]);
        let oracle = alembic_run(&theirs_db, &["current", "-v"]);
        let (my_header, my_body) = mine.stdout.split_once('\n').expect("a header line");
        let (their_header, their_body) = oracle.stdout.split_once('\n').expect("a header line");
        assert_eq!(
            my_header,
            format!("Current revision(s) for sqlite:///{}:", ours_db.display())
        );
        assert_eq!(
            their_header,
            format!("Current revision(s) for sqlite:///{}:", theirs_db.display())
        );
        assert_eq!(
            entries_as_set(my_body),
            entries_as_set(their_body),
            "current -v at {state}"
        );
    }
}

#[test]
fn current_of_an_unversioned_file_prints_nothing_like_alembic() {
    let fixture = Fixture::empty();
    let conn = rusqlite::Connection::open(fixture.db()).expect("create a plain SQLite file");
    conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        .expect("create a table");
    drop(conn);
    let (mine, oracle) = both(&fixture, &["current"], &["current"]);
    assert_eq!(mine.stdout, oracle.stdout);
    assert_eq!(mine.stdout, "");
}

#[test]
fn heads_and_history_match_alembic() {
    let fixture = Fixture::alembic(&["upgrade c3e7a1d9f482"]);
    let cases: &[(&[&str], &[&str])] = &[
        (&["heads"], &["heads"]),
        (&["heads", "-v"], &["heads", "-v"]),
        (&["history"], &["history"]),
        (&["history", "-v"], &["history", "-v"]),
        (
            &["history", "-v", "-r", "4f2a9c1e7b3d:b81d3e5f0a27"],
            &["history", "-v", "-r", "4f2a9c1e7b3d:b81d3e5f0a27"],
        ),
        (
            &["history", "-r", "b81d:e9a4"],
            &["history", "-r", "b81d:e9a4"],
        ),
        (
            &["history", "-r", "current:"],
            &["history", "-r", "current:"],
        ),
        (
            &["history", "-r", ":current"],
            &["history", "-r", ":current"],
        ),
        // argparse needs `-r=-2:`; clap accepts the natural spelling too.
        (&["history", "-r", "-2:"], &["history", "-r=-2:"]),
        (
            &["history", "-v", "-r", "e9a4:head"],
            &["history", "-v", "-r", "e9a4:head"],
        ),
        (&["history", "-i"], &["history", "-i"]),
        (
            &["history", "-v", "-i", "-r", "b81d:"],
            &["history", "-v", "-i", "-r", "b81d:"],
        ),
    ];
    for (ours, theirs) in cases {
        let (mine, oracle) = both(&fixture, ours, theirs);
        assert_eq!(
            normalize_paths(&mine.stdout),
            normalize_paths(&oracle.stdout),
            "content-db {ours:?} vs alembic {theirs:?}"
        );
        assert!(!mine.stdout.trim().is_empty(), "{ours:?} printed nothing");
    }
}

#[test]
fn history_range_with_current_on_two_branch_heads() {
    let fixture = Fixture::alembic(&["upgrade c3e7a1d9f482", "upgrade d5f0b2c8e614"]);
    let (mine, oracle) = both(
        &fixture,
        &["history", "-r", "current:head"],
        &["history", "-r", "current:head"],
    );
    assert_eq!(mine.stdout, oracle.stdout);
}

#[test]
fn show_matches_alembic() {
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    for rev in ["b81d", "head", "e9a4c6b1d358", "4f2a9c1e7b3d", "current"] {
        let (mine, oracle) = both(&fixture, &["show", rev], &["show", rev]);
        assert_eq!(
            normalize_paths(&mine.stdout),
            normalize_paths(&oracle.stdout),
            "show {rev}"
        );
        assert!(
            mine.stdout.starts_with("Rev: "),
            "show {rev}: {}",
            mine.stdout
        );
    }
}

#[test]
fn check_passes_a_clean_file_and_shows_a_readable_diff() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let db = fixture.db();
    let run = content_db_ok(&db, &["check"]);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("OK"), "{}", run.stdout);

    let mid = Fixture::alembic(&["upgrade c3e7a1d9f482", "upgrade d5f0b2c8e614"]);
    content_db_ok(&mid.db(), &["check"]);

    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch("ALTER TABLE posts ADD COLUMN foo TEXT")
        .expect("alter");
    drop(conn);
    let before = fs::read(&db).expect("read");
    let run = content_db_run(&db, &["check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stdout.contains("posts"), "{}", run.stdout);
    assert!(run.stdout.contains("foo"), "{}", run.stdout);
    assert_eq!(fs::read(&db).expect("read"), before);
}

#[test]
fn help_says_where_output_goes() {
    let out = content_db().arg("--help").output().expect("run --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "stdout",
        "stderr",
        "current",
        "heads",
        "history",
        "show",
        "upgrade",
        "downgrade",
        "stamp",
        "init",
        "reset",
        "create",
        "merge",
        "check",
        "--db",
        "--migrations",
    ] {
        assert!(
            help.contains(word),
            "--help does not mention {word}:\n{help}"
        );
    }
}
