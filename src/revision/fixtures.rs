//! Test fixtures: ContentEngine's history written as migration files (messages, dates and graph
//! copied from its Alembic scripts; SQL reduced to one marker statement per section).

use super::{History, Revision};

/// `(id, down_revision, message, create_date, slug)` of ContentEngine's seven revisions.
const CONTENTENGINE: [(&str, &str, &str, &str, &str); 7] = [
    ("4f2a9c1e7b3d", "", "initial posts and oauth tokens", "2025-01-06 09:12:44.118203", "initial_posts_and_oauth_tokens"),
    ("b81d3e5f0a27", "4f2a9c1e7b3d", "add users and sessions", "2025-02-11 16:40:02.551390", "add_users_and_sessions"),
    ("c3e7a1d9f482", "b81d3e5f0a27", "add user ownership to posts", "2025-03-03 10:05:31.902116", "add_user_ownership_to_posts"),
    ("d5f0b2c8e614", "b81d3e5f0a27", "add oauth token owner", "2025-03-04 14:22:10.417733", "add_oauth_token_owner"),
    ("e9a4c6b1d358", "c3e7a1d9f482, d5f0b2c8e614", "merge heads", "2025-03-05 08:47:56.030411", "merge_heads"),
    ("f17b8d2e4c90", "e9a4c6b1d358", "add chat messages", "2025-04-17 11:30:19.664052", "add_chat_messages"),
    ("0a6c9e3f5b71", "f17b8d2e4c90", "add scheduled status", "2025-05-22 15:03:48.270945", "add_scheduled_status"),
];

/// The text of ContentEngine's migration files, as `(path, text)`.
pub fn contentengine_files() -> Vec<(String, String)> {
    CONTENTENGINE
        .iter()
        .map(|(id, down, message, date, slug)| {
            let description = if *id == "0a6c9e3f5b71" {
                "--\n-- SQLite cannot ALTER a CHECK constraint, so posts is rebuilt by hand:\n\
                 -- create posts_new, copy the rows, drop posts, rename posts_new to posts.\n"
            } else {
                ""
            };
            let (up, down_sql) = if *id == "e9a4c6b1d358" {
                (String::new(), String::new())
            } else {
                (format!("SELECT 'up {id}';\n"), format!("SELECT 'down {id}';\n"))
            };
            let text = format!(
                "-- revision: {id}\n-- down_revision: {down}\n-- message: {message}\n\
                 -- create_date: {date}\n{description}\n-- migrate:up\n{up}\n-- migrate:down\n{down_sql}"
            );
            (format!("migrations/{id}_{slug}.sql"), text)
        })
        .collect()
}

/// ContentEngine's history: 4f2a → b81d → {c3e7, d5f0} → e9a4 (merge) → f17b → 0a6c.
pub fn contentengine() -> History {
    let files = contentengine_files();
    let pairs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    History::from_files(&pairs).expect("the ContentEngine fixture is valid")
}

/// ContentEngine's history without the merge and what follows it: two heads.
pub fn two_heads() -> History {
    let files = contentengine_files();
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .filter(|(p, _)| ["4f2a", "b81d", "c3e7", "d5f0"].iter().any(|id| p.contains(id)))
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    History::from_files(&pairs).expect("the two-heads fixture is valid")
}

/// A bare revision for graph tests.
pub fn rev(id: &str, down: &[&str]) -> Revision {
    Revision {
        id: id.into(),
        down_revisions: down.iter().map(|d| d.to_string()).collect(),
        message: format!("rev {id}"),
        create_date: "2025-01-01 00:00:00.000000".into(),
        description: String::new(),
        upgrade_sql: format!("SELECT 'up {id}';"),
        downgrade_sql: format!("SELECT 'down {id}';"),
        path: format!("migrations/{id}_rev.sql"),
    }
}

/// Writes a revision back as a migration file.
pub fn to_file(revision: &Revision) -> String {
    let description = if revision.description.is_empty() {
        String::new()
    } else {
        let lines: Vec<String> = revision
            .description
            .lines()
            .map(|line| if line.is_empty() { "--".to_string() } else { format!("-- {line}") })
            .collect();
        format!("--\n{}\n", lines.join("\n"))
    };
    format!(
        "-- revision: {}\n-- down_revision: {}\n-- message: {}\n-- create_date: {}\n{description}\n\
         -- migrate:up\n{}\n\n-- migrate:down\n{}\n",
        revision.id,
        revision.down_revisions.join(", "),
        revision.message,
        revision.create_date,
        revision.upgrade_sql,
        revision.downgrade_sql
    )
}
