//! The command logic of the `content-db` tool, kept out of the binary so it can be tested and so
//! `src/bin/content-db.rs` only parses arguments and prints. One file per command group:
//! [`inspect`] (read-only: current, heads, history, show, check), [`migrate`] (upgrade,
//! downgrade, stamp, with `--sql`), [`lifecycle`] (init, reset), [`scaffold`] (create, merge).
//! [`files`] holds the file handling every writing command shares (atomic replace, backups).
//! Schema insight: [`insight`] (baseline, diff, erd), [`export`] (export, query, dump) and
//! [`loss`] (the data-loss report of `downgrade --dry-run` / `--sql`). [`import_alembic`] writes
//! an Alembic project's history as migration files (`crate::alembic_import` does the work).

pub mod diagnose;
mod error;
pub mod export;
pub mod files;
pub mod import_alembic;
pub mod insight;
pub mod inspect;
pub mod lifecycle;
pub mod loss;
pub mod migrate;
pub mod scaffold;
mod source;

pub use error::CliError;
pub use source::Workspace;

/// Something a command reports while it works, in the order it happens. The binary prints these
/// to stderr (as Alembic prints its log lines), keeping stdout for the command's actual output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Alembic's log line for one migration step, e.g. `Running upgrade A -> B, message`.
    Step(String),
    /// A remark for the user that is not a step (a new file was created, a WAL file converted).
    Notice(String),
}

/// Where commands send their [`Event`]s as they happen.
pub type Events<'a> = &'a mut dyn FnMut(Event);
