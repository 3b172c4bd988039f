//! The CLI's `--migrations DIR` takes the files `import-alembic` writes as they are, for another
//! application than ContentEngine: tests/fixtures/otherapp (a notes app: a branch and a merge,
//! batch operations, a data UPDATE, a bulk_insert) is imported, and then `current`, `heads`,
//! `history`, `upgrade`, `check` and `downgrade` with `--migrations OUT` print what real Alembic
//! prints and leave the same schema and rows as Alembic leaves on a copy.

#![cfg(not(target_arch = "wasm32"))] // runs Python: native only

mod common;

use common::{content_db, crate_dir, dump_schema, python, require_venv, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE: &str = "1a2b3c4d5e6f";
const PINS: &str = "2b3c4d5e6f70";
const HEAD: &str = "4d5e6f708192";

fn project() -> PathBuf {
    crate_dir().join("tests/fixtures/otherapp")
}

fn run(command: &mut Command) -> Run {
    Run::from_output(
        command
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run"),
    )
}

/// `content-db --migrations OUT --db DB ARGS...`, which must succeed; returns stdout.
fn ours(out: &Path, db: &Path, args: &[&str]) -> String {
    let done = run(content_db()
        .arg("--migrations")
        .arg(out)
        .arg("--db")
        .arg(db)
        .args(args));
    assert_eq!(done.code, 0, "content-db {args:?}: {done:#?}");
    done.stdout
}

/// Real Alembic on the other application against `db` (its env.py reads `-x db=PATH`), which
/// must succeed; returns stdout.
fn alembic(db: &Path, args: &[&str]) -> String {
    let done = run(Command::new(python())
        .args(["-m", "alembic", "-c"])
        .arg(project().join("alembic.ini"))
        .arg("-x")
        .arg(format!("db={}", db.display()))
        .args(args)
        .current_dir(project())
        .env("PYTHONDONTWRITEBYTECODE", "1"));
    assert_eq!(done.code, 0, "alembic {args:?}: {done:#?}");
    done.stdout
}

/// Every table's rows, as SQLite's text of each value, in rowid order.
fn rows(db: &Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    tables.sort();
    tables
        .into_iter()
        .map(|table| {
            let sql = format!("SELECT * FROM \"{table}\" ORDER BY rowid");
            let values = conn
                .prepare(&sql)
                .and_then(|mut statement| {
                    let width = statement.column_count();
                    let found = statement
                        .query_map([], |row| {
                            (0..width)
                                .map(|at| row.get::<_, rusqlite::types::Value>(at))
                                .collect::<Result<Vec<_>, _>>()
                        })?
                        .map(|row| row.map(|values| format!("{values:?}")))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(found)
                })
                .expect("rows");
            (table, values)
        })
        .map(|(table, mut values)| {
            // The order of the rows an unmerge inserts is Python's set order in Alembic.
            if table == "alembic_version" {
                values.sort();
            }
            (table, values)
        })
        .collect()
}

/// `current`'s lines, sorted (several rows come in Python's set order from Alembic).
fn lines(text: String) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.sort();
    lines
}

fn assert_same(mine: &Path, theirs: &Path, context: &str) {
    assert_eq!(dump_schema(mine), dump_schema(theirs), "schema {context}");
    assert_eq!(rows(mine), rows(theirs), "rows {context}");
}

#[test]
fn imported_files_of_another_application_work_with_migrations_dir() {
    require_venv();
    let temp = tempfile::tempdir().expect("temp");
    let out = temp.path().join("migrations");
    let imported = run(content_db()
        .arg("import-alembic")
        .arg(project())
        .arg("--out")
        .arg(&out)
        .arg("--python")
        .arg(python()));
    assert_eq!(imported.code, 0, "{imported:#?}");

    // A database of the application at its first revision, with rows, made by Alembic.
    let (mine, theirs) = (temp.path().join("mine.db"), temp.path().join("theirs.db"));
    alembic(&mine, &["upgrade", BASE]);
    rusqlite::Connection::open(&mine)
        .expect("open")
        .execute_batch(
            "INSERT INTO notebooks (id, title) VALUES (1, 'Work');
             INSERT INTO notes (id, notebook_id, body, created) VALUES
               (1, 1, '!pin me', '2025-02-02 08:00:00.000000'),
               (2, 1, 'not me', '2025-02-03 09:30:00.000000');",
        )
        .expect("seed");
    std::fs::copy(&mine, &theirs).expect("copy");

    // (`history --verbose` differs in the paths, and in `Branches into:`, whose order is
    // Python's set order in Alembic.)
    for args in [&["current"][..], &["heads"], &["history"]] {
        assert_eq!(
            ours(&out, &mine, args),
            alembic(&theirs, args),
            "{args:?} prints what Alembic prints"
        );
    }
    // One side of the branch, then the rest: the same steps as Alembic, the same result.
    for (command, target) in [
        ("upgrade", PINS),
        ("upgrade", "heads"),
        ("downgrade", "3c4d5e6f7081"),
        ("upgrade", "head"),
    ] {
        ours(&out, &mine, &[command, target]);
        alembic(&theirs, &[command, target]);
        assert_same(&mine, &theirs, &format!("after {command} {target}"));
        assert_eq!(
            lines(ours(&out, &mine, &["current"])),
            lines(alembic(&theirs, &["current"])),
            "current after {command} {target}"
        );
    }
    assert!(ours(&out, &mine, &["current"]).starts_with(&format!("{HEAD} (head)")));
    let check = ours(&out, &mine, &["check"]);
    assert!(
        check.starts_with(&format!(
            "OK: the schema of {} is what revision {HEAD} should have.",
            mine.display()
        )),
        "{check}"
    );
    ours(&out, &mine, &["downgrade", "base"]);
    alembic(&theirs, &["downgrade", "base"]);
    assert_same(&mine, &theirs, "after downgrade base");
}
