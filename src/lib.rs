//! content-db: open ContentEngine's SQLite database, tell which Alembic revision it is at,
//! apply or roll back its migrations exactly as Alembic would, and hand the file back.
//!
//! Three layers, one direction of dependency (see `docs/ARCHITECTURE.md`):
//! - [`revision`]: pure Rust. Parses the embedded migration files, builds the revision graph and
//!   decides every Alembic rule (targets, step order, `alembic_version` rows). No SQLite.
//! - [`db`]: the only module that talks to SQLite. Opens bytes or a path, applies a
//!   [`revision::Plan`] one transaction per step with checks, reads the schema back.
//! - [`schema`]: pure Rust. A schema as plain data (the shape of `dump_schema.py`) and the
//!   differences between two schemas in words; the database layer fills it in.
//! - Front ends: the CLI (`src/bin/content-db.rs`) and the web app (`src/web/`), which only call
//!   into the two layers above.

#[cfg(feature = "cli")]
pub mod alembic_import;
#[cfg(feature = "cli")]
pub mod cli;
pub mod db;
pub mod error;
pub mod export;
pub mod migrations;
pub mod revision;
pub mod schema;
pub mod timing;

#[cfg(feature = "web")]
pub mod web;

pub use db::Database;
pub use error::Error;
pub use revision::{History, Plan};
