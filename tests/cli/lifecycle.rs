//! `init` and `reset` (backup, confirmation on a terminal, `--yes`), and the default paths.

use std::fs;
use std::path::PathBuf;

use crate::common::*;
use crate::fixture::*;

#[test]
fn init_creates_at_head_and_refuses_existing_files() {
    let fixture = Fixture::empty();
    let db = fixture.db();
    let run = content_db_ok(&db, &["init"]);
    assert_eq!(run.step_lines().len(), 7, "{}", run.stderr);
    assert_eq!(version_rows(&db), vec![HEAD.to_string()]);
    let reference = fixture.path("alembic.db");
    alembic_ok(&reference, &["upgrade", "head"]);
    assert_eq!(dump_schema(&db), dump_schema(&reference));

    fails_unchanged(&db, &["init"], &["already exists"]);
    let empty = fixture.path("empty.db");
    fs::write(&empty, b"").expect("write");
    fails_unchanged(&empty, &["init"], &["already exists"]);
}

#[test]
fn reset_yes_backs_up_then_recreates_at_head() {
    let fixture = populated();
    let db = fixture.db();
    let before = fs::read(&db).expect("read");
    let run = content_db_ok(&db, &["reset", "--yes"]);
    let backups = backups_of(&db);
    assert_eq!(
        backups.len(),
        1,
        "one backup named content.db.backup-YYYYMMDD-HHMMSS: {backups:?}"
    );
    assert_eq!(
        fs::read(&backups[0]).expect("read"),
        before,
        "the backup is a byte copy"
    );
    assert!(
        run.stderr.contains(&backups[0].display().to_string()),
        "{}",
        run.stderr
    );
    assert_eq!(post_count(&db), 0);
    assert_eq!(version_rows(&db), vec![HEAD.to_string()]);
    // Recreated in place: the schema of a new file at head, and no bigger than one (compacted).
    let fresh = fixture.path("fresh.db");
    content_db_ok(&fresh, &["init"]);
    assert_eq!(dump_schema(&db), dump_schema(&fresh));
    let size = |path: &std::path::Path| fs::metadata(path).expect("size").len();
    assert!(
        size(&db) <= size(&fresh),
        "{} > {}",
        size(&db),
        size(&fresh)
    );
}

#[test]
fn reset_without_yes_refuses_when_it_cannot_ask() {
    let fixture = populated();
    let run = fails_unchanged(&fixture.db(), &["reset"], &["--yes", "not a terminal"]);
    assert!(backups_of(&fixture.db()).is_empty(), "{run:#?}");
}

#[test]
fn reset_asks_on_a_terminal() {
    let fixture = populated();
    let db = fixture.db();
    let before = fs::read(&db).expect("read");
    let run = reset_on_terminal(&db, "n\n");
    assert!(run.stdout.contains("[y/N]"), "no question asked: {run:#?}");
    assert_eq!(run.code, 1, "{run:#?}");
    assert_eq!(
        fs::read(&db).expect("read"),
        before,
        "answering n changed the file"
    );
    assert!(backups_of(&db).is_empty());

    let run = reset_on_terminal(&db, "y\n");
    assert_eq!(run.code, 0, "{run:#?}");
    assert_eq!(backups_of(&db).len(), 1);
    assert_eq!(post_count(&db), 0);
}

#[test]
fn defaults_are_content_db_and_migrations_in_the_working_directory() {
    let fixture = Fixture::empty();
    let run = |args: &[&str]| {
        let out = content_db()
            .args(args)
            .current_dir(fixture.dir.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run content-db");
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["init"]);
    assert_eq!(
        version_rows(&fixture.path("content.db")),
        vec![HEAD.to_string()]
    );
    assert_eq!(run(&["current"]), format!("{HEAD} (head)\n"));

    copy_migrations(&fixture.path("migrations"));
    let out = run(&["create", "from the default folder"]);
    let path = PathBuf::from(
        out.trim()
            .strip_prefix("Generating ")
            .and_then(|rest| rest.strip_suffix(" ...  done"))
            .expect("Alembic's Generating line"),
    );
    assert_eq!(path.parent(), Some(fixture.path("migrations").as_path()));
    assert!(path.exists());
}
