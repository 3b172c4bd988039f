//! Schema insight against files made by real Alembic: `check` words every kind of drift,
//! `baseline` recognizes each revision of an unversioned file, `diff`'s SQL takes an Alembic file
//! to exactly what Alembic makes, `erd` is well-formed SVG with every table and foreign key and
//! no overlapping boxes, and `downgrade --dry-run` names exactly what Alembic's downgrade drops.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::*;
use crate::fixture::*;

/// Runs SQL on a file with rusqlite.
fn execute(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(sql).expect("run SQL");
}

#[test]
fn check_words_every_kind_of_drift() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    let db = fixture.db();
    execute(
        &db,
        "ALTER TABLE posts ADD COLUMN foo TEXT;
         DROP INDEX ix_posts_status;
         DROP TABLE chat_messages;
         CREATE TABLE chat_messages (
             id INTEGER NOT NULL,
             user_id INTEGER,
             role TEXT NOT NULL,
             content TEXT NOT NULL,
             created_at DATETIME DEFAULT 'now' NOT NULL,
             PRIMARY KEY (id),
             CONSTRAINT ck_chat_messages_role CHECK (role IN ('user')),
             FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE SET NULL
         );
         CREATE INDEX ix_chat_messages_user_id_created_at ON chat_messages (user_id);
         CREATE TABLE notes (id INTEGER);",
    );
    let run = content_db_run(&db, &["check"]);
    assert_eq!(run.code, 1, "{run:#?}");
    for expected in [
        "posts has an extra column `foo TEXT`",
        "index ix_posts_status on posts is missing",
        "column chat_messages.role: type VARCHAR(20) expected, found TEXT",
        "column chat_messages.user_id: NOT NULL yes expected, found no",
        "column chat_messages.created_at: default CURRENT_TIMESTAMP expected, found 'now'",
        "index ix_chat_messages_user_id_created_at on chat_messages: on (user_id, created_at) expected, found on (user_id)",
        "foreign key chat_messages.user_id → users.id ON DELETE CASCADE expected, found foreign key chat_messages.user_id → users.id ON DELETE SET NULL",
        "CHECK constraint ck_chat_messages_role on chat_messages: (role IN ('user', 'assistant', 'system')) expected, found (role IN ('user'))",
        "there is an extra table notes",
    ] {
        assert!(run.stdout.contains(expected), "{expected:?} not in\n{}", run.stdout);
    }
}

/// A fixture made by Alembic, then stripped of its `alembic_version` table.
fn unversioned(commands: &[&str]) -> Fixture {
    let fixture = Fixture::alembic(commands);
    execute(&fixture.db(), "DROP TABLE alembic_version");
    fixture
}

#[test]
fn baseline_recognizes_every_state_alembic_makes() {
    for (state, commands) in STATES {
        let fixture = unversioned(commands);
        let run = content_db_ok(&fixture.db(), &["baseline"]);
        let theirs = Fixture::alembic(commands);
        let rows = version_rows(&theirs.db());
        // The state Alembic recorded is among the exact matches (a merge and its two parents
        // have the same schema, so both are listed).
        let mut wanted = rows.clone();
        wanted.sort();
        let named = if wanted.is_empty() {
            "base".to_string()
        } else {
            wanted.join(" + ")
        };
        let exact_lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|line| line.contains("exactly that of") || line.starts_with("Also an exact"))
            .collect();
        assert!(
            exact_lines
                .iter()
                .any(|line| line.contains(&format!(" {named}"))
                    || (rows.len() == 1 && line.contains(&rows[0]))),
            "{state}: {named} not an exact match in\n{}",
            run.stdout
        );

        // --stamp records it; Alembic then agrees the file is at an equivalent state.
        content_db_ok(&fixture.db(), &["baseline", "--stamp"]);
        let stamped = version_rows(&fixture.db());
        if rows.is_empty() {
            // Base: no tables at all, nothing to record (stamping base leaves the file as is).
            assert!(stamped.is_empty());
            continue;
        }
        let check = content_db_run(&fixture.db(), &["check"]);
        assert_eq!(check.code, 0, "{state}: stamped {stamped:?}\n{check:#?}");
        let alembic_current = alembic_ok(&fixture.db(), &["current"]);
        for row in &stamped {
            assert!(
                alembic_current.contains(row.as_str()),
                "{state}: {alembic_current}"
            );
        }
    }
}

