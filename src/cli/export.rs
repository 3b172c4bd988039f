//! The export commands: `export TABLE`, `query "SELECT …"` (CSV or JSON) and `dump` (SQL, as
//! `sqlite3 .dump`). All read-only: the file is opened read-only in place and never written; the result
//! goes to stdout or, with `-o FILE`, replaces FILE atomically.

use std::path::Path;

use super::{files, CliError, Events, Workspace};
use crate::export::Format;

/// `export TABLE --format F`: every row of a table or view.
pub fn export(
    workspace: &Workspace,
    table: &str,
    format: Format,
    output: Option<&Path>,
    events: Events,
) -> Result<String, CliError> {
    let database = workspace.open_existing(events)?;
    let result = database.table_rows(table).map_err(crate::Error::from)?;
    deliver(&format.render(&result), output)
}

/// `query SQL --format F`: the rows of one read-only statement.
pub fn query(
    workspace: &Workspace,
    sql: &str,
    format: Format,
    output: Option<&Path>,
    events: Events,
) -> Result<String, CliError> {
    let database = workspace.open_existing(events)?;
    let result = database.query(sql).map_err(crate::Error::from)?;
    deliver(&format.render(&result), output)
}

/// `dump`: the whole database as SQL.
pub fn dump(
    workspace: &Workspace,
    output: Option<&Path>,
    events: Events,
) -> Result<String, CliError> {
    let database = workspace.open_existing(events)?;
    let sql = database.dump().map_err(crate::Error::from)?;
    deliver(&sql, output)
}

/// Writes `text` to `output` (returning nothing for stdout), or returns it for stdout.
fn deliver(text: &str, output: Option<&Path>) -> Result<String, CliError> {
    match output {
        Some(path) => {
            files::write_atomic(path, text.as_bytes(), false)?;
            Ok(String::new())
        }
        None => Ok(text.to_string()),
    }
}
