use super::*;
use crate::revision::History;

fn copy(into: &str, from: &[&str]) -> Write {
    Write::Copy {
        into: into.into(),
        from: from.iter().map(|t| t.to_string()).collect(),
    }
}

fn index(index: &str, table: &str) -> Write {
    Write::Index {
        index: index.into(),
        table: table.into(),
    }
}

fn sizes(objects: &[(&str, u64)], whole: u64) -> Sizes {
    Sizes {
        objects: objects.iter().map(|(n, b)| (n.to_string(), *b)).collect(),
        whole,
    }
}

/// The upgrade section of one of the embedded revisions.
fn upgrade_sql(id: &str) -> String {
    let history = History::embedded().expect("embedded history");
    history.get(id).expect("revision").upgrade_sql.clone()
}

#[test]
fn a_batch_rebuild_copies_the_table_and_builds_its_indexes() {
    let writes = writes(&upgrade_sql("0a6c9e3f5b71"));
    assert_eq!(
        writes,
        vec![
            Write::Create {
                table: "posts_new".into()
            },
            copy("posts_new", &["posts"]),
            Write::Drop {
                table: "posts".into()
            },
            Write::Rename {
                from: "posts_new".into(),
                to: "posts".into()
            },
            index("ix_posts_status", "posts"),
            index("ix_posts_user_id", "posts"),
        ]
    );
    let sizes = sizes(
        &[
            ("posts", 1000),
            ("ix_posts_status", 100),
            ("ix_posts_user_id", 50),
        ],
        1200,
    );
    assert_eq!(estimate(&[writes], &sizes), 1150);
}

#[test]
fn a_new_table_and_its_index_write_nothing_worth_counting() {
    let writes = writes(&upgrade_sql("f17b8d2e4c90"));
    assert_eq!(
        writes,
        vec![
            Write::Create {
                table: "chat_messages".into()
            },
            index("ix_chat_messages_user_id_created_at", "chat_messages"),
        ]
    );
    // Even with every object taken as large as the whole file.
    assert_eq!(estimate(&[writes], &Sizes::all_whole(4 << 30)), 0);
}

#[test]
fn an_update_of_an_original_table_counts_it_twice_and_of_a_copy_once() {
    let steps = vec![
        writes("UPDATE posts SET status = 'draft' WHERE status = 'scheduled';"),
        writes(
            "CREATE TABLE _alembic_tmp_posts (id INTEGER);\n\
             INSERT INTO _alembic_tmp_posts (id) SELECT posts.id FROM posts;\n\
             DROP TABLE posts; ALTER TABLE _alembic_tmp_posts RENAME TO posts;\n\
             UPDATE posts SET is_demo = 1 WHERE external_id LIKE 'demo-%';",
        ),
    ];
    let sizes = sizes(&[("posts", 1000)], 1000);
    // 2000 for the first update, 1000 for the copy, 1000 for the update of the copy.
    assert_eq!(estimate(&steps, &sizes), 4000);
}

#[test]
fn a_copy_counts_the_automatic_indexes_of_what_it_reads() {
    let steps = vec![writes(
        "INSERT INTO _alembic_tmp_users SELECT * FROM users u WHERE u.id > 0",
    )];
    let sizes = sizes(
        &[
            ("users", 300),
            ("sqlite_autoindex_users_1", 40),
            ("sqlite_autoindex_users_2", 2),
            ("sessions", 999),
        ],
        2000,
    );
    assert_eq!(estimate(&steps, &sizes), 342);
}

#[test]
fn an_index_not_there_yet_counts_its_table_and_vacuum_the_whole_file() {
    let steps = vec![writes(
        "CREATE INDEX IF NOT EXISTS ix_new ON main.posts (status); VACUUM;",
    )];
    assert_eq!(estimate(&steps, &sizes(&[("posts", 700)], 900)), 1600);
}

#[test]
fn every_object_as_large_as_the_file_bounds_the_walked_sizes() {
    let history = History::embedded().expect("embedded history");
    let steps: Vec<Vec<Write>> = history
        .revisions()
        .iter()
        .map(|revision| writes(&revision.upgrade_sql))
        .collect();
    let walked = sizes(
        &[
            ("posts", 600),
            ("ix_posts_status", 30),
            ("ix_posts_user_id", 20),
            ("oauth_tokens", 10),
            ("sqlite_autoindex_oauth_tokens_1", 1),
        ],
        700,
    );
    assert!(estimate(&steps, &Sizes::all_whole(700)) >= estimate(&steps, &walked));
}

#[test]
fn statements_are_read_past_comments_literals_and_quotes() {
    let sql = "-- INSERT INTO x SELECT * FROM y;\n\
               /* UPDATE z SET a = 1; */\n\
               INSERT OR REPLACE INTO \"New Posts\" SELECT * FROM [main].`Old;Posts` AS o, tags t \
               WHERE o.note = 'a; DELETE FROM w';\n\
               DELETE FROM \"audit\"\"log\";\n\
               ALTER TABLE posts ADD COLUMN note TEXT;\n\
               CREATE UNIQUE INDEX ux ON t (a);\n\
               INSERT INTO t VALUES (1);";
    assert_eq!(
        writes(sql),
        vec![
            copy("new posts", &["old;posts", "tags"]),
            Write::InPlace {
                table: "audit\"log".into()
            },
            index("ux", "t"),
        ]
    );
    assert_eq!(
        objects_named(&[writes(sql)]),
        ["audit\"log", "old;posts", "t", "tags", "ux"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}

#[test]
fn a_change_fits_while_what_it_needs_is_left() {
    let room = Room {
        limit: 4 << 30,
        in_use: 1 << 30,
    };
    assert_eq!(needed(800, 0), 800 + 200 + MARGIN);
    assert_eq!(needed(800, 10_000), 1600 + 200 + MARGIN);
    assert_eq!(check(3 << 30, room, "x", "y"), Ok(()));
    let error = check(
        (3 << 30) + 1,
        room,
        "upgrading big.db to head",
        "content-db --db big.db upgrade head",
    )
    .expect_err("one byte too many");
    assert_eq!(
        error.to_string(),
        "upgrading big.db to head would need about 3.0 GiB of the browser's memory for the pages \
         it writes, and only 3.0 GiB is left (1.0 GiB of WebAssembly's 4.0 GiB in use). Nothing \
         was changed. The command-line tool does it on disk, without this limit: \
         `content-db --db big.db upgrade head`"
    );
}

#[test]
fn the_command_quotes_a_file_name_the_shell_would_split() {
    assert_eq!(
        cli_command("content.db", "upgrade", "head", false),
        "content-db --db content.db upgrade head"
    );
    assert_eq!(
        cli_command("my content's.db", "downgrade", "-1", true),
        "content-db --db 'my content'\\''s.db' downgrade -1 --migrations <the folder of those \
         migration files>"
    );
}

#[test]
fn sizes_read_in_binary_units() {
    assert_eq!(Bytes(512).to_string(), "512 bytes");
    assert_eq!(Bytes(1536).to_string(), "1.5 KiB");
    assert_eq!(Bytes(200 << 20).to_string(), "200.0 MiB");
    assert_eq!(Bytes(5 << 30).to_string(), "5.0 GiB");
}
