//! The file itself: a file or folder this user may not write is refused with its own message
//! before anything runs; a file made read-only while the command runs is still changed (SQLite
//! opened it before); a file replaced at its path while the command runs is not touched, and
//! neither is the replacement.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::{content_db, folder_of};
use crate::support::*;

/// Runs `content-db --db DB ARGS` as a user who does not own `db`: as `nobody` through
/// `setpriv` when the tests run as root (root may write anything), else as this user.
fn run_as_other_user(db: &Path, args: &[&str]) -> Option<Finished> {
    let binary = content_db().get_program().to_owned();
    let command = if unsafe { libc::geteuid() } == 0 {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        command
    } else {
        Command::new(binary)
    };
    Some(finish(spawn_by(command, db, args).ok()?))
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_read_only_file_or_folder_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    chmod(dir.path(), 0o755);
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).expect("folder");
    let db = generated_db(&folder, "content.db");
    let before = std::fs::read(&db).expect("read");
    let as_root = unsafe { libc::geteuid() } == 0;
    // The file: read-only for the user who runs the command.
    chmod(&db, 0o444);
    for args in [
        &["upgrade", "head"][..],
        &["stamp", "head"],
        &["reset", "--yes"],
    ] {
        let Some(run) = run_as_other_user(&db, args) else {
            eprintln!("SKIPPED: cannot run as another user here");
            return;
        };
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(run.stderr.contains("is read-only for this user"), "{run:?}");
        assert!(run.stderr.contains("chmod u+w"), "{run:?}");
    }
    // The folder: the file may be written, but SQLite's journal cannot be created beside it.
    chmod(&db, 0o666);
    if !as_root {
        chmod(&folder, 0o555);
    }
    let run = run_as_other_user(&db, &["upgrade", "head"]).expect("runs");
    chmod(&folder, 0o755);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("content.db-journal"), "{run:?}");
    assert_eq!(std::fs::read(&db).expect("read"), before);
    assert_eq!(folder_of(&db), vec!["content.db".to_string()]);
    // Writable: the same command goes through.
    ok(&db, &["upgrade", "head"]);
}

#[test]
fn a_file_made_read_only_while_the_command_runs_is_still_migrated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = generated_db(dir.path(), "content.db");
    let child = spawn(&db, &["upgrade", "head"]);
    std::thread::sleep(Duration::from_millis(30));
    chmod(&db, 0o444);
    let run = finish(child);
    chmod(&db, 0o644);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(versions(&db), vec![HEAD.to_string()]);
}

#[test]
fn a_file_replaced_while_the_command_runs_is_left_alone_and_so_is_the_replacement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = fastrand::Rng::with_seed(seed("replaced"));
    let timing = generated_db(dir.path(), "timing.db");
    let (duration, _) = timed(&timing, &["upgrade", "head"]);
    let (mut refused, mut finished_first) = (0, 0);
    for trial in 0..6 {
        let db = generated_db(dir.path(), "content.db");
        // The replacement: another database (at head), as a user restoring a copy would.
        let replacement = generated_db(dir.path(), "replacement.db");
        ok(&replacement, &["stamp", "head"]);
        let replacement_bytes = std::fs::read(&replacement).expect("read");
        let child = spawn(&db, &["upgrade", "head"]);
        let at = duration.as_micros() as u64;
        std::thread::sleep(Duration::from_micros(rng.u64(at / 4..=at * 3 / 4)));
        std::fs::rename(&replacement, &db).expect("replace the file");
        let run = finish(child);
        assert_eq!(
            std::fs::read(&db).expect("read"),
            replacement_bytes,
            "trial {trial}: the replacement was changed: {run:?}"
        );
        if run.code == 0 {
            finished_first += 1;
        } else {
            assert!(
                run.stderr.contains("was replaced by another file"),
                "{run:?}"
            );
            refused += 1;
        }
    }
    eprintln!("replaced mid-run: {refused} refused, {finished_first} had committed before");
}
