//! `content-db import-alembic` against real Alembic: ContentEngine's history imported and
//! compared with `migrations/`; an eighth revision (new table, batch rename, data UPDATE,
//! bulk_insert of awkward rows) imported and migrated by both tools; randomized Alembic projects
//! with batch operations, branches and merges (`CONTENT_DB_SEED=N` reruns one); a revision that
//! reads rows refused by name; `--check` on a file edited by hand; bad input.

#![cfg(not(target_arch = "wasm32"))] // runs Python: native only

mod common;
#[path = "import_alembic/random_project.rs"]
mod random_project;

use common::{content_db, crate_dir, dump_schema, python, require_venv, Run};
use content_db::{Database, History};
use rusqlite::types::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `content-db ARGS...` and returns what it printed.
fn content_db_args(args: &[&str]) -> Run {
    let out = content_db()
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run content-db");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `content-db import-alembic PROJECT --out OUT --python <venv> [extra]`.
fn import(project: &Path, out: &Path, extra: &[&str]) -> Run {
    require_venv();
    let python = python();
    let mut args = vec![
        "import-alembic",
        project.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--python",
        python.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    content_db_args(&args)
}

/// `(name, text)` of every `.sql` file in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("read the folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read_to_string(&path).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// A copy of ContentEngine's Alembic project (alembic.ini, alembic/, models.py, dump_schema.py).
fn contentengine_copy(root: &Path) -> PathBuf {
    let project = root.join("contentengine");
    copy_tree(&common::contentengine_dir(), &project);
    project
}

/// [`contentengine_copy`] with one more revision script, `versions/NAME` holding `text`.
fn contentengine_with(root: &Path, name: &str, text: &str) -> PathBuf {
    let project = contentengine_copy(root);
    std::fs::write(project.join("alembic/versions").join(name), text).expect("write the revision");
    project
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name");
        if name == "__pycache__" || name == "reference" {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(name));
        } else {
            std::fs::copy(&path, to.join(name)).expect("copy");
        }
    }
}

