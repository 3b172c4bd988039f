//! The crate's top-level error: one variant per layer, rendered once at the edge (CLI or page).

use thiserror::Error;

/// Anything content-db can fail with; each layer's own error is kept whole inside.
#[derive(Debug, Error)]
pub enum Error {
    /// The revision graph or a target could not be resolved.
    #[error(transparent)]
    Revision(#[from] crate::revision::RevisionError),
    /// Opening, migrating or serializing the database failed.
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    /// An export, a query or a dump failed.
    #[error(transparent)]
    Insight(#[from] crate::db::InsightError),
}