#[test]
fn baseline_of_a_drifted_or_unknown_file() {
    let fixture = unversioned(&["upgrade c3e7a1d9f482"]);
    execute(&fixture.db(), "ALTER TABLE users ADD COLUMN nickname TEXT");
    let before = fs::read(fixture.db()).expect("read");
    let run = content_db_run(&fixture.db(), &["baseline"]);
    assert_eq!(run.code, 1, "{run:#?}");
    assert!(
        run.stdout
            .contains("Closest: c3e7a1d9f482 (add user ownership to posts) (1 difference):"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("users has an extra column `nickname TEXT`"));
    let refused = fails_unchanged(&fixture.db(), &["baseline", "--stamp"], &["stamp --purge"]);
    assert!(
        refused.stderr.contains("c3e7a1d9f482"),
        "{}",
        refused.stderr
    );
    assert_eq!(fs::read(fixture.db()).expect("read"), before);

    // A revision this history does not know: recognized, and --stamp replaces the row.
    let unknown = Fixture::alembic(&["upgrade d5f0b2c8e614"]);
    execute(
        &unknown.db(),
        "UPDATE alembic_version SET version_num = 'feedfacecafe'",
    );
    let run = content_db_ok(&unknown.db(), &["baseline", "--stamp"]);
    assert!(run
        .stdout
        .contains("feedfacecafe, which this history does not know"));
    assert_eq!(
        version_rows(&unknown.db()),
        vec!["d5f0b2c8e614".to_string()]
    );
    assert!(alembic_ok(&unknown.db(), &["current"]).contains("d5f0b2c8e614"));
}

/// The SQL part of `diff` output.
fn sql_of(diff_output: &str) -> String {
    let start = diff_output.find("-- SQL from").expect("an SQL section");
    diff_output[start..].to_string()
}

/// Runs an SQL script with the `sqlite3` command-line shell.
fn sqlite3_script(db: &Path, sql: &str) {
    use std::io::Write;
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the sqlite3 shell (scripts/setup.sh installs it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(sql.as_bytes())
        .expect("write the script");
    let out = child.wait_with_output().expect("wait for sqlite3");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn diff_sql_takes_an_alembic_file_where_alembic_takes_it() {
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (
            "4f2a9c1e7b3d",
            "b81d3e5f0a27",
            &["table users added", "table sessions added"],
            "upgrade b81d3e5f0a27",
        ),
        (
            "c3e7a1d9f482",
            "d5f0b2c8e614",
            &[
                "posts: column `user_id INTEGER` removed",
                "oauth_tokens: column `user_sub VARCHAR(255)` added",
            ],
            "upgrade d5f0b2c8e614",
        ),
        (
            "head",
            "b81d",
            &["table chat_messages removed"],
            "upgrade b81d3e5f0a27",
        ),
    ];
    for (from, to, changes, alembic_to) in cases {
        let start = Fixture::alembic(&[&format!("upgrade {from}")]);
        let run = content_db_ok(&start.db(), &["diff", from, to]);
        for change in *changes {
            assert!(
                run.stdout.contains(change),
                "{from}→{to}: {change:?} not in\n{}",
                run.stdout
            );
        }
        sqlite3_script(&start.db(), &sql_of(&run.stdout));
        let oracle = Fixture::alembic(&[alembic_to]);
        assert_eq!(
            dump_schema(&start.db()),
            dump_schema(&oracle.db()),
            "{from}→{to}: the diff's SQL does not reach Alembic's schema"
        );
    }
    // --file: a drifted file against its own revision shows the drift as a change.
    let fixture = Fixture::alembic(&["upgrade head"]);
    execute(&fixture.db(), "ALTER TABLE posts ADD COLUMN foo TEXT");
    let run = content_db_ok(&fixture.db(), &["diff", "--file", "head"]);
    assert!(
        run.stdout.contains("posts: column `foo TEXT` removed"),
        "{}",
        run.stdout
    );
    let run = content_db_ok(&fixture.db(), &["diff", "--file", "f17b"]);
    assert!(
        run.stdout
            .contains("-- Running downgrade 0a6c9e3f5b71 -> f17b8d2e4c90"),
        "{}",
        run.stdout
    );
}

/// What the test's Python sees in an SVG: tables, edges and box rectangles.
const READ_SVG: &str = r#"
import json, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
tables = [g.get("data-table") for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "table"]
edges = [[p.get("data-from"), p.get("data-to")] for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "fk"]
boxes = [[float(r.get(k)) for k in ("x", "y", "width", "height")] for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "box"]
texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
print(json.dumps({"tables": tables, "edges": edges, "boxes": boxes, "texts": texts}))
"#;

fn read_svg(svg: &Path) -> serde_json::Value {
    require_venv();
    let out = Command::new(python())
        .args(["-c", READ_SVG])
        .arg(svg)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "not well-formed XML: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn erd_is_well_formed_complete_and_without_overlaps() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    // A table whose names need escaping, referencing users.
    execute(
        &fixture.db(),
        "CREATE TABLE \"a<b&'c\" (\"x>\"\"y\" INTEGER PRIMARY KEY, owner INTEGER REFERENCES users (id));",
    );
    let svg = fixture.path("schema.svg");
    let run = content_db_ok(
        &fixture.db(),
        &["erd", "-o", svg.to_str().expect("utf-8 path")],
    );
    assert!(run.stdout.is_empty());
    let seen = read_svg(&svg);
    let schema = dump_schema(&fixture.db());
    let tables: BTreeSet<String> = schema["tables"]
        .as_object()
        .expect("tables")
        .keys()
        .cloned()
        .collect();
    let drawn: BTreeSet<String> = seen["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| t.as_str().expect("name").to_string())
        .collect();
    assert_eq!(drawn, tables);
    let mut foreign_keys = BTreeSet::new();
    for (name, table) in schema["tables"].as_object().expect("tables") {
        for fk in table["foreign_keys"].as_array().expect("fks") {
            foreign_keys.insert(vec![
                format!("{name}.{}", fk["from"].as_str().expect("from")),
                format!(
                    "{}.{}",
                    fk["table"].as_str().expect("table"),
                    fk["to"].as_str().expect("to")
                ),
            ]);
        }
    }
    let edges: BTreeSet<Vec<String>> =
        serde_json::from_value(seen["edges"].clone()).expect("edges");
    assert_eq!(edges, foreign_keys);
    assert!(foreign_keys.len() >= 4, "{foreign_keys:?}");
    let boxes: Vec<[f64; 4]> = serde_json::from_value(seen["boxes"].clone()).expect("boxes");
    assert_eq!(boxes.len(), tables.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = a[0] + a[2] <= b[0]
                || b[0] + b[2] <= a[0]
                || a[1] + a[3] <= b[1]
                || b[1] + b[3] <= a[1];
            assert!(apart, "boxes overlap: {a:?} {b:?}");
        }
    }
    let texts: Vec<String> = serde_json::from_value(seen["texts"].clone()).expect("texts");
    assert!(
        texts.iter().any(|t| t.contains("x>\"y")),
        "names survive escaping: {texts:?}"
    );
    // Without -o the SVG goes to stdout.
    let run = content_db_ok(&fixture.db(), &["erd"]);
    assert_eq!(run.stdout, fs::read_to_string(&svg).expect("read"));
}

/// `(table, column)` pairs of a `dump_schema.py` result, without alembic_version.
fn columns_of(schema: &serde_json::Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (name, table) in schema["tables"].as_object().expect("tables") {
        if name == "alembic_version" {
            continue;
        }
        for column in table["columns"].as_array().expect("columns") {
            out.insert((
                name.clone(),
                column["name"].as_str().expect("name").to_string(),
            ));
        }
    }
    out
}

#[test]
fn dry_run_names_exactly_what_alembic_drops_and_counts_it() {
    let fixture = Fixture::alembic(&["upgrade head"]);
    execute(
        &fixture.db(),
        "INSERT INTO users (id, linkedin_sub) VALUES (1, 'sub-1'), (2, 'sub-2');
         INSERT INTO posts (content, platform, user_id, scheduled_at) VALUES
           ('a', 'li', 1, '2025-06-01'), ('b', 'li', 2, NULL), ('c', 'li', NULL, NULL);
         INSERT INTO chat_messages (user_id, role, content) VALUES (1, 'user', 'hi'), (1, 'assistant', 'yo');
         INSERT INTO oauth_tokens (platform, access_token, user_sub) VALUES ('li', 't', 'sub-1');",
    );
    for target in ["b81d3e5f0a27", "e9a4c6b1d358", "base"] {
        let before = fs::read(fixture.db()).expect("read");
        let run = content_db_ok(&fixture.db(), &["downgrade", target, "--dry-run"]);
        assert_eq!(
            fs::read(fixture.db()).expect("read"),
            before,
            "--dry-run wrote"
        );
        let mut reported = BTreeSet::new();
        for line in run.stdout.lines() {
            let line = line.trim();
            let item = line
                .strip_prefix("drops column ")
                .or_else(|| line.strip_prefix("with column "));
            if let Some(item) = item {
                let name = item.split(' ').next().expect("a name");
                let (table, column) = name.split_once('.').expect("table.column");
                reported.insert((table.to_string(), column.to_string()));
            }
        }
        let oracle = fixture.copy("oracle.db");
        let schema_before = dump_schema(&oracle);
        alembic_ok(&oracle, &["downgrade", target]);
        let gone: BTreeSet<(String, String)> = columns_of(&schema_before)
            .difference(&columns_of(&dump_schema(&oracle)))
            .cloned()
            .collect();
        assert_eq!(reported, gone, "downgrade {target}:\n{}", run.stdout);
    }
    let run = content_db_ok(&fixture.db(), &["downgrade", "b81d", "--dry-run"]);
    for expected in [
        "drops column posts.scheduled_at (1 non-NULL value)",
        "drops table chat_messages (2 rows)",
        "drops column posts.user_id (2 non-NULL values)",
        "drops column posts.is_demo (3 non-NULL values)",
        "drops column oauth_tokens.user_sub (1 non-NULL value)",
        "drops column oauth_tokens.user_email (0 non-NULL values)",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} not in\n{}",
            run.stdout
        );
    }
    // --sql starts with the same report as comments, and the rest still runs in sqlite3.
    let run = content_db_ok(&fixture.db(), &["downgrade", "b81d", "--sql"]);
    assert!(
        run.stdout.starts_with("-- Data-loss report"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("--       drops table chat_messages (2 rows)"));
    let copy = fixture.copy("sql.db");
    sqlite3_script(&copy, &run.stdout);
    assert_eq!(version_rows(&copy), vec!["b81d3e5f0a27".to_string()]);
}
