//! `kill -9` at random moments of every writing command: afterwards the next opener (content-db,
//! Python's sqlite3, or a plain SQLite connection, in turn) finds exactly the original content, or
//! exactly what the command makes when it completes; a backup `reset` leaves is always whole.

use std::path::Path;
use std::time::Duration;

use crate::common::{content_db_run, folder_of};
use crate::support::*;

/// One writing command under test: its arguments and whether it starts from head.
struct Case {
    args: &'static [&'static str],
    from_head: bool,
}

const CASES: [Case; 4] = [
    Case {
        args: &["upgrade", "head"],
        from_head: false,
    },
    Case {
        args: &["downgrade", "-1"],
        from_head: true,
    },
    Case {
        args: &["stamp", "e9a4c6b1d358"],
        from_head: false,
    },
    Case {
        args: &["reset", "--yes"],
        from_head: false,
    },
];

/// What one case looks like before and after, and how long it runs undisturbed.
struct Expected {
    start: Vec<u8>,
    before: u64,
    after: u64,
    duration: Duration,
}

/// Runs `case` to completion once on a copy, for its end state and its duration.
fn expected(dir: &Path, case: &Case, index: usize) -> Expected {
    let db = generated_db(dir, &format!("expected-{index}.db"));
    if case.from_head {
        ok(&db, &["upgrade", "head"]);
    }
    let start = std::fs::read(&db).expect("read");
    let before = fingerprint(&db);
    let (duration, finished) = timed(&db, case.args);
    assert_eq!(finished.code, 0, "{:?}: {finished:?}", case.args);
    Expected {
        start,
        before,
        after: fingerprint(&db),
        duration,
    }
}

#[test]
fn kill_9_at_any_moment_leaves_the_original_or_the_finished_result() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = fastrand::Rng::with_seed(seed("kill -9"));
    let expected: Vec<Expected> = CASES
        .iter()
        .enumerate()
        .map(|(index, case)| expected(dir.path(), case, index))
        .collect();
    let mut outcomes = [[0usize; 2]; CASES.len()];
    for run in 0..runs() {
        let which = run % CASES.len();
        let (case, expect) = (&CASES[which], &expected[which]);
        let folder = dir.path().join(format!("run-{run}"));
        std::fs::create_dir(&folder).expect("folder");
        let db = folder.join("content.db");
        std::fs::write(&db, &expect.start).expect("write");
        let child = spawn(&db, case.args);
        // Anywhere from the process's start to past its usual end (the machine may be busier).
        let window = expect.duration.as_micros() as u64 * 16 / 10;
        std::thread::sleep(Duration::from_micros(rng.u64(0..=window)));
        let mut child = child;
        let _ = child.kill(); // SIGKILL; it may have finished already
        finish(child);
        // The next opener: content-db, Python's sqlite3, or SQLite through rusqlite.
        match run % 3 {
            0 => {
                let current = content_db_run(&db, &["current"]);
                assert_eq!(current.code, 0, "run {run}: {current:?}");
            }
            1 => open_with_python(&db),
            _ => {}
        }
        let found = fingerprint(&db);
        let finished = found == expect.after;
        assert!(
            found == expect.before || finished,
            "run {run}: {:?} killed left a database that is neither the original nor the result",
            case.args
        );
        outcomes[which][usize::from(finished)] += 1;
        // A journal left behind must be one SQLite ignores (killed before its header was
        // written: first byte zero); a hot one would have been rolled back and deleted.
        if let Ok(journal) = std::fs::read(folder.join("content.db-journal")) {
            assert!(
                journal.first().is_none_or(|byte| *byte == 0),
                "run {run}: a hot journal is left after the next opener"
            );
        }
        for name in folder_of(&db) {
            if name.contains(".backup-") {
                assert_eq!(
                    fingerprint(&folder.join(&name)),
                    expect.before,
                    "run {run}: a backup that is not the whole original"
                );
            }
        }
        std::fs::remove_dir_all(&folder).expect("clean up");
    }
    for (case, [original, done]) in CASES.iter().zip(outcomes) {
        eprintln!(
            "kill -9 during {:?}: {original} left the original, {done} the finished result",
            case.args
        );
    }
}