/// Runs Alembic in-process on `project` against `db`, both ways env.py files read the URL.
fn alembic(project: &Path, db: &Path, command: &str, target: &str) {
    let script = format!(
        "from alembic.config import Config\nfrom alembic import command\nfrom argparse import Namespace\n\
         c = Config({ini:?}, cmd_opts=Namespace(x=['db=' + {db:?}]))\n\
         c.set_main_option('sqlalchemy.url', 'sqlite:///' + {db:?})\n\
         command.{command}(c, {target:?})\n",
        ini = project.join("alembic.ini").display().to_string(),
        db = db.display().to_string(),
    );
    let out = Command::new(python())
        .arg("-c")
        .arg(&script)
        .current_dir(project)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("DATABASE_URL", format!("sqlite:///{}", db.display()))
        .output()
        .expect("run alembic");
    assert!(
        out.status.success(),
        "alembic {command} {target} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// content-db with the imported files: `--migrations DIR --db DB COMMAND TARGET`.
fn ours(migrations: &Path, db: &Path, command: &str, target: &str) {
    let run = content_db_args(&[
        "--migrations",
        migrations.to_str().expect("utf-8"),
        "--db",
        db.to_str().expect("utf-8"),
        command,
        target,
    ]);
    assert_eq!(run.code, 0, "content-db {command} {target}: {run:#?}");
}

/// Every table's rows in rowid order, values with their storage class.
fn rows(db: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    rows_of(&rusqlite::Connection::open(db).expect("open"))
}

fn rows_of(conn: &rusqlite::Connection) -> Vec<(String, Vec<Vec<Value>>)> {
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("names");
    tables.retain(|name| !name.starts_with("sqlite_"));
    tables
        .into_iter()
        .map(|table| {
            let mut statement = conn
                .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
                .expect("select");
            let width = statement.column_count();
            let values = statement
                .query_map([], |row| {
                    (0..width).map(|at| row.get::<_, Value>(at)).collect()
                })
                .expect("rows")
                .collect::<Result<Vec<Vec<Value>>, _>>()
                .expect("values");
            (table, values)
        })
        .collect()
}

/// Both files hold the same schema and the same rows.
fn assert_same(ours: &Path, alembics: &Path, context: &str) {
    assert_eq!(
        dump_schema(ours),
        dump_schema(alembics),
        "schema differs {context}"
    );
    assert_eq!(rows(ours), rows(alembics), "rows differ {context}");
}

#[test]
fn contentengine_imports_to_exactly_the_files_in_migrations() {
    let temp = tempfile::tempdir().expect("temp");
    let out = temp.path().join("imported");
    let run = import(&common::contentengine_dir(), &out, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.starts_with("Imported 7 revisions"),
        "{}",
        run.stdout
    );
    assert_eq!(files_in(&out), files_in(&crate_dir().join("migrations")));
    // The embedded history is ContentEngine's seven revisions with head 0a6c9e3f5b71.
    let history = History::embedded().expect("embedded history");
    assert_eq!(history.revisions().len(), 7);
    let heads: Vec<&str> = history.heads().iter().map(|rev| rev.id.as_str()).collect();
    assert_eq!(heads, vec!["0a6c9e3f5b71"]);
    // CI's guard: the repository's migrations agree with Alembic.
    let check = import(
        &common::contentengine_dir(),
        &crate_dir().join("migrations"),
        &["--check"],
    );
    assert_eq!(check.code, 0, "{check:#?}");
    assert!(
        check
            .stdout
            .contains("agrees with the Alembic history (7 revisions"),
        "{}",
        check.stdout
    );
}

/// The hand-written twins `migrations/` held before they were imported (commit 410e0da).
fn handwritten_history() -> History {
    let dir = crate_dir().join("tests/import_alembic/handwritten");
    let files = files_in(&dir);
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    History::from_files(&pairs).expect("the hand-written history parses")
}

/// Rows that exercise ContentEngine's data migrations, added after `revision` is applied (every
/// time given: a CURRENT_TIMESTAMP default could differ between the two databases).
fn seed_after(revision: &str) -> &'static str {
    match revision {
        "4f2a9c1e7b3d" => "INSERT INTO posts (id, content, platform, status, external_id, error_message, created_at, updated_at) VALUES
              (1, 'Démo — 日本語', 'linkedin', 'draft', 'demo-1', NULL, '2025-01-07 10:00:00', '2025-01-07 10:00:00'),
              (2, 'it''s posted', 'x', 'posted', 'urn:1', '', '2025-01-07 10:00:00', '2025-01-07 10:00:01'),
              (3, 'failed', 'x', 'failed', 'DEMO-3', 'HTTP 429', '2025-01-07 10:00:00', '2025-01-07 10:00:02');
            INSERT INTO oauth_tokens (id, platform, access_token, created_at, updated_at) VALUES
              (1, 'linkedin', 'tok', '2025-01-07 10:00:00', '2025-01-07 10:00:00');",
        "b81d3e5f0a27" => "INSERT INTO users (id, linkedin_sub, created_at) VALUES (1, 'sub-1', '2025-02-12 08:00:00');
            INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ('s1', 1, '2025-02-12 08:00:00', '2025-03-01 00:00:00');",
        "c3e7a1d9f482" => "UPDATE posts SET user_id = 1 WHERE id = 1;",
        "f17b8d2e4c90" => "INSERT INTO chat_messages (id, user_id, role, content, created_at) VALUES (1, 1, 'user', 'hi\nthere', '2025-04-18 10:00:00');",
        "0a6c9e3f5b71" => "UPDATE posts SET status = 'scheduled' WHERE id = 2;",
        _ => "",
    }
}

#[test]
fn the_imported_files_do_what_the_hand_written_twins_did() {
    let imported = History::embedded().expect("the imported history (migrations/)");
    let hand = handwritten_history();
    for theirs in hand.revisions() {
        let ours = imported.get(&theirs.id).expect("the same revisions");
        assert_eq!(
            (
                &ours.down_revisions,
                &ours.message,
                &ours.create_date,
                &ours.description
            ),
            (
                &theirs.down_revisions,
                &theirs.message,
                &theirs.create_date,
                &theirs.description
            ),
            "header of {}",
            theirs.id
        );
        assert_eq!(
            Database::expected_schema_at(imported, std::slice::from_ref(&theirs.id)).expect("ours"),
            Database::expected_schema_at(&hand, std::slice::from_ref(&theirs.id)).expect("theirs"),
            "schema at {}",
            theirs.id
        );
    }
    assert_eq!(imported.revisions().len(), hand.revisions().len());
    // A populated database taken up step by step, then down to base, by both histories alike.
    let mut ours = Database::new_empty().expect("new");
    let mut theirs = Database::new_empty().expect("new");
    let up = imported.plan_upgrade(&[], "head").expect("plan");
    for step in &up.steps {
        let single = content_db::Plan {
            steps: vec![step.clone()],
            versions_before: vec![],
            versions_after: vec![],
        };
        ours.apply(imported, &single, |_| {}).expect("ours up");
        theirs.apply(&hand, &single, |_| {}).expect("theirs up");
        let seed = seed_after(&step.revision);
        ours.execute_script(seed).expect("seed ours");
        theirs.execute_script(seed).expect("seed theirs");
        assert_eq!(
            rows_of(ours.connection()),
            rows_of(theirs.connection()),
            "after upgrade {}",
            step.revision
        );
    }
    let down = imported
        .plan_downgrade(&ours.current_versions().expect("rows"), "base")
        .expect("plan");
    for step in &down.steps {
        let single = content_db::Plan {
            steps: vec![step.clone()],
            versions_before: vec![],
            versions_after: vec![],
        };
        ours.apply(imported, &single, |_| {}).expect("ours down");
        theirs.apply(&hand, &single, |_| {}).expect("theirs down");
        assert_eq!(
            rows_of(ours.connection()),
            rows_of(theirs.connection()),
            "after downgrade {}",
            step.revision
        );
        assert_eq!(
            ours.schema().expect("schema"),
            theirs.schema().expect("schema"),
            "after downgrade {}",
            step.revision
        );
    }
}

const EIGHTH: &str = r#""""add tags and rename error message

Revision ID: 8e1f2a3b4c5d
Revises: 0a6c9e3f5b71
Create Date: 2025-06-01 12:00:00.000001

Tags are seeded with awkward text; posts.error_message becomes last_error.
"""
import datetime

from alembic import op
import sqlalchemy as sa

revision = "8e1f2a3b4c5d"
down_revision = "0a6c9e3f5b71"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Upgrade schema."""
    tags = op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, unique=True),
        sa.Column("note", sa.Text()),
        sa.Column("created_on", sa.Date()),
        sa.Column("created_at", sa.DateTime()),
        sa.Column("weight", sa.Float()),
        sa.Column("icon", sa.LargeBinary()),
        sa.Column("active", sa.Boolean(), server_default=sa.text("1"), nullable=False),
    )
    with op.batch_alter_table("posts") as batch_op:
        batch_op.alter_column("error_message", new_column_name="last_error")
    op.execute("UPDATE posts SET status = 'draft' WHERE status = 'failed' AND last_error IS NULL")
    op.bulk_insert(
        tags,
        [
            {"id": 1, "name": "it's", "note": "line1\nline2\r\nline3 \"q\" -- no comment; /* nor */ ?",
             "created_on": datetime.date(2025, 6, 1),
             "created_at": datetime.datetime(2025, 6, 1, 12, 30, 45, 123456),
             "weight": 0.1, "icon": b"\x00\xff\x10", "active": True},
            {"id": 2, "name": "日本語 🚀 Ünïcödé", "note": None, "created_on": None,
             "created_at": datetime.datetime(1999, 12, 31, 23, 59, 59),
             "weight": 1e-300, "icon": None, "active": False},
            {"id": 3, "name": "?:name @x $y", "note": "\x00nul\ttab", "created_on": datetime.date(1, 1, 1),
             "created_at": None, "weight": 12345678901234.5, "icon": b"", "active": True},
            {"id": 4, "name": "-- migrate:down", "note": "\n-- migrate:up\n", "created_on": None,
             "created_at": None, "weight": None, "icon": None, "active": True},
        ],
    )


