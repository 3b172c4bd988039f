//! The fault suite of the writing commands (issue 12), on real files with the real binary: each
//! test checks the data afterwards, and each is a row of TESTING.md with what the user sees.
//!
//! - `kill`: `kill -9` at random moments of `upgrade`, `downgrade`, `stamp` and `reset`; the
//!   next opener (content-db, Python's sqlite3, another SQLite connection) finds the file as it
//!   was or as the command left it on success, never anything in between.
//!   `CONTENT_DB_FAULT_RUNS` (default 100, over the four commands) sets how many kills;
//!   `CONTENT_DB_FAULT_SEED` repeats a run (the seed is printed).
//! - `writer`: an application process writing rows in a loop on one open connection while
//!   upgrades and downgrades run: every row it committed is there, its connection keeps working.
//! - `together`: two and three commands started at once end as some one-after-the-other order.
//! - `limits`: the file-size limit, or a full (small, mounted) file system, mid-migration.
//! - `files`: a file or folder read-only for the user, and a file made read-only or replaced
//!   while the command runs.
//! - `locks`: a file system without POSIX locks (played by a preloaded C shim).
//!
//! Unix only (signals, permissions, `prlimit`, `mount`).
#![cfg(unix)]

mod common;

#[path = "faults/files.rs"]
mod files;
#[path = "../examples/gen_content_db/generate.rs"]
mod generate;
#[path = "faults/kill.rs"]
mod kill;
#[path = "faults/limits.rs"]
mod limits;
#[path = "faults/locks.rs"]
mod locks;
#[path = "faults/support.rs"]
mod support;
#[path = "faults/together.rs"]
mod together;
#[path = "faults/writer.rs"]
mod writer;
