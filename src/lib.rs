//! content-db: open ContentEngine's SQLite database, tell which Alembic revision it is at,
//! apply or roll back its migrations exactly as Alembic would, and hand the file back.
//!
//! The map of `src/` (layers depend downwards only; `docs/ARCHITECTURE.md` has the longer tour):
//! - [`migrations`]: the migration files of `migrations/`, embedded at build time.
//! - [`revision`]: pure Rust. Parses the migration files, builds the revision graph and decides
//!   every Alembic rule (targets, step order, `alembic_version` rows). No SQLite.
//! - [`schema`]: pure Rust. A schema as plain data (the shape of `dump_schema.py`), the
//!   differences between two schemas and what a step drops, in words.
//! - [`export`]: pure Rust. Rows as CSV, JSON and SQL literals, and the one export [`export::Format`].
//! - [`footprint`]: pure Rust. The bytes a plan's SQL will write, from the sizes of the tables
//!   it names, and whether that fits the memory left (the page's check before a change).
//! - [`db`]: the only module that talks to SQLite. Opens bytes or a path, applies a
//!   [`revision::Plan`] one transaction per step with checks, reads the schema and rows back.
//! - [`diagnose`]: what a file's `alembic_version` rows and tables say about its state, in the
//!   words both front ends print.
//! - [`timing`]: the one clock, and the spans the benchmark reads.
//! - [`error`]: the crate's error, wrapping each layer's.
//! - `alembic_import` (with the CLI): `content-db import-alembic`, an Alembic project's history
//!   as migration files, from the SQL its own Alembic executes, verified by replaying them.
//! - Front ends, which only call into the layers above: [`cli`] (the logic of the `content-db`
//!   command; the thin binary is `src/bin/content-db.rs`) and `web` (the page, the Web Worker
//!   and the protocol between them, in `src/web/`).

#[cfg(feature = "cli")]
pub mod alembic_import;
#[cfg(feature = "cli")]
pub mod cli;
pub mod db;
pub mod diagnose;
pub mod error;
pub mod export;
pub mod footprint;
pub mod migrations;
pub mod revision;
pub mod schema;
pub mod timing;

// The web app's pure parts (protocol, worker session, reducer) also compile in native test
// builds, so `cargo test` runs their unit tests; the browser glue needs wasm32 and `web`.
#[cfg(any(feature = "web", test))]
pub mod web;

pub use db::Database;
pub use error::Error;
pub use revision::{History, Plan};