def downgrade() -> None:
    """Downgrade schema.

    Loses data: every tag.
    """
    with op.batch_alter_table("posts") as batch_op:
        batch_op.alter_column("last_error", new_column_name="error_message")
    op.drop_table("tags")
"#;

const SEED_AT_0A6C: &str = "INSERT INTO users (id, linkedin_sub, email, created_at) VALUES
       (1, 'sub-1', 'ana@example.com', '2025-02-12 08:00:00');
     INSERT INTO posts (id, content, platform, status, user_id, error_message, external_id) VALUES
       (1, 'failed, no reason', 'linkedin', 'failed', 1, NULL, NULL),
       (2, 'failed with reason', 'x', 'failed', NULL, 'HTTP 429', 'demo-2'),
       (3, 'Démo — 日本語 ✓', 'linkedin', 'scheduled', 1, NULL, NULL);";

#[test]
fn an_eighth_revision_imports_and_migrates_like_alembic() {
    let temp = tempfile::tempdir().expect("temp");
    let project = contentengine_with(
        temp.path(),
        "8e1f2a3b4c5d_add_tags_and_rename_error_message.py",
        EIGHTH,
    );
    let out = temp.path().join("migrations");
    let run = import(&project, &out, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    let files = files_in(&out);
    assert_eq!(files.len(), 8);
    // The seven others are exactly the repository's.
    let theirs = files_in(&crate_dir().join("migrations"));
    assert!(theirs.iter().all(|file| files.contains(file)));
    let eighth = &files
        .iter()
        .find(|(name, _)| name == "8e1f2a3b4c5d_add_tags_and_rename_error_message.sql")
        .expect("the eighth file")
        .1;
    assert!(
        eighth.contains("-- down_revision: 0a6c9e3f5b71\n"),
        "{eighth}"
    );
    assert!(
        eighth.contains("CAST(X'6c696e65310a6c696e65320d0a"),
        "{eighth}"
    );
    assert!(
        eighth.contains("'2025-06-01 12:30:45.123456'") && eighth.contains("'2025-06-01'"),
        "{eighth}"
    );
    assert!(
        eighth.contains("X'00ff10'") && eighth.contains("1e-300"),
        "{eighth}"
    );
    assert!(eighth.contains("-- Loses data: every tag."), "{eighth}");
    // Both tools take a populated database up and down the new revision alike.
    let base = temp.path().join("seeded.db");
    alembic(&project, &base, "upgrade", "0a6c9e3f5b71");
    rusqlite::Connection::open(&base)
        .expect("open")
        .execute_batch(SEED_AT_0A6C)
        .expect("seed");
    let (mine, alembics) = (temp.path().join("ours.db"), temp.path().join("alembic.db"));
    std::fs::copy(&base, &mine).expect("copy");
    std::fs::copy(&base, &alembics).expect("copy");
    ours(&out, &mine, "upgrade", "head");
    alembic(&project, &alembics, "upgrade", "head");
    assert_same(&mine, &alembics, "after upgrade head");
    let tags = rows(&mine)
        .into_iter()
        .find(|(name, _)| name == "tags")
        .expect("tags")
        .1;
    assert_eq!(tags.len(), 4);
    assert_eq!(
        tags[2][3],
        Value::Text("0001-01-01".into()),
        "dates as SQLAlchemy stores them"
    );
    ours(&out, &mine, "downgrade", "-1");
    alembic(&project, &alembics, "downgrade", "-1");
    assert_same(&mine, &alembics, "after downgrade -1");
    ours(&out, &mine, "downgrade", "base");
    alembic(&project, &alembics, "downgrade", "base");
    assert_same(&mine, &alembics, "after downgrade base");
}

const READS_ROWS: &str = r#""""mark long posts

Revision ID: 9d0e1f2a3b4c
Revises: 0a6c9e3f5b71
Create Date: 2025-06-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = "9d0e1f2a3b4c"
down_revision = "0a6c9e3f5b71"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, content FROM posts")).fetchall()
    for post_id, content in rows:
        if len(content) > 280:
            bind.execute(sa.text("UPDATE posts SET status = 'draft' WHERE id = :id"), {"id": post_id})


def downgrade():
    pass
"#;

#[test]
fn a_revision_that_reads_rows_is_refused_by_name_until_its_file_is_hand_written() {
    let temp = tempfile::tempdir().expect("temp");
    let project = contentengine_with(temp.path(), "9d0e1f2a3b4c_mark_long_posts.py", READS_ROWS);
    let out = temp.path().join("migrations");
    let run = import(&project, &out, &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains(
            "FAILED: revision 9d0e1f2a3b4c (versions/9d0e1f2a3b4c_mark_long_posts.py) reads rows in \
             its upgrade (`SELECT id, content FROM posts`)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Write 9d0e1f2a3b4c_mark_long_posts.sql by hand"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written");
    // A hand-written file stands in for it; it is kept and checked for its schema only.
    std::fs::create_dir(&out).expect("create");
    let mine = "-- revision: 9d0e1f2a3b4c\n-- down_revision: 0a6c9e3f5b71\n-- message: mark long posts\n\
                -- create_date: 2025-06-02 09:00:00.000000\n-- hand-written: decides per row in Python\n\n\
                -- migrate:up\nUPDATE posts SET status = 'draft' WHERE length(content) > 280;\n\n-- migrate:down\n";
    let path = out.join("9d0e1f2a3b4c_mark_long_posts.sql");
    std::fs::write(&path, mine).expect("write");
    let run = import(&project, &out, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("kept"), "{}", run.stdout);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), mine);
    assert_eq!(files_in(&out).len(), 8);
    // A hand-written file that changes the schema differently is refused.
    std::fs::write(
        &path,
        mine.replace("-- migrate:down", "CREATE TABLE oops (a);\n-- migrate:down"),
    )
    .expect("write");
    let run = import(&project, &out, &["--check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains("after the upgrade of 9d0e1f2a3b4c")
            && run.stderr.contains("extra table oops")
            && run
                .stderr
                .contains("9d0e1f2a3b4c_mark_long_posts.sql is hand-written"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_names_a_file_edited_by_hand_and_writes_nothing() {
    let temp = tempfile::tempdir().expect("temp");
    let out = temp.path().join("migrations");
    common::copy_migrations(&out);
    let edited = out.join("f17b8d2e4c90_add_chat_messages.sql");
    let text = std::fs::read_to_string(&edited).expect("read");
    let changed = text.replace("role VARCHAR(20) NOT NULL", "role VARCHAR(30) NOT NULL");
    assert_ne!(changed, text);
    std::fs::write(&edited, &changed).expect("edit");
    std::fs::write(out.join("notes.sql"), "not a migration").expect("stray");
    let run = import(&common::contentengine_dir(), &out, &["--check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(
        lines[0]
            .ends_with("f17b8d2e4c90_add_chat_messages.sql differs from what Alembic executes now"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("notes.sql does not parse"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("differs from the Alembic history: run `content-db import-alembic"),
        "{}",
        lines[2]
    );
    assert_eq!(
        std::fs::read_to_string(&edited).expect("read"),
        changed,
        "--check writes nothing"
    );
    // Importing puts the file back and leaves the stray one alone.
    let run = import(&common::contentengine_dir(), &out, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains("rewrote") && run.stdout.contains("left"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read_to_string(&edited).expect("read"), text);
}

/// Replaces `from` by `to` in the file at `path`, which must hold it.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(
        text.contains(from),
        "{} does not hold {from:?}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).expect("write");
}

/// Runs the import on a project made by `change` from ContentEngine's copy and returns stderr.
fn refused(change: impl FnOnce(&Path), python: Option<&Path>) -> String {
    let temp = tempfile::tempdir().expect("temp");
    let project = contentengine_copy(temp.path());
    change(&project);
    let out = temp.path().join("migrations");
    let run = match python {
        Some(python) => content_db_args(&[
            "import-alembic",
            project.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "--python",
            python.to_str().expect("utf-8"),
        ]),
        None => import(&project, &out, &[]),
    };
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(!out.exists(), "nothing written: {run:#?}");
    run.stderr
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let no_ini = refused(
        |project| std::fs::remove_file(project.join("alembic.ini")).expect("rm"),
        None,
    );
    assert!(
        no_ini.contains("is not an Alembic project: it has no alembic.ini"),
        "{no_ini}"
    );
    let no_env = refused(
        |project| std::fs::remove_file(project.join("alembic/env.py")).expect("rm"),
        None,
    );
    assert!(
        no_env.contains("does not lead to an Alembic environment: there is no env.py in"),
        "{no_env}"
    );
    let env_fails = refused(
        |project| {
            edit(
                &project.join("alembic/env.py"),
                "from models import Base",
                "from modelz import Base",
            )
        },
        None,
    );
    assert!(
        env_fails.contains("failed: ModuleNotFoundError: No module named 'modelz'"),
        "{env_fails}"
    );
    let unknown_down = refused(
        |project| {
            edit(
                &project.join("alembic/versions/f17b8d2e4c90_add_chat_messages.py"),
                "down_revision: Union[str, Sequence[str], None] = \"e9a4c6b1d358\"",
                "down_revision = \"deadbeef0000\"",
            )
        },
        None,
    );
    assert!(
        unknown_down.contains("Alembic refuses the project's history"),
        "{unknown_down}"
    );
    assert!(unknown_down.contains("deadbeef0000"), "{unknown_down}");
    let elsewhere = refused(
        |project| {
            edit(
                &project.join("alembic/env.py"),
                "engine = create_engine(database_url()",
                "engine = create_engine(\"sqlite:////tmp/the-real-content.db\"",
            )
        },
        None,
    );
    assert!(
        elsewhere.contains(
            "env.py connected to sqlite:////tmp/the-real-content.db, not to the scratch database"
        ),
        "{elsewhere}"
    );
    assert!(
        !Path::new("/tmp/the-real-content.db").exists(),
        "never connected"
    );
    // A Python without Alembic: the system's, with its site-packages turned off.
    let temp = tempfile::tempdir().expect("temp");
    let bare = temp.path().join("python-without-alembic");
    std::fs::write(&bare, "#!/bin/sh\nexec python3 -S \"$@\"\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bare, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let no_alembic = refused(|_| {}, Some(&bare));
    assert!(
        no_alembic.contains("cannot import Alembic (No module named 'alembic')"),
        "{no_alembic}"
    );
    let missing = refused(|_| {}, Some(Path::new("/nonexistent/python")));
    assert!(
        missing.contains("could not run /nonexistent/python"),
        "{missing}"
    );
}

#[test]
fn randomized_alembic_projects_import_and_migrate_like_alembic() {
    let seeds: Vec<u64> = match std::env::var("CONTENT_DB_SEED") {
        Ok(seed) => vec![seed.parse().expect("CONTENT_DB_SEED is a number")],
        Err(_) => vec![1, 2, 3],
    };
    for seed in seeds {
        let temp = tempfile::tempdir().expect("temp");
        let project = random_project::write(temp.path(), seed);
        let out = temp.path().join("migrations");
        let run = import(&project, &out, &[]);
        assert_eq!(
            run.code, 0,
            "seed {seed} (rerun with CONTENT_DB_SEED={seed}): {run:#?}"
        );
        let (mine, alembics) = (temp.path().join("ours.db"), temp.path().join("alembic.db"));
        ours(&out, &mine, "upgrade", "heads");
        alembic(&project, &alembics, "upgrade", "heads");
        assert_same(
            &mine,
            &alembics,
            &format!("after upgrade heads, CONTENT_DB_SEED={seed}"),
        );
        ours(&out, &mine, "downgrade", "base");
        alembic(&project, &alembics, "downgrade", "base");
        assert_same(
            &mine,
            &alembics,
            &format!("after downgrade base, CONTENT_DB_SEED={seed}"),
        );
        let check = import(&project, &out, &["--check"]);
        assert_eq!(check.code, 0, "seed {seed}: {check:#?}");
    }
}

/// The small project of `tests/import_alembic/dotted/`: dotted ids, an empty base revision, a
/// table the application makes itself (`base.sql`), and a downgrade that raises.
fn dotted_project() -> PathBuf {
    crate_dir().join("tests/import_alembic/dotted")
}

#[test]
fn dotted_ids_an_empty_base_an_app_made_table_and_a_raising_downgrade_import() {
    let temp = tempfile::tempdir().expect("temp");
    let project = dotted_project();
    let base_sql = project.join("base.sql");
    let out = temp.path().join("migrations");
    // Without the application's own tables, Alembic itself fails on the first real revision.
    let run = import(&project, &out, &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr
            .contains("the upgrade of revision v1.1.0.a (or env.py while running it) failed")
            && run.stderr.contains("no such table: accounts"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written");
    let broken = temp.path().join("broken.sql");
    std::fs::write(&broken, "CREATE TABLE accounts (id INTEGER PRIMARY KEY,);").expect("write");
    let with_base = |sql: &Path, extra: &[&str]| {
        let mut args = vec!["--base-schema", sql.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        import(&project, &out, &args)
    };
    let run = with_base(&broken, &[]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains(
            "FAILED: the --base-schema SQL fails on a new SQLite database: near \")\": syntax error"
        ),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written");
    let run = with_base(&base_sql, &[]);
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains(
            "  irreversible / v1.2.0.a_drop_pinned.sql (its downgrade raises in Alembic: \
             NotImplementedError: which notes were pinned is lost); content-db refuses to \
             downgrade past it"
                .replace("/ ", &format!("{}/", out.display()))
                .as_str()
        ),
        "{}",
        run.stdout
    );
    let files = files_in(&out);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "v1.0.0.a_baseline.sql",
            "v1.1.0.a_add_notes_and_account_email.sql",
            "v1.2.0.a_drop_pinned.sql",
            "v1.3.0.a_index_notes_by_account.sql"
        ]
    );
    let history = History::from_files(
        &files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect::<Vec<_>>(),
    )
    .expect("the files form a history");
    let base = history.get("v1.0.0.a").expect("the exact id");
    assert_eq!(
        (
            base.upgrade_sql.lines().count(),
            base.downgrade_sql.as_str()
        ),
        (1, "")
    );
    assert_eq!(
        history.get("v1.2.0.a").expect("id").irreversible(),
        Some("its downgrade raises in Alembic (NotImplementedError: which notes were pinned is lost)")
    );
    // Both tools take a database the application made up to the head and back as far as the
    // history allows; content-db refuses by name to go below the irreversible revision.
    let made = temp.path().join("made.db");
    rusqlite::Connection::open(&made)
        .expect("open")
        .execute_batch(&std::fs::read_to_string(&base_sql).expect("read"))
        .expect("the application's tables");
    rusqlite::Connection::open(&made)
        .expect("open")
        .execute_batch("INSERT INTO accounts (id, name) VALUES (1, 'Ana'), (2, 'O''Brien');")
        .expect("rows");
    let (mine, alembics) = (temp.path().join("ours.db"), temp.path().join("alembic.db"));
    std::fs::copy(&made, &mine).expect("copy");
    std::fs::copy(&made, &alembics).expect("copy");
    ours(&out, &mine, "upgrade", "heads");
    alembic(&project, &alembics, "upgrade", "heads");
    assert_same(&mine, &alembics, "after upgrade heads");
    ours(&out, &mine, "downgrade", "v1.2.0.a");
    alembic(&project, &alembics, "downgrade", "v1.2.0.a");
    assert_same(&mine, &alembics, "after downgrade v1.2.0.a");
    let before = std::fs::read(&mine).expect("read");
    let run = content_db_args(&[
        "--migrations",
        out.to_str().expect("utf-8"),
        "--db",
        mine.to_str().expect("utf-8"),
        "downgrade",
        "base",
    ]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stderr.contains("cannot downgrade revision v1.2.0.a: ")
            && run
                .stderr
                .contains("v1.2.0.a_drop_pinned.sql marks its downgrade irreversible"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(&mine).expect("read"),
        before,
        "the file is unchanged"
    );
    // `--check` agrees with the same base schema.
    let check = with_base(&base_sql, &["--check"]);
    assert_eq!(check.code, 0, "{check:#?}");
}
