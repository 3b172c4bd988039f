//! Integration tests of the `content-db` binary, with real Alembic as the oracle: the same file
//! is given to both tools (as copies) and their outputs, step lines and `alembic_version` rows are
//! compared. Also: errors leave the file byte-identical, `--sql` changes nothing, init/reset/
//! create/merge/check behave as documented.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

const HEAD: &str = "0a6c9e3f5b71";

/// A scratch directory with a database built by real Alembic running `commands` in turn.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty scratch directory.
    fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// `db.sqlite` made by running each Alembic command line (e.g. `"upgrade c3e7a1d9f482"`).
    fn alembic(commands: &[&str]) -> Fixture {
        let fixture = Fixture::empty();
        for command in commands {
            let args: Vec<&str> = command.split_whitespace().collect();
            alembic_ok(&fixture.db(), &args);
        }
        fixture
    }

    /// The fixture's database path.
    fn db(&self) -> PathBuf {
        self.path("db.sqlite")
    }

    /// A path inside the scratch directory.
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A copy of the database under another name, for the other tool (no copy when there is no
    /// database yet: both tools then start from a missing file).
    fn copy(&self, name: &str) -> PathBuf {
        let copy = self.path(name);
        if self.db().exists() {
            fs::copy(self.db(), &copy).expect("copy the database");
        }
        copy
    }
}

/// The states the comparison tests run on, as Alembic command lists.
const STATES: &[(&str, &[&str])] = &[
    (
        "versioned but empty",
        &["upgrade 4f2a9c1e7b3d", "downgrade base"],
    ),
    ("first revision", &["upgrade 4f2a9c1e7b3d"]),
    ("branchpoint", &["upgrade b81d3e5f0a27"]),
    ("one branch", &["upgrade c3e7a1d9f482"]),
    ("other branch", &["upgrade d5f0b2c8e614"]),
    (
        "both branch heads",
        &["upgrade c3e7a1d9f482", "upgrade d5f0b2c8e614"],
    ),
    ("mergepoint", &["upgrade e9a4c6b1d358"]),
    ("head", &["upgrade head"]),
];

