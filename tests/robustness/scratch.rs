//! Scratch files for the robustness tests: a database made by `content-db init`, variations of
//! it, and running the binary on them with the file's bytes compared before and after.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

/// A scratch directory.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file holding `bytes`.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, bytes).expect("write a scratch file");
        path
    }

    /// A new database at head, made by `content-db init`.
    pub fn head(&self, name: &str) -> PathBuf {
        let path = self.path(name);
        content_db_ok(&path, &["init"]);
        path
    }

    /// A database at head changed by `sql` (run with rusqlite).
    pub fn head_with(&self, name: &str, sql: &str) -> PathBuf {
        let path = self.head(name);
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(sql)
            .expect("change the scratch database");
        path
    }

    /// `text` with the scratch directory written as `<dir>`, for snapshots.
    pub fn anonymize(&self, text: &str) -> String {
        text.replace(&self.dir.path().display().to_string(), "<dir>")
    }
}

/// Runs `content-db --db DB ARGS` expecting exit 1 and the file byte-identical (or still
/// missing); returns stderr.
pub fn refused(db: &Path, args: &[&str]) -> String {
    let before = fs::read(db).ok();
    let folder = folder_of(db);
    let run = content_db_run(db, args);
    assert_eq!(run.code, 1, "content-db {args:?} should fail:\n{run:#?}");
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
    run.stderr
}

/// Runs a command that must succeed without changing the file; returns the run.
pub fn harmless(db: &Path, args: &[&str]) -> Run {
    let before = fs::read(db).ok();
    let folder = folder_of(db);
    let run = content_db_ok(db, args);
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

/// Deterministic pseudo-random bytes, standing in for encrypted or random files.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut bytes = vec![0; len];
    fastrand::Rng::with_seed(seed).fill(&mut bytes);
    bytes
}

/// The text of a migration file in content-db's format.
pub fn migration(id: &str, down: &str, message: &str, up_sql: &str, down_sql: &str) -> String {
    format!(
        "-- revision: {id}\n-- down_revision: {down}\n-- message: {message}\n\
         -- create_date: 2026-01-01 00:00:00.000000\n--\n\n-- migrate:up\n{up_sql}\n\n\
         -- migrate:down\n{down_sql}\n"
    )
}

/// A copy of `migrations/` in `dir` plus `extra` files `(file name, text)`.
pub fn migrations_dir_with(dir: &Path, extra: &[(String, String)]) {
    copy_migrations(dir);
    for (name, text) in extra {
        fs::write(dir.join(name), text).expect("write a migration");
    }
}

/// The embedded history plus `extra` files, for library-level tests.
pub fn history_with(extra: &[(String, String)]) -> content_db::History {
    let mut files: Vec<(&str, &str)> = content_db::migrations::EMBEDDED_MIGRATIONS.to_vec();
    files.extend(
        extra
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    );
    content_db::History::from_files(&files).expect("a valid history")
}

/// SQL that fills a database at head with users referenced from every child table.
pub const POPULATE_HEAD: &str = "
    INSERT INTO users (id, linkedin_sub, email, name) VALUES
        (1, 'sub-1', 'a@example.com', 'Ada'), (2, 'sub-2', NULL, 'Bo');
    INSERT INTO sessions (id, user_id, expires_at) VALUES
        ('s-1', 1, '2030-01-01'), ('s-2', 2, '2030-01-01');
    INSERT INTO chat_messages (user_id, role, content) VALUES
        (1, 'user', 'hi'), (2, 'assistant', 'hello'), (1, 'system', 'x');
    INSERT INTO posts (content, platform, user_id, status) VALUES
        ('one', 'linkedin', 1, 'draft'), ('two', 'linkedin', 2, 'scheduled'),
        ('three', 'x', NULL, 'posted');
    INSERT INTO oauth_tokens (platform, access_token, user_sub) VALUES ('linkedin', 'tok', 'sub-1');
    -- Fixed times instead of CURRENT_TIMESTAMP defaults, so two databases filled a second apart
    -- are byte-identical.
    UPDATE users SET created_at = '2025-01-01 00:00:00';
    UPDATE sessions SET created_at = '2025-01-01 00:00:00';
    UPDATE chat_messages SET created_at = '2025-01-01 00:00:00';
    UPDATE posts SET created_at = '2025-01-01 00:00:00', updated_at = '2025-01-01 00:00:00';
    UPDATE oauth_tokens SET created_at = '2025-01-01 00:00:00', updated_at = '2025-01-01 00:00:00';
";
