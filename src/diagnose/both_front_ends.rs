//! The same files opened by the CLI and by the page's worker session: both print the library's
//! sentence about each one (the file named as each front end names it: a path, a file name).

use std::path::Path;

use super::{Diagnosis, FileFacts};
use crate::cli::migrate::{run, Command};
use crate::cli::{inspect, Event, Workspace};
use crate::db::Database;
use crate::revision::History;
use crate::web::protocol::inspect::InspectRequest;
use crate::web::protocol::{Request, Response, Snapshot};
use crate::web::worker::session::Session;

const VERSION_TABLE: &str = "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);";

/// The files: the hand-made `alembic_version` has no primary key, so it can repeat a row.
fn files() -> Vec<(&'static str, String)> {
    let rows = |ids: &[&str]| {
        let values: Vec<String> = ids.iter().map(|id| format!("('{id}')")).collect();
        format!(
            "{VERSION_TABLE} INSERT INTO alembic_version VALUES {};",
            values.join(", ")
        )
    };
    vec![
        ("repeated.db", rows(&["4f2a9c1e7b3d", "4f2a9c1e7b3d"])),
        ("unknown.db", rows(&["9f9f9f9f9f9f"])),
        ("overlap.db", rows(&["4f2a9c1e7b3d", "b81d3e5f0a27"])),
        (
            "unversioned.db",
            "CREATE TABLE posts (id INTEGER);".to_string(),
        ),
        (
            "base-tables.db",
            format!("{VERSION_TABLE} CREATE TABLE posts (id INTEGER);"),
        ),
        ("base.db", VERSION_TABLE.to_string()),
    ]
}

/// The library's sentences about the file at `path` when it is called `name`.
fn library_sentences(history: &History, path: &Path, name: &str) -> Vec<String> {
    let database = Database::open_path(path).expect("open");
    let diagnosis = Diagnosis::of(history, FileFacts::read(name, &database).expect("facts"));
    let problem = diagnosis.problem.as_ref().map(ToString::to_string);
    problem.into_iter().chain(diagnosis.notice()).collect()
}

/// Everything the CLI prints about the file for `current` and `upgrade head`.
fn cli_text(path: &Path) -> String {
    let workspace = Workspace {
        db_path: path.to_path_buf(),
        migrations_dir: None,
    };
    let mut printed = Vec::new();
    let mut events = |event: Event| printed.push(format!("{event:?}"));
    let current = inspect::current(&workspace, false, &mut events);
    let upgrade = run(&workspace, Command::Upgrade, &["head".into()], &mut events);
    for result in [current.map(|_| ()), upgrade] {
        if let Err(error) = result {
            printed.push(error.to_string());
        }
    }
    printed.join("\n")
}

/// Everything the page shows about the file once opened and after "Upgrade to head".
fn page_text(name: &str, bytes: Vec<u8>) -> String {
    let mut session = Session::new().expect("session");
    let snapshot_text = |snapshot: &Snapshot| {
        let mut text = snapshot.notices.clone();
        text.extend(snapshot.problem.clone());
        text.push(snapshot.overview.status.clone());
        text.join("\n")
    };
    let opened = session.handle(
        Request::Open {
            file_name: name.to_string(),
        },
        Some(bytes),
    );
    let mut shown = match opened.response {
        Response::Opened { snapshot } => snapshot_text(&snapshot),
        other => panic!("{name} did not open: {other:?}"),
    };
    if let Response::Failed { message, .. } = session.handle(Request::UpgradeToHead, None).response
    {
        shown.push('\n');
        shown.push_str(&message);
    }
    shown
}

#[test]
fn the_cli_and_the_page_print_the_librarys_sentences_for_the_same_files() {
    let history = History::embedded().expect("history");
    let folder = tempfile::tempdir().expect("temp dir");
    for (name, sql) in files() {
        let path = folder.path().join(name);
        rusqlite::Connection::open(&path)
            .and_then(|conn| conn.execute_batch(&sql))
            .expect("make the file");
        let bytes = std::fs::read(&path).expect("read");
        let for_cli = library_sentences(history, &path, &path.display().to_string());
        let for_page = library_sentences(history, &path, name);
        assert!(
            !for_cli.is_empty(),
            "{name}: the library has something to say"
        );
        assert_eq!(for_cli.len(), for_page.len());
        let (cli, page) = (cli_text(&path), page_text(name, bytes));
        for sentence in &for_cli {
            assert!(
                cli.contains(sentence.as_str()),
                "{name}: CLI lacks {sentence:?}:\n{cli}"
            );
        }
        for sentence in &for_page {
            assert!(
                page.contains(sentence.as_str()),
                "{name}: page lacks {sentence:?}:\n{page}"
            );
        }
    }
}

#[test]
fn the_page_refuses_a_revision_recorded_twice_and_its_stamp_puts_it_right() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("twice.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(&format!(
        "{VERSION_TABLE} INSERT INTO alembic_version VALUES ('4f2a9c1e7b3d'), ('4f2a9c1e7b3d');"
    ))
    .expect("make");
    drop(conn);
    let mut session = Session::new().expect("session");
    let open = Request::Open {
        file_name: "twice.db".into(),
    };
    let opened = session.handle(open, Some(std::fs::read(&path).expect("read")));
    let Response::Opened { snapshot } = opened.response else {
        panic!("not opened: {:?}", opened.response)
    };
    assert!(snapshot.pending.is_empty(), "no upgrade is offered");
    assert!(snapshot
        .problem
        .as_deref()
        .is_some_and(|p| p.contains("holds 4f2a9c1e7b3d twice")));
    let migrate = Request::Migrate {
        target: "heads".into(),
        stamp: false,
    };
    match session.handle(migrate, None).response {
        Response::Failed { message, .. } => {
            assert!(
                message.contains("twice") && message.contains("DROP TABLE"),
                "{message}"
            )
        }
        other => panic!("a migration from a repeated row ran: {other:?}"),
    }
    // The way out the message gives: the hand-made table goes, then the stamp.
    let drop_table = Request::Inspect {
        request: InspectRequest::Sql {
            sql: "DROP TABLE alembic_version".into(),
            write_unlocked: true,
        },
    };
    let dropped = session.handle(drop_table, None).response;
    assert!(matches!(dropped, Response::Inspected { .. }), "{dropped:?}");
    let stamp = Request::Migrate {
        target: "4f2a9c1e7b3d".into(),
        stamp: true,
    };
    match session.handle(stamp, None).response {
        Response::Migrated { snapshot, .. } => {
            assert_eq!(snapshot.current_text(), "4f2a9c1e7b3d");
            assert_eq!(snapshot.problem, None);
        }
        other => panic!("the stamp did not put the rows right: {other:?}"),
    }
}
