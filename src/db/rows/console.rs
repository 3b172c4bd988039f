//! The SQL console: one statement typed by the user, run against the open database.
//!
//! Read-only unless the caller says writing is unlocked, and that is decided by SQLite itself
//! (`sqlite3_stmt_readonly`, through [`rusqlite::Statement::readonly`]), not by guessing from
//! the text. Some statements are refused even when unlocked, by an authorizer that SQLite asks
//! while it compiles the statement: `ATTACH`/`DETACH` (they reach other files; and
//! `sqlite3_stmt_readonly` calls them read-only), `load_extension()` (never enabled either),
//! transaction statements (an open transaction would break the next migration and undo), and
//! pragmas that change a setting. A statement that runs too long is interrupted.

use super::browse::Grid;
use crate::db::Database;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::ValueRef;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// The most result rows the console returns (the grid says when there were more).
pub const MAX_CONSOLE_ROWS: usize = 1000;

/// How many progress callbacks (each after 10 000 virtual machine steps) a statement may take
/// before it is interrupted (50 million steps: about a second, far more than any query on a
/// real content.db needs).
const PROGRESS_BUDGET: u32 = 5_000;

/// Pragmas the console may run: they only read. With a value, only the ones whose value is a
/// table or index name (the others would change a setting, e.g. `foreign_keys = OFF`).
const READ_PRAGMAS: [&str; 9] = [
    "table_info",
    "table_xinfo",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
];
const READ_SETTING_PRAGMAS: [&str; 14] = [
    "table_list",
    "compile_options",
    "page_size",
    "page_count",
    "freelist_count",
    "user_version",
    "schema_version",
    "application_id",
    "journal_mode",
    "encoding",
    "foreign_keys",
    "database_list",
    "function_list",
    "pragma_list",
];

/// What a statement did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleOutcome {
    /// The rows it returned (no columns for a statement that returns nothing).
    pub grid: Grid,
    /// True when there were more than [`MAX_CONSOLE_ROWS`] rows (only the first are kept).
    pub truncated: bool,
    /// True when the statement could change the database (it was run because writing was
    /// unlocked).
    pub wrote: bool,
    /// Rows inserted, updated or deleted by a write.
    pub changes: u64,
}

/// Why the console did not run a statement, or how it failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleError {
    /// Nothing to run.
    #[error("type an SQL statement first, e.g. SELECT * FROM posts LIMIT 10")]
    Empty,
    /// More than one statement.
    #[error("run one statement at a time (remove everything after the first `;`)")]
    SeveralStatements,
    /// A write while writing is locked.
    #[error(
        "this statement would change the database, and the console is read-only; tick \
         \"Allow writing\" first if you mean it (a write can be undone)"
    )]
    WriteLocked,
    /// Refused whatever the lock says.
    #[error("{0}")]
    Refused(String),
    /// SQLite's own message (syntax error, no such table, constraint failed…).
    #[error("{0}")]
    Sql(String),
}

/// A cell as text: `None` for NULL, numbers as SQLite prints them, a blob as its size (the
/// page shows values, it does not interpret them).
pub(crate) fn cell_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(number) => Some(number.to_string()),
        ValueRef::Real(number) => Some(number.to_string()),
        ValueRef::Text(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        ValueRef::Blob(bytes) => Some(format!("<blob, {} bytes>", bytes.len())),
    }
}

/// The authorizer's rule; `Some(reason)` refuses.
fn refusal(action: &AuthAction<'_>) -> Option<String> {
    match action {
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => Some(
            "ATTACH and DETACH are refused: the console works on the open file only".to_string(),
        ),
        AuthAction::Function { function_name }
            if function_name.eq_ignore_ascii_case("load_extension") =>
        {
            Some("load_extension() is refused: extensions cannot be loaded here".to_string())
        }
        AuthAction::Transaction { .. } | AuthAction::Savepoint { .. } => Some(
            "BEGIN, COMMIT, ROLLBACK and SAVEPOINT are refused: each statement runs on its own, \
             and a write is undone with Undo"
                .to_string(),
        ),
        AuthAction::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_ascii_lowercase();
            let allowed = READ_PRAGMAS.contains(&name.as_str())
                || (pragma_value.is_none() && READ_SETTING_PRAGMAS.contains(&name.as_str()));
            (!allowed).then(|| {
                format!("PRAGMA {pragma_name} is refused here: the console only reads pragmas")
            })
        }
        _ => None,
    }
}

