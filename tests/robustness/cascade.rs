//! Table rebuilds never delete or null child rows through ON DELETE actions: content-db turns
//! foreign keys off for each step (and checks them after), even when the connection had them
//! on. Users are referenced by sessions, chat_messages and posts (CASCADE and SET NULL); every
//! step of the history down and up, and a crafted rebuild of `users` itself, must keep them.

use content_db::{Database, History};

use crate::common::*;
use crate::scratch::*;

const HEAD: &str = "0a6c9e3f5b71";

/// A rebuild of the parent table `users`, as Alembic's batch mode does it (create, copy, drop,
/// rename): with foreign keys on, the DROP would cascade into sessions and chat_messages and
/// null posts.user_id.
const REBUILD_USERS: &str = "
CREATE TABLE _alembic_tmp_users (
    id INTEGER NOT NULL,
    linkedin_sub VARCHAR(255) NOT NULL,
    email VARCHAR(255),
    name VARCHAR(255),
    profile_picture_url VARCHAR(1024),
    access_token TEXT,
    refresh_token TEXT,
    token_expires_at DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_login_at DATETIME,
    plan VARCHAR(20),
    PRIMARY KEY (id),
    CONSTRAINT uq_users_linkedin_sub UNIQUE (linkedin_sub)
);
INSERT INTO _alembic_tmp_users (id, linkedin_sub, email, name, profile_picture_url, access_token, refresh_token, token_expires_at, created_at, last_login_at)
SELECT id, linkedin_sub, email, name, profile_picture_url, access_token, refresh_token, token_expires_at, created_at, last_login_at FROM users;
DROP TABLE users;
ALTER TABLE _alembic_tmp_users RENAME TO users;
";

/// A revision on top of head that rebuilds `users` both ways.
fn rebuild_users_files() -> Vec<(String, String)> {
    // The way back drops `plan` by rebuilding again without it.
    let down = REBUILD_USERS.replace("    plan VARCHAR(20),\n", "");
    vec![(
        "cccc00000003_rebuild_users.sql".to_string(),
        migration("cccc00000003", HEAD, "rebuild users", REBUILD_USERS, &down),
    )]
}

/// Child rows that point at users: (sessions, chat_messages, posts with a user_id), counting
/// only tables and columns that exist at the current revision.
fn child_rows(database: &Database) -> (i64, i64, i64) {
    let conn = database.connection();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap_or(-1) };
    (
        count("SELECT count(*) FROM sessions"),
        count("SELECT count(*) FROM chat_messages"),
        count("SELECT count(*) FROM posts WHERE user_id IS NOT NULL"),
    )
}

/// A populated database at head with foreign keys ON in its connection.
fn populated_with_foreign_keys_on(history: &History) -> Database {
    let mut database = Database::new_empty().expect("new");
    let plan = history.plan_upgrade(&[], HEAD).expect("plan");
    database.apply(history, &plan, |_| {}).expect("upgrade");
    let conn = database.connection();
    conn.execute_batch(POPULATE_HEAD).expect("populate");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys on");
    database
}

#[test]
fn a_rebuild_of_users_keeps_every_child_row() {
    let history = history_with(&rebuild_users_files());
    let mut database = populated_with_foreign_keys_on(&history);
    let before = child_rows(&database);
    assert_eq!(before, (2, 3, 2));
    for target in ["cccc00000003", HEAD, "cccc00000003"] {
        let rows = database.current_versions().expect("rows");
        let plan = if target == HEAD {
            history.plan_downgrade(&rows, target)
        } else {
            history.plan_upgrade(&rows, target)
        }
        .expect("plan");
        database.apply(&history, &plan, |_| {}).expect("step");
        assert_eq!(child_rows(&database), before, "after moving to {target}");
        let on: bool = database
            .connection()
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))
            .expect("pragma");
        assert!(on, "foreign keys are on again after the step");
    }
}

#[test]
fn without_the_guard_the_same_rebuild_would_cascade() {
    // The control: the same SQL run directly with foreign keys on loses the children, so the
    // test above would notice if content-db ran steps with foreign keys on.
    let history = history_with(&[]);
    let database = populated_with_foreign_keys_on(&history);
    database
        .connection()
        .execute_batch(REBUILD_USERS)
        .expect("rebuild");
    assert_eq!(child_rows(&database), (0, 0, 0));
}

#[test]
fn every_step_of_the_history_keeps_child_rows_with_foreign_keys_on() {
    let history = History::embedded().expect("history");
    let mut database = populated_with_foreign_keys_on(history);
    // Down step by step to the branchpoint: every rebuild of posts and oauth_tokens and every
    // dropped table on the way must leave sessions (CASCADE from users) alone.
    let mut seen = Vec::new();
    for target in [
        "f17b8d2e4c90",
        "e9a4c6b1d358",
        "d5f0b2c8e614",
        "b81d3e5f0a27",
    ] {
        let rows = database.current_versions().expect("rows");
        let plan = history.plan_downgrade(&rows, target).expect("plan");
        database.apply(history, &plan, |_| {}).expect("down");
        seen.push((target, child_rows(&database)));
    }
    let sessions: Vec<i64> = seen.iter().map(|(_, rows)| rows.0).collect();
    assert_eq!(sessions, vec![2; 4], "{seen:?}");
    assert_eq!(
        seen[0].1,
        (2, 3, 2),
        "chat messages and owners kept: {seen:?}"
    );
    // And back up to head: the sessions are all still there.
    let rows = database.current_versions().expect("rows");
    let plan = history.plan_upgrade(&rows, "heads").expect("plan");
    database.apply(history, &plan, |_| {}).expect("up");
    assert_eq!(child_rows(&database).0, 2);
    let users: i64 = database
        .connection()
        .query_row("SELECT count(*) FROM users", [], |row| row.get(0))
        .expect("users");
    assert_eq!(users, 2);
}

#[test]
fn the_cli_keeps_child_rows_through_a_users_rebuild() {
    let scratch = Scratch::new();
    let dir = scratch.path("migrations");
    migrations_dir_with(&dir, &rebuild_users_files());
    let db = scratch.head_with("content.db", POPULATE_HEAD);
    let dir_arg = dir.display().to_string();
    for args in [
        ["upgrade", "heads"],
        ["downgrade", "-1"],
        ["upgrade", "heads"],
    ] {
        let mut full = vec!["--migrations", dir_arg.as_str()];
        full.extend(args);
        content_db_ok(&db, &full);
        let database = Database::open_path(&db).expect("open");
        assert_eq!(child_rows(&database), (2, 3, 2), "after {args:?}");
    }
}
