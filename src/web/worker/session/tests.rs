//! Tests of the worker session against the real embedded history and SQLite.

use super::*;
use crate::web::protocol::{LogEntry, Preview};
use crate::web::worker::demo::DEMO_REVISION;

fn session_with_demo() -> (Session, Snapshot) {
    let mut session = Session::new().expect("the embedded history parses");
    match session.handle(Request::OpenDemo, None).response {
        Response::Opened { snapshot } => (session, snapshot),
        other => panic!("the demo did not open: {other:?}"),
    }
}

fn export(session: &mut Session) -> (String, Vec<u8>) {
    let reply = session.handle(Request::Export, None);
    let bytes = reply.image.as_ref().map(bytes_of);
    match (reply.response, bytes) {
        (Response::Exported { file_name, .. }, Some(bytes)) => (file_name, bytes),
        (other, _) => panic!("export failed: {other:?}"),
    }
}

/// The bytes of an image the session's (memory) vault made or was given.
fn bytes_of(image: &Image) -> Vec<u8> {
    memory_bytes(image).expect("a memory image").to_vec()
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
            let lines: Vec<String> = log.into_iter().map(|entry| entry.line).collect();
            assert_eq!(
                lines, before.pending,
                "the steps run are the ones announced"
            );
            assert_eq!(snapshot.current_text(), snapshot.migrations.heads.join(" "));
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
fn rows_that_are_not_both_heads_are_named_and_only_a_stamp_is_allowed() {
    let (mut session, _) = session_with_demo();
    let (_, bytes) = export(&mut session);
    let mut db = Database::open_bytes(&bytes).expect("reopens");
    // The demo is at c3e7a1d9f482; its ancestor b81d3e5f0a27 is left over beside it.
    db.connection()
        .execute("INSERT INTO alembic_version VALUES ('b81d3e5f0a27')", [])
        .expect("add the leftover row");
    let overlap = db.to_bytes().expect("serializes");
    let reply = session.handle(
        Request::Open {
            file_name: "overlap.db".into(),
        },
        Some(overlap),
    );
    let Response::Opened { snapshot } = reply.response else {
        panic!("the file still opens: {:?}", reply.response);
    };
    let problem = snapshot.problem.expect("the rows are a problem");
    for words in [
        "overlap.db's alembic_version holds both c3e7a1d9f482 and b81d3e5f0a27",
        "b81d3e5f0a27 is an ancestor of c3e7a1d9f482",
        "tick “stamp only”",
    ] {
        assert!(problem.contains(words), "{words} missing from: {problem}");
    }
    assert!(snapshot.pending.is_empty());
    assert!(snapshot.overview.status.starts_with("Inconsistent"));

    let (message, _) = failure_message(session.handle(Request::UpgradeToHead, None));
    assert_eq!(
        message, problem,
        "the upgrade button refuses with the same words"
    );
    let message = preview(&mut session, "heads", false).expect_err("no plan from these rows");
    assert!(message.contains("is an ancestor of"), "{message}");
    match migrate(&mut session, "+1", false) {
        Response::Failed { message, .. } => assert!(message.contains("ancestor"), "{message}"),
        other => panic!("a migration ran from overlapping rows: {other:?}"),
    }
    let (_, unchanged) = export(&mut session);
    let rows = Database::open_bytes(&unchanged)
        .expect("reopens")
        .current_versions()
        .expect("rows");
    assert_eq!(rows.len(), 2, "refusing changed nothing: {rows:?}");
    assert!(session.undo().is_err(), "nothing ran, so nothing to undo");

    // The way out the message gives: stamp the descendant, which replaces both rows.
    match migrate(&mut session, "c3e7a1d9f482", true) {
        Response::Migrated { snapshot, .. } => {
            assert_eq!(snapshot.current_text(), "c3e7a1d9f482");
            assert_eq!(snapshot.problem, None);
            assert!(!snapshot.pending.is_empty());
        }
        other => panic!("the stamp failed: {other:?}"),
    }
}

#[test]
fn an_empty_alembic_version_beside_tables_says_a_stamp_is_needed() {
    let (mut session, _) = session_with_demo();
    let (_, bytes) = export(&mut session);
    let mut db = Database::open_bytes(&bytes).expect("reopens");
    db.connection()
        .execute("DELETE FROM alembic_version", [])
        .expect("empty the table");
    let reply = session.handle(
        Request::Open {
            file_name: "base.db".into(),
        },
        Some(db.to_bytes().expect("serializes")),
    );
    let Response::Opened { snapshot } = reply.response else {
        panic!("the file opens: {:?}", reply.response);
    };
    assert_eq!(snapshot.current_text(), "base");
    let notice = snapshot
        .notices
        .iter()
        .find(|notice| notice.contains("alembic_version is empty"))
        .expect("a notice about the empty table");
    assert!(
        notice.contains("base.db is at base")
            && notice.contains("posts")
            && notice.contains("stamp only"),
        "{notice}"
    );
    // A new empty database is at base too, but has no tables: no such notice.
    let Response::Opened { snapshot } = session.handle(Request::NewEmpty, None).response else {
        panic!("new failed");
    };
    assert!(snapshot
        .notices
        .iter()
        .all(|n| !n.contains("alembic_version is empty")));
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

fn migrate(session: &mut Session, target: &str, stamp: bool) -> Response {
    let mut progress = Vec::new();
    let reply = session.handle_with_progress(
        Request::Migrate {
            target: target.into(),
            stamp,
        },
        None,
        &mut |response| progress.push(response),
    );
    if let Response::Migrated { log, .. } = &reply.response {
        // Each step's time was posted as it ended, the same entry the answer carries.
        let posted: Vec<&LogEntry> = progress
            .iter()
            .filter_map(|response| match response {
                Response::Progress { entry, .. } => Some(entry),
                _ => None,
            })
            .collect();
        assert_eq!(
            posted,
            log.iter().collect::<Vec<_>>(),
            "one progress message per step"
        );
    }
    reply.response
}

fn preview(session: &mut Session, target: &str, stamp: bool) -> Result<Preview, String> {
    match session
        .handle(
            Request::Preview {
                target: target.into(),
                stamp,
            },
            None,
        )
        .response
    {
        Response::Previewed { preview } => Ok(preview),
        Response::Failed { message, .. } => Err(message),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn undo_goes_back_through_every_operation_to_the_exact_image_as_opened() {
    let (mut session, _) = session_with_demo();
    let (_, opened) = export(&mut session);
    assert!(matches!(
        migrate(&mut session, "heads", false),
        Response::Migrated { .. }
    ));
    let (_, upgraded) = export(&mut session);
    assert!(matches!(
        migrate(&mut session, "-1", false),
        Response::Migrated { .. }
    ));
    assert_eq!(
        session.undo_labels(),
        ["upgrade to heads", "downgrade to -1"]
    );
    match session.handle(Request::Undo, None).response {
        Response::Undone { snapshot } => assert_eq!(snapshot.undo.len(), 1),
        other => panic!("undo failed: {other:?}"),
    }
    assert_eq!(export(&mut session).1, upgraded);
    session.undo().expect("second undo");
    assert_eq!(
        export(&mut session).1,
        opened,
        "back to the bytes as opened"
    );
    let (message, _) = failure_message(session.handle(Request::Undo, None));
    assert!(message.contains("nothing to undo"), "{message}");
}

#[test]
fn the_preview_lists_the_steps_that_then_run_and_the_data_a_downgrade_loses() {
    let (mut session, _) = session_with_demo();
    let plan = preview(&mut session, "base", false).expect("preview");
    assert_eq!(plan.action, "downgrade");
    assert!(plan.versions_after.is_empty());
    assert!(
        plan.losses
            .iter()
            .any(|l| l.starts_with("drops table posts (")),
        "{:?}",
        plan.losses
    );
    assert!(plan.steps.iter().all(|s| s.sql.contains("alembic_version")));
    assert!(plan
        .schema_changes
        .iter()
        .any(|c| c == "table posts removed"));
    match migrate(&mut session, "base", false) {
        Response::Migrated { log, snapshot } => {
            let lines: Vec<String> = log.into_iter().map(|e| e.line).collect();
            let planned: Vec<String> = plan.steps.into_iter().map(|s| s.line).collect();
            assert_eq!(lines, planned);
            assert_eq!(snapshot.current_text(), "base");
        }
        other => panic!("migrate failed: {other:?}"),
    }
}

#[test]
fn relative_and_older_targets_pick_their_direction_and_bad_ones_get_the_planners_message() {
    let (mut session, _) = session_with_demo();
    assert_eq!(
        preview(&mut session, "+1", false).expect("+1").action,
        "upgrade"
    );
    assert_eq!(
        preview(&mut session, "b81d", false).expect("older").action,
        "downgrade"
    );
    // REV-N and REV+N: head-1 is ahead of the demo, head-2 behind the head.
    assert_eq!(
        preview(&mut session, "head-1", false)
            .expect("head-1")
            .versions_after,
        ["f17b8d2e4c90"]
    );
    migrate(&mut session, "heads", false);
    let down = preview(&mut session, "head-2", false).expect("head-2");
    assert_eq!(down.action, "downgrade");
    assert_eq!(down.versions_after, ["e9a4c6b1d358"]);
    assert!(
        !down.loses_data,
        "the columns dropped are empty in the demo"
    );
    let up = preview(&mut session, "e9a4c6b1d358+1", false).expect("REV+N");
    assert_eq!(up.action, "downgrade", "e9a4+1 is behind head");
    assert_eq!(up.versions_after, ["f17b8d2e4c90"]);
    let message = preview(&mut session, "zzzz", false).expect_err("unknown target");
    assert!(message.contains("zzzz"), "{message}");
}

#[test]
fn a_stamp_changes_only_the_version_rows_and_is_undoable() {
    let (mut session, before) = session_with_demo();
    let plan = preview(&mut session, "heads", true).expect("stamp preview");
    assert_eq!(plan.action, "stamp");
    assert!(plan.losses.is_empty());
    let tables_before = overview_checks(&mut session, 1).tables;
    match migrate(&mut session, "heads", true) {
        Response::Migrated { snapshot, .. } => {
            assert_eq!(snapshot.current_text(), snapshot.migrations.heads.join(" "));
            assert_eq!(snapshot.overview.table_names, before.overview.table_names);
        }
        other => panic!("stamp failed: {other:?}"),
    }
    assert_eq!(overview_checks(&mut session, 2).tables, tables_before);
    assert_eq!(session.undo().expect("undo").current_text(), DEMO_REVISION);
}

/// The answer to [`Request::Overview`] with `serial`.
fn overview_checks(session: &mut Session, serial: u64) -> OverviewChecks {
    match session.handle(Request::Overview { serial }, None).response {
        Response::Overviewed {
            serial: echoed,
            result,
        } => {
            assert_eq!(echoed, serial);
            result.expect("the checks run")
        }
        other => panic!("no overview: {other:?}"),
    }
}

#[test]
fn the_overview_counts_rows_and_says_where_the_file_stands() {
    let (mut session, snapshot) = session_with_demo();
    let overview = &snapshot.overview;
    let checks = overview_checks(&mut session, 7);
    assert_eq!(checks.integrity, ["ok"]);
    assert!(overview.versioned);
    assert!(checks
        .tables
        .iter()
        .any(|t| t.name == "posts" && t.rows > 0));
    let names: Vec<&String> = checks.tables.iter().map(|t| &t.name).collect();
    assert_eq!(
        overview.table_names.iter().collect::<Vec<_>>(),
        names,
        "the snapshot names the tables the checks count"
    );
    assert!(
        overview.status.contains("On a branch"),
        "{}",
        overview.status
    );
    assert_eq!(overview.page_size, 4096);
}

#[test]
fn a_new_empty_database_is_not_versioned_and_the_backup_is_the_original() {
    let mut session = Session::new().expect("history");
    let snapshot = match session.handle(Request::NewEmpty, None).response {
        Response::Opened { snapshot } => snapshot,
        other => panic!("new failed: {other:?}"),
    };
    assert!(snapshot.overview.status.starts_with("Not versioned"));
    assert!(snapshot.overview.table_names.is_empty());
    assert!(overview_checks(&mut session, 1).tables.is_empty());
    let (_, original) = export(&mut session);
    assert!(matches!(
        migrate(&mut session, "head", false),
        Response::Migrated { .. }
    ));
    let reply = session.handle(
        Request::ExportBackup {
            stamp: "20260101-120000".into(),
        },
        None,
    );
    let bytes = reply.image.as_ref().map(bytes_of);
    match (reply.response, bytes) {
        (Response::Exported { file_name, .. }, Some(bytes)) => {
            assert_eq!(file_name, "content.db.backup-20260101-120000");
            assert_eq!(bytes.len(), original.len());
        }
        (other, _) => panic!("backup failed: {other:?}"),
    }
}

#[test]
fn the_download_reports_integrity_and_foreign_key_checks() {
    let (mut session, _) = session_with_demo();
    let reply = session.handle(Request::Export, None);
    match reply.response {
        Response::Exported { checks, .. } => assert!(checks.passed(), "{checks:?}"),
        other => panic!("export failed: {other:?}"),
    }
}

#[test]
fn the_one_click_upgrade_posts_a_timed_progress_per_step_and_is_undoable() {
    let (mut session, before) = session_with_demo();
    assert!(
        before.pending.len() > 1,
        "the demo must be several steps behind"
    );
    let mut progress = Vec::new();
    let reply = session.handle_with_progress(Request::UpgradeToHead, None, &mut |response| {
        progress.push(response)
    });
    let Response::Upgraded { log, .. } = reply.response else {
        panic!("upgrade failed: {reply:?}");
    };
    // Every step was posted as it ended, with the entry the answer carries too.
    let timed: Vec<String> = log.iter().map(|entry| entry.line.clone()).collect();
    assert_eq!(timed, before.pending);
    assert!(log.iter().all(|entry| entry.millis >= 0.0));
    let posted: Vec<LogEntry> = progress
        .iter()
        .filter_map(|response| match response {
            Response::Progress { entry, .. } => Some(entry.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(posted, log);
    let lines: Vec<String> = progress
        .iter()
        .map(|response| match response {
            Response::Progress { entry, total, .. } => {
                assert_eq!(*total, before.pending.len());
                assert!(entry.millis >= 0.0);
                entry.line.clone()
            }
            other => panic!("not progress: {other:?}"),
        })
        .collect();
    assert_eq!(lines, before.pending);
    assert_eq!(session.undo().expect("undo").current_text(), DEMO_REVISION);
}

#[test]
fn snapshots_leave_the_integrity_check_to_the_overview_request() {
    // A file whose index no longer matches its table: quick_check (run at open) does not look
    // at index contents, integrity_check does. Opening and migrating it succeed without a word
    // about it; the overview request reports it, and so does the download's check.
    let mut database = Database::new_empty().expect("new");
    database
        .connection()
        .execute_batch(
            "CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_a ON t (a);\
             INSERT INTO t VALUES (1, 10), (2, 20);\
             PRAGMA writable_schema = ON;\
             UPDATE sqlite_master SET sql = 'CREATE INDEX t_a ON t (b)' WHERE name = 't_a';\
             PRAGMA writable_schema = RESET;",
        )
        .expect("damage the index");
    let image = database.to_bytes().expect("image");
    let mut session = Session::new().expect("history");
    let opened = session.handle(
        Request::Open {
            file_name: "damaged.db".into(),
        },
        Some(image),
    );
    let Response::Opened { snapshot } = opened.response else {
        panic!("the damaged file opens: {:?}", opened.response);
    };
    assert_eq!(snapshot.overview.table_names, ["t"]);
    let checks = overview_checks(&mut session, 3);
    assert_eq!(
        checks.integrity,
        [
            "row 1 missing from index t_a",
            "row 2 missing from index t_a"
        ]
    );
    assert_eq!(checks.tables[0].rows, 2);
    let reply = session.handle(Request::Export, None);
    let Response::Exported { checks, .. } = reply.response else {
        panic!("export: {:?}", reply.response);
    };
    assert!(!checks.passed(), "the download says the file is damaged");
}

#[test]
fn the_overview_request_without_a_file_says_so_without_failing_the_page() {
    let mut session = Session::new().expect("history");
    match session
        .handle(Request::Overview { serial: 1 }, None)
        .response
    {
        Response::Overviewed { serial, result } => {
            assert_eq!(serial, 1);
            assert!(result.is_err());
        }
        other => panic!("expected Overviewed, got {other:?}"),
    }
}

/// A memory vault that counts its copies, to see which operations copy the image.
struct CountingVault(Rc<std::cell::Cell<usize>>);

impl Vault for CountingVault {
    fn copy_out(&self, db: &mut Database) -> Result<Image, crate::db::DbError> {
        self.0.set(self.0.get() + 1);
        MemoryVault.copy_out(db)
    }
}

/// A session with a file at `f17b8d2e4c90`-like age opened: the demo's image under a file name,
/// opened as the worker opens a chosen file (in a page store).
fn session_with_file(vault: Box<dyn Vault>) -> (Session, Vec<u8>) {
    session_with_file_as(vault, |bytes| Rc::new(MemoryImage(bytes)))
}

/// [`session_with_file`] with the file given as `image` makes it.
fn session_with_file_as(
    vault: Box<dyn Vault>,
    image: impl FnOnce(Vec<u8>) -> Image,
) -> (Session, Vec<u8>) {
    let (mut demo, _) = session_with_demo();
    let (_, bytes) = export(&mut demo);
    let mut session = Session::with_vault(vault).expect("history");
    let mut reads = Vec::new();
    let reply = session.handle_with_progress(
        Request::Open {
            file_name: "prod.db".into(),
        },
        Some(image(bytes.clone())),
        &mut |response| reads.push(response),
    );
    assert!(
        matches!(reply.response, Response::Opened { .. }),
        "{reply:?}"
    );
    assert_eq!(
        reads.last(),
        Some(&Response::Reading {
            read: bytes.len() as u64,
            total: bytes.len() as u64
        }),
        "reading progress ends at the file's size"
    );
    (session, bytes)
}

#[test]
fn a_chosen_files_checkpoints_copy_nothing_and_undo_gives_each_states_exact_bytes_back() {
    let copies = Rc::new(std::cell::Cell::new(0));
    let (mut session, original) = session_with_file(Box::new(CountingVault(copies.clone())));
    assert_eq!(copies.get(), 0, "opening a file copies nothing");
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    let at_head = live_bytes(&mut session);
    copies.set(0);
    assert!(matches!(
        migrate(&mut session, "-1", false),
        Response::Migrated { .. }
    ));
    assert_eq!(copies.get(), 0, "checkpoints are kept in the page store");
    assert_ne!(live_bytes(&mut session), at_head);
    copies.set(0);
    session.undo().expect("undo the downgrade");
    assert_eq!(
        live_bytes(&mut session),
        at_head,
        "back at head, byte for byte"
    );
    session.undo().expect("undo the upgrade");
    let (_, bytes) = export(&mut session);
    assert_eq!(bytes, original, "back to the bytes as chosen");
    assert!(
        matches!(session.undo(), Err(WebError::NothingToUndo { .. })),
        "nothing left to undo"
    );
    // Back at the original, the next checkpoint is the original again (no copy).
    let before = copies.get();
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    assert_eq!(copies.get(), before);
}

#[test]
fn the_backup_is_the_chosen_file_itself_and_a_failed_open_keeps_the_open_file() {
    let (mut session, original) = session_with_file(Box::new(MemoryVault));
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    let reply = session.handle(
        Request::ExportBackup {
            stamp: "20260101-120000".into(),
        },
        None,
    );
    assert_eq!(bytes_of(reply.image.as_ref().expect("backup")), original);
    let (message, snapshot) = failure_message(session.handle(
        Request::Open {
            file_name: "notes.txt".into(),
        },
        Some(b"hello, not a database".repeat(100)),
    ));
    assert!(
        message.contains("notes.txt") && message.contains("not a SQLite database"),
        "{message}"
    );
    let snapshot = snapshot.expect("the previous file stays open");
    assert_eq!(snapshot.file_name, "prod.db");
    assert_eq!(snapshot.undo, ["upgrade to heads"]);
    assert!(snapshot.pending.is_empty(), "still upgraded");
}

/// The checks a reply to [`Request::Export`] carries.
fn export_checks(session: &mut Session) -> Checks {
    match session.handle(Request::Export, None).response {
        Response::Exported { checks, .. } => checks,
        other => panic!("export failed: {other:?}"),
    }
}

/// The SQLite checks that ran since the last call (from the spans recorded on this thread).
fn checks_run() -> Vec<String> {
    crate::timing::take_recorded()
        .into_iter()
        .filter(|name| name.ends_with("_check"))
        .collect()
}

#[test]
fn a_download_after_the_overview_reuses_its_checks_until_something_changes() {
    let (mut session, _) = session_with_demo();
    checks_run();
    assert_eq!(overview_checks(&mut session, 1).integrity, ["ok"]);
    assert_eq!(checks_run(), ["sqlite:integrity_check"]);
    // The views the page asks for after each change only read.
    for request in [
        crate::web::protocol::inspect::InspectRequest::Tables,
        crate::web::protocol::inspect::InspectRequest::History,
    ] {
        let reply = session.handle(Request::Inspect { request }, None);
        assert!(matches!(reply.response, Response::Inspected { .. }));
    }
    // Right after the overview only the foreign-key check is new; a second download runs none.
    assert!(export_checks(&mut session).passed());
    assert_eq!(checks_run(), ["sqlite:foreign_key_check"]);
    assert!(export_checks(&mut session).passed());
    assert!(checks_run().is_empty());
    // A write through the SQL console forgets them.
    let wrote = session.handle(
        Request::Inspect {
            request: crate::web::protocol::inspect::InspectRequest::Sql {
                sql: "UPDATE posts SET user_id = NULL".into(),
                write_unlocked: true,
            },
        },
        None,
    );
    assert!(
        matches!(wrote.response, Response::Inspected { .. }),
        "{wrote:?}"
    );
    let checks = export_checks(&mut session);
    assert_eq!(
        checks_run(),
        ["sqlite:integrity_check", "sqlite:foreign_key_check"]
    );
    assert!(checks.passed(), "{checks:?}");
}

#[test]
fn a_change_made_past_the_requests_still_forces_new_checks() {
    let (mut session, _) = session_with_demo();
    assert!(export_checks(&mut session).passed());
    checks_run();
    // Not through a request: only SQLite's change count can tell.
    let open = session.open.as_mut().expect("open");
    open.db
        .connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; UPDATE posts SET user_id = 987654321; \
             PRAGMA foreign_keys = ON;",
        )
        .expect("update");
    let checks = export_checks(&mut session);
    assert_eq!(
        checks_run(),
        ["sqlite:integrity_check", "sqlite:foreign_key_check"]
    );
    assert!(
        checks.foreign_keys.iter().any(|p| p.starts_with("posts:")),
        "the orphans are found: {checks:?}"
    );
    // Migrations go through a request that forgets the checks; the migration's own last
    // foreign_key_check is kept for the state it leaves, so only integrity_check runs again.
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    checks_run();
    let after = export_checks(&mut session);
    assert_eq!(checks_run(), ["sqlite:integrity_check"]);
    let open = session.open.as_ref().expect("open");
    assert_eq!(
        after.foreign_keys,
        open.foreign_key_problems().expect("check"),
        "what the migration found is what the check finds now"
    );
    assert!(
        after.foreign_keys.iter().any(|p| p.starts_with("posts:")),
        "{after:?}"
    );
}

/// The open database's bytes as they are, read from it (not from any copy kept of it).
fn live_bytes(session: &mut Session) -> Vec<u8> {
    let open = session.open.as_mut().expect("a database is open");
    bytes_of(
        &MemoryVault
            .copy_out(&mut open.db)
            .expect("the database reads"),
    )
}

/// Opens `bytes` as `notes.txt`, which is not a database: the error and what stays open.
fn open_garbage(session: &mut Session) -> (String, Option<Snapshot>) {
    failure_message(session.handle(
        Request::Open {
            file_name: "notes.txt".into(),
        },
        Some(b"hello, not a database".repeat(100)),
    ))
}

#[test]
fn the_demos_checkpoints_copy_nothing_and_undo_gives_each_states_exact_bytes_back() {
    let copies = Rc::new(std::cell::Cell::new(0));
    let mut session =
        Session::with_vault(Box::new(CountingVault(copies.clone()))).expect("history");
    assert!(matches!(
        session.handle(Request::OpenDemo, None).response,
        Response::Opened { .. }
    ));
    assert_eq!(
        copies.get(),
        1,
        "the demo as built is copied once, for the backup"
    );
    let as_built = live_bytes(&mut session);
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    let at_head = live_bytes(&mut session);
    assert!(matches!(
        migrate(&mut session, "-1", false),
        Response::Migrated { .. }
    ));
    assert_ne!(live_bytes(&mut session), at_head);
    assert_eq!(copies.get(), 1, "checkpoints are kept in the page store");
    assert!(session.undo().expect("undo the downgrade").at_head());
    assert_eq!(
        live_bytes(&mut session),
        at_head,
        "back at head, byte for byte"
    );
    session.undo().expect("undo the upgrade");
    assert_eq!(
        live_bytes(&mut session),
        as_built,
        "back to the demo as built"
    );
    assert!(matches!(
        session.undo(),
        Err(WebError::NothingToUndo { .. })
    ));
    assert_eq!(copies.get(), 1, "undo copies nothing");
    let backup = session.handle(
        Request::ExportBackup {
            stamp: "20260101-120000".into(),
        },
        None,
    );
    assert_eq!(bytes_of(backup.image.as_ref().expect("backup")), as_built);
    assert_eq!(export(&mut session).1, as_built);
    assert_eq!(copies.get(), 2, "a download is a copy");
}

#[test]
fn a_file_that_does_not_open_leaves_the_changed_demo_open_with_its_undo() {
    let (mut session, _) = session_with_demo();
    let as_built = live_bytes(&mut session);
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    let at_head = live_bytes(&mut session);
    let (message, snapshot) = open_garbage(&mut session);
    assert!(
        message.contains("notes.txt") && message.contains("not a SQLite database"),
        "{message}"
    );
    let snapshot = snapshot.expect("the demo stays open");
    assert_eq!(snapshot.file_name, DEMO_FILE_NAME);
    assert_eq!(snapshot.undo, ["upgrade to heads"]);
    assert_eq!(live_bytes(&mut session), at_head, "with its change");
    session.undo().expect("and its undo");
    assert_eq!(live_bytes(&mut session), as_built);
}

#[test]
fn a_new_database_upgraded_then_undone_is_empty_again_byte_for_byte() {
    let mut session = Session::new().expect("history");
    assert!(matches!(
        session.handle(Request::NewEmpty, None).response,
        Response::Opened { .. }
    ));
    let empty = live_bytes(&mut session);
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    assert!(live_bytes(&mut session).len() > empty.len());
    let snapshot = session.undo().expect("undo the upgrade");
    assert!(snapshot.current.is_empty(), "{snapshot:?}");
    assert_eq!(live_bytes(&mut session), empty);
    assert_eq!(export(&mut session).1, empty);
}

#[test]
fn a_download_is_the_database_as_it_is_even_after_a_change_past_the_requests() {
    let (mut session, _) = session_with_file(Box::new(MemoryVault));
    let (_, downloaded) = export(&mut session);
    // A change that bypasses the checkpoint (no request does this): the next download has it.
    session
        .open
        .as_mut()
        .expect("open")
        .db
        .execute_script("UPDATE alembic_version SET version_num = 'feedfacecafe';")
        .expect("the row changes");
    let (_, again) = export(&mut session);
    assert_ne!(again, downloaded);
    assert_eq!(again, live_bytes(&mut session));
}

#[test]
fn only_a_chosen_file_as_chosen_is_offered_to_a_background_check() {
    let (mut session, _) = session_with_demo();
    assert!(session.unchanged_original().is_none(), "not the demo");
    assert!(matches!(
        session.handle(Request::NewEmpty, None).response,
        Response::Opened { .. }
    ));
    assert!(session.unchanged_original().is_none(), "nor a new database");
    let (mut session, original) = session_with_file(Box::new(MemoryVault));
    let offered = session.unchanged_original().expect("the file as chosen");
    assert!(session.has_original(&offered));
    assert_eq!(bytes_of(&offered), original);
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    assert!(session.unchanged_original().is_none(), "not once changed");
    session.undo().expect("undo");
    assert!(
        session.unchanged_original().is_some(),
        "again once undone to the file as chosen"
    );
}

#[test]
fn a_file_damaged_past_its_schema_opens_but_is_neither_migrated_nor_downloaded() {
    // The page opens a file lazily (its header and the pages SQLite reads for the snapshot) and
    // owes the quick check until the first change or download, which then refuse it.
    let (mut demo, _) = session_with_demo();
    let (_, bytes) = export(&mut demo);
    let mut filled = Database::open_bytes(&bytes).expect("opens");
    filled
        .execute_script(
            "CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
             INSERT INTO filler (body) SELECT printf('row %d %s', i, hex(randomblob(50))) FROM n;",
        )
        .expect("rows");
    let mut damaged = filled.to_bytes().expect("bytes");
    let page = 4096;
    let at = damaged.len() * 3 / 4 / page * page;
    damaged[at..at + page].fill(0xA5);
    let mut session = Session::new().expect("history");
    let opened = session.handle(
        Request::Open {
            file_name: "damaged.db".into(),
        },
        Some(damaged.clone()),
    );
    let Response::Opened { snapshot } = opened.response else {
        panic!("the file opens: {:?}", opened.response);
    };
    assert_eq!(snapshot.current_text(), DEMO_REVISION);
    for request in [Request::UpgradeToHead, Request::Export] {
        let (message, snapshot) = failure_message(session.handle(request, None));
        assert!(
            message.starts_with("nothing was migrated or downloaded from damaged.db: the database is damaged (SQLite's quick_check says"),
            "{message}"
        );
        let snapshot = snapshot.expect("still open");
        assert_eq!(snapshot.current_text(), DEMO_REVISION, "nothing migrated");
        assert!(snapshot.undo.is_empty(), "no checkpoint left");
    }
    let reply = session.handle(
        Request::ExportBackup {
            stamp: "20260101-120000".into(),
        },
        None,
    );
    assert_eq!(
        bytes_of(reply.image.as_ref().expect("the backup")),
        damaged,
        "the backup is the file as chosen"
    );
}

#[test]
fn an_upgrade_before_the_overview_checks_the_file_first_and_says_so_on_the_bar() {
    let (mut session, _) = session_with_file(Box::new(MemoryVault));
    let mut posted = Vec::new();
    let reply = session.handle_with_progress(Request::UpgradeToHead, None, &mut |response| {
        posted.push(response)
    });
    assert!(
        matches!(reply.response, Response::Upgraded { .. }),
        "{reply:?}"
    );
    let working: Vec<(f64, String)> = posted
        .iter()
        .filter_map(|response| match response {
            Response::Working { fraction, label } => Some((fraction.get(), label.clone())),
            _ => None,
        })
        .collect();
    let checking: Vec<f64> = working
        .iter()
        .take_while(|(_, label)| label.contains("checking prod.db before changing it"))
        .map(|(fraction, _)| *fraction)
        .collect();
    assert!(
        checking.len() >= 2,
        "the check comes first, with its progress: {working:?}"
    );
    assert!(
        checking.windows(2).all(|pair| pair[0] <= pair[1]),
        "{checking:?}"
    );
    // One bar for both: the check in its first half, the steps in the rest, never back.
    assert!(
        checking.iter().all(|fraction| *fraction <= 0.5),
        "{working:?}"
    );
    assert!(
        working
            .iter()
            .filter(|(_, label)| label.starts_with("step "))
            .all(|(fraction, _)| *fraction >= 0.5),
        "{working:?}"
    );
    assert!(
        working.windows(2).all(|pair| pair[0].0 <= pair[1].0),
        "never back: {working:?}"
    );
    let first_step = posted
        .iter()
        .position(|response| matches!(response, Response::Progress { .. }))
        .expect("a step ran");
    assert!(
        posted[..first_step]
            .iter()
            .any(|response| matches!(response, Response::Working { label, .. } if label.contains("checking"))),
        "the check's progress comes before the first step's"
    );
    // Checked once: the next change does not check again.
    let mut again = Vec::new();
    migrate_posting(&mut session, "-1", &mut again);
    assert!(
        !again.iter().any(|response| matches!(response,
            Response::Working { label, .. } if label.contains("checking"))),
        "{again:?}"
    );
}

/// [`migrate`] with the progress it posts gathered in `posted`.
fn migrate_posting(session: &mut Session, target: &str, posted: &mut Vec<Response>) {
    let reply = session.handle_with_progress(
        Request::Migrate {
            target: target.into(),
            stamp: false,
        },
        None,
        &mut |response| posted.push(response),
    );
    assert!(
        matches!(reply.response, Response::Migrated { .. }),
        "{reply:?}"
    );
}

#[test]
fn a_background_check_of_the_chosen_file_settles_its_owed_quick_check_while_it_is_still_open() {
    let (mut session, _) = session_with_file(Box::new(MemoryVault));
    let owes = |session: &Session| session.open.as_ref().expect("open").db.owes_check();
    let original = session
        .unchanged_original()
        .expect("a chosen file, unchanged, can be checked elsewhere");
    assert!(session.has_original(&original));
    assert!(owes(&session), "opened lazily: the quick check is owed");
    let other: Image = Rc::new(MemoryImage(vec![0; 16]));
    assert!(!session.has_original(&other));
    session.note_original_sound(&other);
    assert!(owes(&session), "another file's check settles nothing");
    session.note_original_sound(&original);
    assert!(!owes(&session), "the chosen file's own check does");
    // Changed, it is no longer the chosen file byte for byte; undone, it is again.
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
    assert!(session.unchanged_original().is_none());
    session.undo().expect("undo");
    assert!(session.unchanged_original().is_some());
    // The demo is not a chosen file.
    let (demo, _) = session_with_demo();
    assert!(demo.unchanged_original().is_none());
}

#[test]
fn the_overview_reports_its_progress_and_stopping_checks_that_ended_just_says_so() {
    let (mut session, _) = session_with_file(Box::new(MemoryVault));
    let mut told = Vec::new();
    let reply =
        session.handle_with_progress(Request::Overview { serial: 4 }, None, &mut |r| told.push(r));
    assert!(matches!(
        reply.response,
        Response::Overviewed {
            serial: 4,
            result: Ok(_)
        }
    ));
    let fractions: Vec<f64> = told
        .iter()
        .map(|response| match response {
            Response::OverviewProgress {
                serial: 4,
                fraction,
            } => fraction.get(),
            other => panic!("only progress of serial 4 while checking: {other:?}"),
        })
        .collect();
    assert!(!fractions.is_empty(), "progress told");
    assert!(
        fractions.windows(2).all(|pair| pair[0] <= pair[1]),
        "never backwards: {fractions:?}"
    );
    assert!(fractions.iter().all(|f| *f < 1.0), "{fractions:?}");
    assert_eq!(
        session
            .handle(Request::StopOverview { serial: 4 }, None)
            .response,
        Response::OverviewStopped { serial: 4 }
    );
}

/// A room of `available` bytes with 1 GiB in use.
fn room_of(available: u64) -> room::MemoryLimit {
    room::MemoryLimit::Fixed(crate::footprint::Room {
        limit: (1 << 30) + available,
        in_use: 1 << 30,
    })
}

fn current_revisions(session: &Session) -> Vec<String> {
    let open = session.open.as_ref().expect("a file is open");
    open.db.current_versions().expect("revision rows")
}

#[test]
fn a_change_that_would_not_fit_is_refused_before_it_starts_with_the_cli_command() {
    let (mut session, original) = session_with_file(Box::new(MemoryVault));
    // Less than the margin alone: any step that copies a table is refused.
    session.limit_memory(room_of(1 << 20));
    // From c3e7a1d9f482 to e9a4c6b1d358 the oauth_tokens rebuild runs: refused, by name.
    let (message, snapshot) = failure_message(session.handle(Request::UpgradeToHead, None));
    assert!(
        message.starts_with("upgrading prod.db to heads would need about "),
        "{message}"
    );
    assert!(
        message.contains("and only 1.0 MiB is left (1.0 GiB of WebAssembly's 1.0 GiB in use)"),
        "{message}"
    );
    assert!(
        message.ends_with(
            "Nothing was changed. The command-line tool does it on disk, without this limit: \
             `content-db --db prod.db upgrade heads`"
        ),
        "{message}"
    );
    assert!(snapshot.is_some(), "the file stays open");
    let (message, _) = failure_message(session.handle(
        Request::Migrate {
            target: "-1".into(),
            stamp: false,
        },
        None,
    ));
    assert!(
        message.contains("`content-db --db prod.db downgrade -1`"),
        "{message}"
    );
    // Nothing ran: no checkpoint, no check, the bytes as chosen.
    assert!(matches!(
        session.undo(),
        Err(WebError::NothingToUndo { .. })
    ));
    assert_eq!(current_revisions(&session), vec![DEMO_REVISION.to_string()]);
    assert!(session.open.as_ref().expect("open").db.owes_check());
    assert_eq!(live_bytes(&mut session), original);
    // A stamp writes nothing countable and is never refused.
    assert!(matches!(
        migrate(&mut session, "d5f0b2c8e614", true),
        Response::Migrated { .. }
    ));
    // With the memory back the same upgrade runs.
    session.limit_memory(room_of(4 << 30));
    session.undo().expect("undo the stamp");
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
}

#[test]
fn a_step_that_writes_only_a_new_table_runs_in_any_room() {
    let (mut session, _) = session_with_file(Box::new(MemoryVault));
    session.limit_memory(room_of(4 << 30));
    assert!(matches!(
        migrate(&mut session, "e9a4c6b1d358", false),
        Response::Migrated { .. }
    ));
    session.limit_memory(room_of(0));
    // f17b8d2e4c90 creates chat_messages and its index: nothing to copy.
    assert!(matches!(
        migrate(&mut session, "f17b8d2e4c90", false),
        Response::Migrated { .. }
    ));
    // 0a6c9e3f5b71 rebuilds posts: refused.
    let (message, _) = failure_message(session.handle(Request::UpgradeToHead, None));
    assert!(message.contains("would need about"), "{message}");
    assert_eq!(
        current_revisions(&session),
        vec!["f17b8d2e4c90".to_string()]
    );
}

#[test]
fn a_step_failing_with_sqlites_out_of_memory_message_is_rolled_back_and_names_the_cli_command() {
    let (mut session, _) = session_with_file(Box::new(MemoryVault));
    assert!(matches!(
        migrate(&mut session, "f17b8d2e4c90", false),
        Response::Migrated { .. }
    ));
    let before = live_bytes(&mut session);
    // SQLite's out-of-memory message at the end of the posts rebuild (its version row update),
    // after the copy: raised by a temporary trigger, which leaves the file alone. (A real
    // SQLITE_NOMEM gives the same message and the same rollback; it cannot be caused here
    // without starving the whole test process.)
    let conn = session.open.as_ref().expect("open").db.connection();
    conn.execute_batch(
        "CREATE TEMP TRIGGER run_out AFTER UPDATE ON main.alembic_version \
         BEGIN SELECT RAISE(ABORT, 'out of memory'); END",
    )
    .expect("trigger");
    let (message, snapshot) = failure_message(session.handle(Request::UpgradeToHead, None));
    assert!(
        message.starts_with("upgrading prod.db to heads ran out of the browser's memory (upgrade 0a6c9e3f5b71 failed at the statement"),
        "{message}"
    );
    assert!(
        message.contains(
            "the step was rolled back, the database is as it was after the last completed step"
        ),
        "{message}"
    );
    assert!(
        message.ends_with("`content-db --db prod.db upgrade heads`"),
        "{message}"
    );
    assert!(snapshot.is_some(), "the file stays open");
    assert_eq!(
        current_revisions(&session),
        vec!["f17b8d2e4c90".to_string()]
    );
    assert_eq!(
        live_bytes(&mut session),
        before,
        "the step left nothing behind"
    );
    // Still usable: without the trigger the upgrade runs.
    let conn = session.open.as_ref().expect("open").db.connection();
    conn.execute_batch("DROP TRIGGER temp.run_out")
        .expect("drop trigger");
    assert!(matches!(
        session.handle(Request::UpgradeToHead, None).response,
        Response::Upgraded { .. }
    ));
}