/// Alembic prints the `.py` script's absolute path; content-db its `.sql` file. Both end in
/// `<id>_<slug>.<ext>`: keep only that stem so the rest of the text can be compared exactly.
/// `Branches into:` lists Alembic's `nextrev`, a Python set whose order changes from run to run
/// (string hashing is randomized): compare its ids sorted.
fn normalize_paths(text: &str) -> String {
    text.lines()
        .map(|line| {
            if let Some(path) = line.strip_prefix("Path: ") {
                let stem = Path::new(path)
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!("Path: {stem}")
            } else if let Some(children) = line.strip_prefix("Branches into: ") {
                let mut ids: Vec<&str> = children.split(", ").collect();
                ids.sort();
                format!("Branches into: {}", ids.join(", "))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Verbose entries (each starting at a `Rev: ` line) as a sorted list: Alembic lists several
/// current revisions in the order of a Python set.
fn entries_as_set(text: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in normalize_paths(text).lines() {
        if line.starts_with("Rev: ") || entries.is_empty() {
            entries.push(String::new());
        }
        let entry = entries.last_mut().expect("an entry was started");
        entry.push_str(line.trim_end());
        entry.push('\n');
    }
    // The blank line after an entry separates it from the next; where it falls depends on order.
    let mut entries: Vec<String> = entries
        .iter()
        .map(|entry| entry.trim_end().to_string())
        .filter(|entry| !entry.is_empty())
        .collect();
    entries.sort();
    entries
}

/// Sorted non-empty lines.
fn lines_as_set(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Runs the same read-only command on two copies of the fixture; returns (ours, alembic's).
fn both(fixture: &Fixture, ours: &[&str], theirs: &[&str]) -> (Run, Run) {
    let mine = content_db_run(&fixture.copy("ours.db"), ours);
    let oracle = alembic_run(&fixture.copy("theirs.db"), theirs);
    assert_eq!(mine.code, 0, "content-db {ours:?} failed:\n{mine:#?}");
    assert_eq!(oracle.code, 0, "alembic {theirs:?} failed:\n{oracle:#?}");
    (mine, oracle)
}

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

/// Runs the same migration commands on two copies and compares step lines and version rows
/// after each command.
fn same_steps(start: &[&str], commands: &[&str]) {
    let fixture = Fixture::alembic(start);
    let ours = fixture.copy("ours.db");
    let theirs = fixture.copy("theirs.db");
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().collect();
        let mine = content_db_ok(&ours, &args);
        let oracle = alembic_run(&theirs, &args);
        assert_eq!(oracle.code, 0, "alembic {command} failed:\n{oracle:#?}");
        assert_eq!(
            mine.step_lines(),
            oracle.step_lines(),
            "steps of `{command}` after {start:?}"
        );
        // Sorted: after a merge is rolled back Alembic inserts the branch heads in the order of
        // a Python set, which changes from run to run.
        let sorted = |db: &Path| {
            let mut rows = version_rows(db);
            rows.sort();
            rows
        };
        assert_eq!(
            sorted(&ours),
            sorted(&theirs),
            "alembic_version after `{command}` from {start:?}"
        );
        assert_eq!(
            mine.stdout, "",
            "migration commands print their log on stderr only"
        );
    }
    // Alembic continues from the file content-db wrote.
    let (mine, oracle) = (
        alembic_run(&ours, &["current"]),
        alembic_run(&theirs, &["current"]),
    );
    assert_eq!((mine.code, oracle.code), (0, 0), "{mine:#?}\n{oracle:#?}");
    assert_eq!(lines_as_set(&mine.stdout), lines_as_set(&oracle.stdout));
}

#[test]
fn upgrade_and_downgrade_steps_match_alembic() {
    same_steps(
        &[],
        &[
            "upgrade head",
            "downgrade -1",
            "upgrade head",
            "downgrade base",
            "upgrade +2",
        ],
    );
    same_steps(
        &["upgrade c3e7a1d9f482"],
        &["upgrade d5f0b2c8e614", "downgrade -1", "upgrade heads"],
    );
    same_steps(
        &["upgrade head"],
        &[
            "downgrade b81d3e5f0a27",
            "upgrade e9a4",
            "downgrade d5f0b2c8e614",
        ],
    );
}

#[test]
fn stamp_steps_match_alembic() {
    same_steps(
        &["upgrade b81d3e5f0a27"],
        &[
            "stamp head",
            "stamp --purge f17b8d2e4c90",
            "stamp base",
            "stamp c3e7a1d9f482",
        ],
    );
}

#[test]
fn upgrade_and_stamp_create_a_missing_file_and_say_so() {
    for command in [&["upgrade", "head"][..], &["stamp", "head"][..]] {
        let fixture = Fixture::empty();
        let run = content_db_ok(&fixture.db(), command);
        assert!(fixture.db().exists(), "{command:?} created no file");
        assert!(
            run.stderr.contains("created a new one"),
            "{command:?}: {}",
            run.stderr
        );
        assert_eq!(version_rows(&fixture.db()), vec![HEAD.to_string()]);
        // Alembic reads it as at head.
        assert!(alembic_ok(&fixture.db(), &["current"]).contains("0a6c9e3f5b71 (head)"));
    }
}

#[test]
fn upgrade_on_a_missing_file_writes_the_same_schema_as_alembic() {
    let fixture = Fixture::empty();
    content_db_ok(&fixture.path("ours.db"), &["upgrade", "head"]);
    alembic_ok(&fixture.path("theirs.db"), &["upgrade", "head"]);
    assert_eq!(
        dump_schema(&fixture.path("ours.db")),
        dump_schema(&fixture.path("theirs.db"))
    );
}

/// Runs a command that must fail and checks exit code 1, the message, and that the file is
/// byte-identical to before.
fn fails_unchanged(db: &Path, args: &[&str], expected: &[&str]) -> Run {
    let before = fs::read(db).ok();
    let run = content_db_run(db, args);
    assert_eq!(
        run.code, 1,
        "content-db {args:?} should fail with 1:\n{run:#?}"
    );
    for text in expected {
        assert!(
            run.stderr.contains(text),
            "content-db {args:?}: {text:?} not in\n{}",
            run.stderr
        );
    }
    assert_eq!(
        fs::read(db).ok(),
        before,
        "content-db {args:?} changed the file"
    );
    run
}

#[test]
fn errors_leave_the_file_byte_identical() {
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    let db = fixture.db();
    fails_unchanged(&db, &["upgrade", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["upgrade", "+1"], &["c3e7a1d9f482", "d5f0b2c8e614"]);
    fails_unchanged(&db, &["downgrade", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["stamp", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["show", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["upgrade", "--sql", "zzzz"], &["zzzz"]);
    fails_unchanged(&db, &["init"], &["already exists", "reset"]);
    fails_unchanged(&db, &["reset"], &["--yes"]);
    let missing = fixture.path("missing.db");
    let run = content_db_run(&missing, &["upgrade", "zzzz"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(!missing.exists(), "a failed upgrade created the file");
    assert!(!run.stderr.contains("created"), "{}", run.stderr);
    let base = Fixture::alembic(&["upgrade 4f2a9c1e7b3d", "downgrade base"]);
    fails_unchanged(&base.db(), &["downgrade", "-1"], &["-1"]);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_kept() {
    let fixture = Fixture::empty();
    let db = fixture.db();
    fs::write(&db, b"this is a text file, not a database\n".repeat(200)).expect("write");
    for args in [
        &["current"][..],
        &["upgrade", "head"],
        &["stamp", "head"],
        &["check"],
        &["downgrade", "base"],
    ] {
        fails_unchanged(&db, args, &["not a SQLite database"]);
    }
}

#[test]
fn an_unknown_revision_in_the_file_is_named() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let conn = rusqlite::Connection::open(fixture.db()).expect("open");
    conn.execute(
        "UPDATE alembic_version SET version_num = 'abc123abc123'",
        [],
    )
    .expect("update");
    drop(conn);
    fails_unchanged(&fixture.db(), &["current"], &["abc123abc123"]);
    fails_unchanged(&fixture.db(), &["upgrade", "head"], &["abc123abc123"]);
    // `stamp --purge` is the way out, as in Alembic.
    content_db_ok(&fixture.db(), &["stamp", "--purge", "head"]);
    assert_eq!(version_rows(&fixture.db()), vec![HEAD.to_string()]);
}

#[test]
fn missing_files_are_reported_and_not_created() {
    let fixture = Fixture::empty();
    let db = fixture.db();
    for args in [
        &["current"][..],
        &["downgrade", "base"],
        &["check"],
        &["reset", "--yes"],
        &["show", "current"],
    ] {
        let run = content_db_run(&db, args);
        assert_eq!(run.code, 1, "{args:?}: {run:#?}");
        assert!(
            run.stderr.contains("no database at"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("content-db init"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!db.exists(), "{args:?} created the file");
    }
}

#[test]
fn usage_errors_exit_2() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let before = fs::read(fixture.db()).expect("read");
    for args in [
        &["upgrade"][..],
        &["frobnicate"],
        &["stamp", "--bogus", "head"],
    ] {
        let run = content_db_run(&fixture.db(), args);
        assert_eq!(run.code, 2, "{args:?}: {run:#?}");
    }
    assert_eq!(fs::read(fixture.db()).expect("read"), before);
}

#[test]
fn sql_prints_from_the_files_revision_and_changes_nothing() {
    let fixture = Fixture::alembic(&["upgrade e9a4c6b1d358"]);
    let db = fixture.db();
    let before = fs::read(&db).expect("read");
    let run = content_db_ok(&db, &["upgrade", "head", "--sql"]);
    assert_eq!(fs::read(&db).expect("read"), before, "--sql wrote the file");
    assert!(
        run.stdout.contains("chat_messages"),
        "f17b8d2e4c90's SQL is missing:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("posts_new"),
        "0a6c9e3f5b71's SQL is missing:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("CREATE TABLE oauth_tokens"),
        "already applied SQL is printed"
    );
    assert_eq!(run.step_lines().len(), 2, "{}", run.stderr);

    let run = content_db_ok(&db, &["downgrade", "b81d3e5f0a27", "--sql"]);
    assert_eq!(fs::read(&db).expect("read"), before, "--sql wrote the file");
    assert!(!run.stdout.trim().is_empty());
    assert_eq!(run.step_lines().len(), 3, "{}", run.stderr);

    let missing = fixture.path("missing.db");
    let run = content_db_ok(&missing, &["upgrade", "head", "--sql"]);
    assert!(!missing.exists(), "--sql created a file");
    assert!(run.stdout.contains("CREATE TABLE"), "{}", run.stdout);
}

#[test]
fn read_only_commands_never_write() {
    let fixture = Fixture::alembic(&["upgrade c3e7a1d9f482"]);
    let db = fixture.db();
    let before = fs::read(&db).expect("read");
    let modified = fs::metadata(&db).expect("meta").modified().expect("mtime");
    for args in [
        &["current"][..],
        &["current", "-v"],
        &["heads"],
        &["history", "-r", "current:"],
        &["show", "current"],
        &["check"],
        &["upgrade", "head", "--sql"],
        &["upgrade", "c3e7a1d9f482"],
    ] {
        content_db_ok(&db, args);
    }
    assert_eq!(fs::read(&db).expect("read"), before);
    assert_eq!(
        fs::metadata(&db).expect("meta").modified().expect("mtime"),
        modified
    );
}

#[cfg(unix)]
#[test]
fn a_successful_change_keeps_permissions_and_leaves_no_temp_file() {
    use std::os::unix::fs::PermissionsExt;
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    let db = fixture.db();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o640)).expect("chmod");
    content_db_ok(&db, &["upgrade", "head"]);
    let mode = fs::metadata(&db).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let names: Vec<String> = fs::read_dir(fixture.dir.path())
        .expect("list")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, vec!["db.sqlite".to_string()]);
}

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

/// Backups beside `db` named `<file>.backup-YYYYMMDD-HHMMSS`.
fn backups_of(db: &Path) -> Vec<PathBuf> {
    let name = db
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let mut found: Vec<PathBuf> = fs::read_dir(db.parent().expect("a parent"))
        .expect("list")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let file = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            file.strip_prefix(&format!("{name}.backup-"))
                .is_some_and(|stamp| {
                    stamp.len() == 15
                        && stamp.chars().enumerate().all(|(at, c)| {
                            if at == 8 {
                                c == '-'
                            } else {
                                c.is_ascii_digit()
                            }
                        })
                })
        })
        .collect();
    found.sort();
    found
}

/// A database at head with one post in it.
fn populated() -> Fixture {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let conn = rusqlite::Connection::open(fixture.db()).expect("open");
    conn.execute(
        "INSERT INTO posts (content, platform) VALUES ('hello', 'linkedin')",
        [],
    )
    .expect("insert a post");
    fixture
}

fn post_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT count(*) FROM posts", [], |row| row.get(0))
        .expect("count posts")
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
}

#[test]
fn reset_without_yes_refuses_when_it_cannot_ask() {
    let fixture = populated();
    let run = fails_unchanged(&fixture.db(), &["reset"], &["--yes", "not a terminal"]);
    assert!(backups_of(&fixture.db()).is_empty(), "{run:#?}");
}

/// Runs `content-db --db DB reset` on a pseudo-terminal (util-linux `script`), typing `answer`.
fn reset_on_terminal(db: &Path, answer: &str) -> Run {
    use std::io::Write;
    let command = format!(
        "{} --db '{}' reset",
        env!("CARGO_BIN_EXE_content-db"),
        db.display()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the prompt test on a pseudo-terminal");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(answer.as_bytes())
        .expect("type the answer");
    let out = child.wait_with_output().expect("wait for script");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
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

/// The `-- key: value` header of a migration file.
fn header(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("-- {key}:")))
        .unwrap_or_else(|| panic!("no `-- {key}:` line in\n{text}"))
        .trim()
        .to_string()
}

/// The path printed as `Generating <path> ...  done`.
fn generated_path(run: &Run) -> PathBuf {
    let line = run
        .stdout
        .lines()
        .find(|line| line.starts_with("Generating "))
        .unwrap_or_else(|| panic!("no Generating line: {run:#?}"));
    let path = line
        .strip_prefix("Generating ")
        .and_then(|rest| rest.strip_suffix(" ...  done"))
        .unwrap_or_else(|| panic!("not Alembic's format: {line:?}"));
    PathBuf::from(path)
}

#[test]
fn create_writes_a_migration_that_upgrade_applies() {
    let fixture = Fixture::empty();
    let migrations = fixture.path("migrations");
    copy_migrations(&migrations);
    let dir_arg = migrations.display().to_string();
    let db = fixture.db();
    content_db_ok(&db, &["init"]);

    let run = content_db_ok(&db, &["--migrations", &dir_arg, "create", "Add post tags!"]);
    let path = generated_path(&run);
    assert!(path.is_absolute(), "{path:?}");
    assert_eq!(path.parent(), Some(migrations.as_path()));
    let name = path
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    let id = header(&fs::read_to_string(&path).expect("read"), "revision");
    assert_eq!(name, format!("{id}_add_post_tags.sql"));
    assert!(
        id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(header(&text, "down_revision"), HEAD);
    assert_eq!(header(&text, "message"), "Add post tags!");
    let date = header(&text, "create_date");
    assert!(
        chrono::NaiveDateTime::parse_from_str(&date, "%Y-%m-%d %H:%M:%S%.6f").is_ok()
            && date.len() == 26,
        "create_date {date:?} is not Alembic's format"
    );
    assert!(text.contains("-- migrate:up") && text.contains("-- migrate:down"));

    // It parses back: it is the new head.
    let heads = content_db_ok(&db, &["--migrations", &dir_arg, "heads"]);
    assert_eq!(heads.stdout, format!("{id} (head)\n"));

    // Give it SQL and apply it from the directory.
    let filled = text
        .replace(
            "-- migrate:up\n",
            "-- migrate:up\nCREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n",
        )
        .replace("-- migrate:down\n", "-- migrate:down\nDROP TABLE tags;\n");
    fs::write(&path, filled).expect("write SQL into the migration");
    let run = content_db_ok(&db, &["--migrations", &dir_arg, "upgrade", "head"]);
    assert_eq!(
        run.step_lines(),
        vec![format!(
            "INFO  [alembic.runtime.migration] Running upgrade {HEAD} -> {id}, Add post tags!"
        )]
    );
    assert_eq!(version_rows(&db), vec![id.clone()]);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let tags: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'tags'",
            [],
            |row| row.get(0),
        )
        .expect("query");
    assert_eq!(tags, 1, "the new migration's table exists");
    drop(conn);
    content_db_ok(&db, &["--migrations", &dir_arg, "downgrade", "-1"]);
    assert_eq!(version_rows(&db), vec![HEAD.to_string()]);
}

#[test]
fn create_without_a_migrations_directory_says_what_to_do() {
    let fixture = Fixture::empty();
    let missing = fixture.path("nowhere");
    let run = content_db_run(
        &fixture.db(),
        &[
            "--migrations",
            &missing.display().to_string(),
            "create",
            "x",
        ],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("--migrations DIR"), "{}", run.stderr);
    assert!(!missing.exists());
}

#[test]
fn merge_joins_the_heads_and_refuses_a_single_head() {
    let fixture = Fixture::empty();
    let migrations = fixture.path("migrations");
    copy_migrations(&migrations);
    let dir_arg = migrations.display().to_string();
    let db = fixture.db();

    // One head: nothing to merge, nothing written.
    let count = fs::read_dir(&migrations).expect("list").count();
    let run = content_db_run(
        &db,
        &["--migrations", &dir_arg, "merge", "heads", "-m", "join"],
    );
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(run.stderr.contains("single head"), "{}", run.stderr);
    assert_eq!(fs::read_dir(&migrations).expect("list").count(), count);

    // Remove the merge and what follows it: two heads again.
    for entry in fs::read_dir(&migrations).expect("list") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if ["e9a4c6b1d358", "f17b8d2e4c90", HEAD]
            .iter()
            .any(|id| name.starts_with(id))
        {
            fs::remove_file(path).expect("remove");
        }
    }
    let run = content_db_run(&db, &["--migrations", &dir_arg, "create", "on top"]);
    assert_eq!(run.code, 1, "create with two heads must refuse: {run:#?}");
    assert!(run.stderr.contains("merge heads"), "{}", run.stderr);

    let run = content_db_ok(
        &db,
        &[
            "--migrations",
            &dir_arg,
            "merge",
            "heads",
            "-m",
            "join the branches",
        ],
    );
    let path = generated_path(&run);
    let text = fs::read_to_string(&path).expect("read");
    let id = header(&text, "revision");
    let mut down: Vec<String> = header(&text, "down_revision")
        .split(", ")
        .map(str::to_string)
        .collect();
    down.sort();
    assert_eq!(down, vec!["c3e7a1d9f482", "d5f0b2c8e614"]);
    assert!(path
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .ends_with("_join_the_branches.sql"));
    assert_eq!(
        content_db_ok(&db, &["--migrations", &dir_arg, "heads"]).stdout,
        format!("{id} (head)\n")
    );
    let run = content_db_ok(&db, &["--migrations", &dir_arg, "upgrade", "head"]);
    assert_eq!(run.step_lines().len(), 5, "{}", run.stderr);
    assert_eq!(version_rows(&db), vec![id]);
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

#[test]
fn a_wal_mode_file_migrates_but_not_with_pending_wal_content() {
    let fixture = Fixture::alembic(&["upgrade b81d3e5f0a27"]);
    let db = fixture.db();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
        .expect("switch to WAL");
    assert_eq!(mode, "wal");
    drop(conn); // the last connection checkpoints and removes the -wal file

    let wal = fixture.path("db.sqlite-wal");
    fs::write(&wal, b"not yet checkpointed").expect("write a -wal file");
    fails_unchanged(
        &db,
        &["upgrade", "head"],
        &["db.sqlite-wal", "wal_checkpoint"],
    );
    fails_unchanged(&db, &["reset", "--yes"], &["db.sqlite-wal"]);
    assert!(backups_of(&db).is_empty());

    fs::remove_file(&wal).expect("remove the -wal file");
    content_db_ok(&db, &["upgrade", "head"]);
    assert_eq!(version_rows(&db), vec![HEAD.to_string()]);
    assert!(alembic_ok(&db, &["current"]).contains("0a6c9e3f5b71 (head)"));
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
