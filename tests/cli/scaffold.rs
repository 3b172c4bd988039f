//! `create` and `merge`: new migration files that parse back and that `upgrade --migrations DIR`
//! applies.

use std::fs;

use crate::common::*;
use crate::fixture::*;

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
