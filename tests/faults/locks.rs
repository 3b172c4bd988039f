//! A file system without POSIX locks (some network shares): SQLite cannot lock the file, and
//! the command says so, instead of blaming another program, and changes nothing. The file
//! system is played by `no_locks.c`, preloaded into content-db, which refuses every lock the
//! way such a share does: `EINVAL` (SQLite: an I/O error while locking) or `ENOLCK` (SQLite:
//! busy, so it waits out its busy timeout first).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{content_db, folder_of};
use crate::support::*;

/// Builds `no_locks.c` into `dir` with the system's C compiler (the one that builds SQLite for
/// rusqlite); `None`, with a note, where there is none.
fn build_shim(dir: &Path) -> Option<PathBuf> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/faults/no_locks.c");
    let shim = dir.join("no_locks.so");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let built = Command::new(&compiler)
        .args(["-shared", "-fPIC", "-o"])
        .arg(&shim)
        .arg(&source)
        .arg("-ldl")
        .status();
    match built {
        Ok(status) if status.success() => Some(shim),
        other => {
            eprintln!("SKIPPED: no C compiler to build the lock shim ({other:?})");
            None
        }
    }
}

#[test]
fn a_file_system_without_locks_is_named_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(shim) = build_shim(dir.path()) else {
        return;
    };
    let folder = dir.path().join("share");
    std::fs::create_dir(&folder).expect("folder");
    let db = generated_db(&folder, "content.db");
    let before = std::fs::read(&db).expect("read");
    for (errno, name) in [(libc::EINVAL, "EINVAL"), (libc::ENOLCK, "ENOLCK")] {
        for args in [
            &["upgrade", "head"][..],
            &["stamp", "head"],
            &["reset", "--yes"],
        ] {
            let mut command = content_db();
            command
                .env("LD_PRELOAD", &shim)
                .env("NO_LOCKS_ERRNO", errno.to_string());
            let run = finish(spawn_by(command, &db, args).expect("start content-db"));
            assert_eq!(run.code, 1, "{name} {args:?}: {run:?}");
            assert!(
                run.stderr
                    .contains("does not seem to support the locks SQLite needs"),
                "{name} {args:?}: {run:?}"
            );
            assert!(
                !run.stderr.contains("another program"),
                "{name} {args:?}: {run:?}"
            );
            assert_eq!(std::fs::read(&db).expect("read"), before, "{name} {args:?}");
            assert_eq!(
                folder_of(&db),
                vec!["content.db".to_string()],
                "{name} {args:?}"
            );
        }
    }
    // The same file on a file system with locks: the command goes through.
    ok(&db, &["upgrade", "head"]);
}