impl Database {
    /// Runs one statement typed in the console. Writes run only when `write_unlocked`.
    pub fn run_console(
        &mut self,
        sql: &str,
        write_unlocked: bool,
    ) -> Result<ConsoleOutcome, ConsoleError> {
        if sql.trim().trim_matches(';').trim().is_empty() {
            return Err(ConsoleError::Empty);
        }
        let refused: Arc<Mutex<Option<String>>> = Arc::default();
        let record = refused.clone();
        let authorizer = move |context: AuthContext<'_>| match refusal(&context.action) {
            Some(reason) => {
                if let Ok(mut slot) = record.lock() {
                    slot.get_or_insert(reason);
                }
                Authorization::Deny
            }
            None => Authorization::Allow,
        };
        let sqlite_setup = |error: rusqlite::Error| ConsoleError::Sql(error.to_string());
        self.conn
            .authorizer(Some(authorizer))
            .map_err(sqlite_setup)?;
        let mut steps = 0u32;
        self.conn
            .progress_handler(
                10_000,
                Some(move || {
                    steps += 1;
                    steps > PROGRESS_BUDGET
                }),
            )
            .map_err(sqlite_setup)?;
        let outcome = run_one(&self.conn, sql, write_unlocked, &refused);
        // The hooks belong to the console only: migrations and browsing run without them.
        let removed = self
            .conn
            .authorizer(None::<fn(AuthContext<'_>) -> Authorization>)
            .and_then(|()| self.conn.progress_handler(0, None::<fn() -> bool>));
        removed.map_err(sqlite_setup)?;
        outcome
    }
}

fn run_one(
    conn: &rusqlite::Connection,
    sql: &str,
    write_unlocked: bool,
    refused: &Mutex<Option<String>>,
) -> Result<ConsoleOutcome, ConsoleError> {
    let explain = |error: rusqlite::Error| {
        if let Some(reason) = refused.lock().ok().and_then(|mut slot| slot.take()) {
            return ConsoleError::Refused(reason);
        }
        match error {
            rusqlite::Error::MultipleStatement => ConsoleError::SeveralStatements,
            rusqlite::Error::SqliteFailure(code, _)
                if code.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                ConsoleError::Refused(
                    "the statement ran too long and was stopped; add a LIMIT or a WHERE"
                        .to_string(),
                )
            }
            other => ConsoleError::Sql(other.to_string()),
        }
    };
    let mut statement = conn.prepare(sql).map_err(explain)?;
    let wrote = !statement.readonly();
    if wrote && !write_unlocked {
        return Err(ConsoleError::WriteLocked);
    }
    let columns: Vec<String> = statement.column_names().map(str::to_string).collect();
    let count = columns.len();
    let mut grid = Grid {
        columns,
        rows: Vec::new(),
    };
    let mut truncated = false;
    let before = conn.total_changes();
    {
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next().map_err(explain)? {
            if grid.rows.len() == MAX_CONSOLE_ROWS {
                truncated = true;
                if !wrote {
                    break;
                }
                // A write with RETURNING must run to the end; only the first rows are kept.
                continue;
            }
            let mut cells = Vec::with_capacity(count);
            for index in 0..count {
                cells.push(cell_text(row.get_ref(index).map_err(explain)?));
            }
            grid.rows.push(cells);
        }
    }
    let changes = if wrote {
        conn.total_changes().saturating_sub(before)
    } else {
        0
    };
    Ok(ConsoleOutcome {
        grid,
        truncated,
        wrote,
        changes,
    })
}
