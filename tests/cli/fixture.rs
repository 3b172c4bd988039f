//! Shared fixtures of the CLI tests: scratch databases made by real Alembic, running both tools
//! on copies, and normalizing the parts of Alembic's output that legitimately differ.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

pub const HEAD: &str = "0a6c9e3f5b71";

/// A scratch directory with a database built by real Alembic running `commands` in turn.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// An empty scratch directory.
    pub fn empty() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// `db.sqlite` made by running each Alembic command line (e.g. `"upgrade c3e7a1d9f482"`).
    pub fn alembic(commands: &[&str]) -> Fixture {
        let fixture = Fixture::empty();
        for command in commands {
            let args: Vec<&str> = command.split_whitespace().collect();
            alembic_ok(&fixture.db(), &args);
        }
        fixture
    }

    /// The fixture's database path.
    pub fn db(&self) -> PathBuf {
        self.path("db.sqlite")
    }

    /// A path inside the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A copy of the database under another name, for the other tool (no copy when there is no
    /// database yet: both tools then start from a missing file).
    pub fn copy(&self, name: &str) -> PathBuf {
        let copy = self.path(name);
        if self.db().exists() {
            fs::copy(self.db(), &copy).expect("copy the database");
        }
        copy
    }
}

/// The states the comparison tests run on, as Alembic command lists.
pub const STATES: &[(&str, &[&str])] = &[
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
pub fn normalize_paths(text: &str) -> String {
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
pub fn entries_as_set(text: &str) -> Vec<String> {
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
pub fn lines_as_set(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Runs the same read-only command on two copies of the fixture; returns (ours, alembic's).
pub fn both(fixture: &Fixture, ours: &[&str], theirs: &[&str]) -> (Run, Run) {
    let mine = content_db_run(&fixture.copy("ours.db"), ours);
    let oracle = alembic_run(&fixture.copy("theirs.db"), theirs);
    assert_eq!(mine.code, 0, "content-db {ours:?} failed:\n{mine:#?}");
    assert_eq!(oracle.code, 0, "alembic {theirs:?} failed:\n{oracle:#?}");
    (mine, oracle)
}

/// Runs a command that must fail and checks exit code 1, the message, and that the file is
/// byte-identical to before.
pub fn fails_unchanged(db: &Path, args: &[&str], expected: &[&str]) -> Run {
    let before = fs::read(db).ok();
    let folder = folder_of(db);
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
    assert_eq!(
        folder_of(db),
        folder,
        "content-db {args:?} left files behind"
    );
    run
}

/// Backups beside `db` named `<file>.backup-YYYYMMDD-HHMMSS`.
pub fn backups_of(db: &Path) -> Vec<PathBuf> {
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
pub fn populated() -> Fixture {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let conn = rusqlite::Connection::open(fixture.db()).expect("open");
    conn.execute(
        "INSERT INTO posts (content, platform) VALUES ('hello', 'linkedin')",
        [],
    )
    .expect("insert a post");
    fixture
}

pub fn post_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT count(*) FROM posts", [], |row| row.get(0))
        .expect("count posts")
}

/// Runs `content-db --db DB reset` on a pseudo-terminal (util-linux `script`), typing `answer`.
pub fn reset_on_terminal(db: &Path, answer: &str) -> Run {
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

/// The `-- key: value` header of a migration file.
pub fn header(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("-- {key}:")))
        .unwrap_or_else(|| panic!("no `-- {key}:` line in\n{text}"))
        .trim()
        .to_string()
}

/// The path printed as `Generating <path> ...  done`.
pub fn generated_path(run: &Run) -> PathBuf {
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
