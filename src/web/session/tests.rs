//! Tests of the worker session against the real embedded history and SQLite.

use super::*;
use crate::web::demo::DEMO_REVISION;

fn session_with_demo() -> (Session, Snapshot) {
    let mut session = Session::new().expect("the embedded history parses");
    match session.handle(Request::OpenDemo, None).response {
        Response::Opened { snapshot } => (session, snapshot),
        other => panic!("the demo did not open: {other:?}"),
    }
}

fn export(session: &mut Session) -> (String, Vec<u8>) {
    let reply = session.handle(Request::Export, None);
    match (reply.response, reply.bytes) {
        (Response::Exported { file_name }, Some(bytes)) => (file_name, bytes),
        (other, _) => panic!("export failed: {other:?}"),
    }
}

fn failure_message(reply: Reply) -> (String, Option<Snapshot>) {
    match reply.response {
        Response::Failed {
            message, snapshot, ..
        } => (message, snapshot),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn the_demo_opens_at_its_older_revision_with_steps_pending() {
    let (_, snapshot) = session_with_demo();
    assert!(snapshot.is_demo);
    assert_eq!(snapshot.current_text(), DEMO_REVISION);
    assert!(snapshot.current[0].message.is_some());
    assert!(!snapshot.pending.is_empty(), "the demo must be behind head");
    assert_eq!(snapshot.problem, None);
}

#[test]
fn upgrading_the_demo_reaches_every_head_and_logs_the_planned_steps() {
    let (mut session, before) = session_with_demo();
    match session.handle(Request::UpgradeToHead, None).response {
        Response::Upgraded { snapshot, log } => {
            assert_eq!(log, before.pending, "the steps run are the ones announced");
            assert_eq!(snapshot.current_text(), snapshot.heads.join(" "));
            assert!(snapshot.at_head());
        }
        other => panic!("upgrade failed: {other:?}"),
    }
    // A second upgrade has nothing to do.
    match session.handle(Request::UpgradeToHead, None).response {
        Response::Upgraded { log, .. } => assert!(log.is_empty()),
        other => panic!("second upgrade failed: {other:?}"),
    }
}

#[test]
fn an_exported_file_reopens_under_the_same_name_with_its_rows() {
    let (mut session, _) = session_with_demo();
    let (file_name, bytes) = export(&mut session);
    assert_eq!(file_name, DEMO_FILE_NAME);
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let reply = session.handle(
        Request::Open {
            file_name: "copy.db".into(),
        },
        Some(bytes),
    );
    let Response::Opened { snapshot } = reply.response else {
        panic!("the exported file did not reopen: {:?}", reply.response);
    };
    assert_eq!(snapshot.file_name, "copy.db");
    assert!(!snapshot.is_demo);
    assert_eq!(snapshot.current_text(), DEMO_REVISION);
    let (_, copy) = export(&mut session);
    let db = Database::open_bytes(&copy).expect("reopens");
    assert_eq!(
        db.current_versions().expect("versions"),
        vec![DEMO_REVISION.to_string()]
    );
    let names: Vec<String> = db
        .connection()
        .prepare("SELECT name FROM users ORDER BY id")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
        .expect("users are readable");
    assert!(
        names.iter().any(|name| name.contains('🌸')),
        "unicode kept: {names:?}"
    );
}

#[test]
fn garbage_is_refused_by_name_and_the_previous_file_stays_open() {
    let (mut session, demo) = session_with_demo();
    let garbage = b"name,email\nada,ada@example.org\n".repeat(200);
    let reply = session.handle(
        Request::Open {
            file_name: "people.csv".into(),
        },
        Some(garbage),
    );
    let (message, snapshot) = failure_message(reply);
    assert!(message.contains("people.csv"), "{message}");
    assert!(message.contains("not a SQLite database"), "{message}");
    assert_eq!(snapshot, Some(demo), "the demo is still open");
}

#[test]
fn an_unknown_revision_opens_with_a_problem_naming_it() {
    let (mut session, _) = session_with_demo();
    let (_, bytes) = export(&mut session);
    let mut db = Database::open_bytes(&bytes).expect("reopens");
    db.connection()
        .execute(
            "UPDATE alembic_version SET version_num = 'fedcba987654'",
            [],
        )
        .expect("rewrite the revision row");
    let future = db.to_bytes().expect("serializes");
    let reply = session.handle(
        Request::Open {
            file_name: "future.db".into(),
        },
        Some(future),
    );
    let Response::Opened { snapshot } = reply.response else {
        panic!(
            "a file at an unknown revision still opens: {:?}",
            reply.response
        );
    };
    assert_eq!(snapshot.current_text(), "fedcba987654");
    let problem = snapshot.problem.expect("an unknown revision is a problem");
    assert!(
        problem.contains("fedcba987654") && problem.contains("future.db"),
        "{problem}"
    );
    let (message, _) = failure_message(session.handle(Request::UpgradeToHead, None));
    assert!(message.contains("future.db"), "{message}");
}

#[test]
fn requests_before_anything_is_open_say_what_to_do() {
    let mut session = Session::new().expect("the embedded history parses");
    let (message, snapshot) = failure_message(session.handle(Request::Export, None));
    assert!(message.contains("choose a .db file"), "{message}");
    assert_eq!(snapshot, None);
    let (message, _) = failure_message(session.handle(
        Request::Open {
            file_name: "a.db".into(),
        },
        None,
    ));
    assert!(message.contains("a.db"), "{message}");
}
