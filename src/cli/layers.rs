//! The calls into the revision and database layers that the CLI needs beyond the skeleton's
//! interface: Alembic's text formats (`current`, `heads`, `history`, `show`), the Plan → SQL
//! renderer for `--sql`, and the schema check. Kept in one place so the command files do not
//! depend on how those layers name them.

use super::CliError;
use crate::db::Database;
use crate::revision::{History, Plan};

/// The lines of `alembic current` (verbose: `alembic current -v`, without its header line).
pub fn current_text(
    history: &History,
    versions: &[String],
    verbose: bool,
) -> Result<String, CliError> {
    let _ = (history, versions, verbose);
    todo!("wire to revision::format after merging main")
}

/// The lines of `alembic heads [-v]`.
pub fn heads_text(history: &History, verbose: bool) -> Result<String, CliError> {
    let _ = (history, verbose);
    todo!("wire to revision::format after merging main")
}

/// The lines of `alembic history [-v] [-r RANGE]`; `currents` are the database's rows when the
/// range mentions `current`.
pub fn history_text(
    history: &History,
    range: Option<&str>,
    verbose: bool,
    currents: &[String],
) -> Result<String, CliError> {
    let _ = (history, range, verbose, currents);
    todo!("wire to revision::format after merging main")
}

/// The entries of `alembic show REV`; `currents` are the database's rows for `show current`.
pub fn show_text(history: &History, target: &str, currents: &[String]) -> Result<String, CliError> {
    let _ = (history, target, currents);
    todo!("wire to revision::format after merging main")
}

/// The SQL a plan would run, as `--sql` prints it.
pub fn plan_sql(history: &History, plan: &Plan) -> Result<String, CliError> {
    let _ = (history, plan);
    todo!("wire to revision::format after merging main")
}

/// `None` when the database's schema is what its recorded revision should have, else a readable
/// diff.
pub fn schema_drift(database: &Database, history: &History) -> Result<Option<String>, CliError> {
    let _ = (database, history);
    todo!("wire to db::schema after merging main")
}
