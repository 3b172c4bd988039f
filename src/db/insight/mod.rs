//! What the migrations say about a schema, against the open file: the schema expected at a
//! revision ([`Database::expected_schema_at`], [`Database::downgrade_loss`]), a database built by
//! replaying them ([`Database::replayed`]), the difference between two states
//! ([`Database::diff_states`], [`Database::diff_file_with`]), the revision a file's schema is at
//! ([`Database::infer_baseline`]) and what a plan's steps drop with counts from the file
//! ([`Database::data_loss`]). A new comparison of the file with the history goes here.
//!
//! [`Database::expected_schema_at`]: crate::db::Database::expected_schema_at
//! [`Database::downgrade_loss`]: crate::db::Database::downgrade_loss
//! [`Database::replayed`]: crate::db::Database::replayed
//! [`Database::diff_states`]: crate::db::Database::diff_states
//! [`Database::diff_file_with`]: crate::db::Database::diff_file_with
//! [`Database::infer_baseline`]: crate::db::Database::infer_baseline
//! [`Database::data_loss`]: crate::db::Database::data_loss

pub(super) mod baseline;
pub(super) mod data_loss;
pub(super) mod error;
mod expected;
pub(super) mod replay;
pub(super) mod revision_diff;
