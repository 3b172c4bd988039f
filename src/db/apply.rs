//! Runs a [`crate::revision::Plan`]: one transaction per step, foreign keys off during the
//! step, `foreign_key_check` before it is accepted; a failing step leaves the database exactly
//! as it was before that step. Called inside a transaction with foreign keys off (the command
//! line's, see `in_place.rs`), each step is a savepoint of it instead, and the caller commits.
//!
//! A step is refused when it leaves a foreign key violation that was not there before it. One
//! `foreign_key_check` per step does that in the common case: the state after step k is the state
//! before step k+1, so the violations found after a step are the "before" of the next one; only
//! when the first check of a plan finds violations is the step rolled back, the violations of the
//! file as it was counted, and the step run again (a file with orphan rows pays for one step
//! twice, a clean file for no check before). `integrity_check` is not run per step: a transaction
//! that commits cannot turn a sound file into a damaged one (SQLite's own guarantee), the file is
//! `quick_check`ed when opened, and [`Database::integrity_problems`] runs once before a changed
//! file leaves (the CLI before writing it, the page's download and overview).

use super::progress::{self, PlanProgress};
use super::statements::{run_script, sqlite_message};
use super::version_table::{self, VersionOpError};
use super::{Database, DbError};
use crate::revision::{Direction, History, Plan, Step};
use crate::timing::Stopwatch;
use rusqlite::Connection;

/// What happened in one step.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StepReport {
    /// The step that ran.
    pub step: Step,
    /// How long it took, in milliseconds.
    pub millis: f64,
}

/// What a whole plan did.
#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    /// Every step that completed, in order.
    pub steps: Vec<StepReport>,
    /// What `foreign_key_check` found after the last step, in the state the plan left (`None`
    /// when no step ran): a caller may keep it as that state's check.
    pub violations_after: Option<Vec<ForeignKeyViolation>>,
}

impl Database {
    /// Applies `plan`, calling `on_step` after each completed step. On failure the database is
    /// left at the last good state (the end of the last completed step).
    pub fn apply(
        &mut self,
        history: &History,
        plan: &Plan,
        on_step: impl FnMut(&StepReport),
    ) -> Result<ApplyReport, DbError> {
        self.apply_with_progress(history, plan, on_step, |_| {})
    }

    /// [`Database::apply`], also telling `on_progress` how far the running step is, at most
    /// every ~100 ms while it runs (see `progress.rs`). `on_progress` must not use the database.
    pub fn apply_with_progress(
        &mut self,
        history: &History,
        plan: &Plan,
        on_step: impl FnMut(&StepReport),
        mut on_progress: impl FnMut(&PlanProgress),
    ) -> Result<ApplyReport, DbError> {
        let section_sql = |step: &Step| -> Result<&str, DbError> {
            history
                .section_sql(step)
                .ok_or_else(|| DbError::UnknownRevision {
                    revision: step.revision.clone(),
                })
        };
        self.apply_steps_with_progress(&plan.steps, section_sql, on_step, &mut on_progress)
    }

    /// [`Database::apply`] with the SQL of each step supplied by `section_sql` (tests hand in
    /// steps built without a [`History`]).
    #[cfg(test)]
    pub(crate) fn apply_steps<'sql>(
        &mut self,
        steps: &[Step],
        section_sql: impl Fn(&Step) -> Result<&'sql str, DbError>,
        on_step: impl FnMut(&StepReport),
    ) -> Result<ApplyReport, DbError> {
        self.apply_steps_with_progress(steps, section_sql, on_step, &mut |_| {})
    }

    /// [`Database::apply_steps`] reporting progress within each step to `on_progress`.
    fn apply_steps_with_progress<'sql>(
        &mut self,
        steps: &[Step],
        section_sql: impl Fn(&Step) -> Result<&'sql str, DbError>,
        mut on_step: impl FnMut(&StepReport),
        on_progress: &mut dyn FnMut(&PlanProgress),
    ) -> Result<ApplyReport, DbError> {
        let mut report = ApplyReport::default();
        // The violations the database has now, once a check has told (None: not known yet).
        let mut known: Option<Vec<ForeignKeyViolation>> = None;
        for step in steps {
            let sql = if step.run_sql { section_sql(step)? } else { "" };
            let stopwatch = Stopwatch::start();
            let (index, total) = (report.steps.len(), steps.len());
            let mut on_fraction = |step_fraction| {
                on_progress(&PlanProgress {
                    step,
                    index,
                    steps: total,
                    step_fraction,
                })
            };
            known = Some(progress::watch(&self.conn, &mut on_fraction, || {
                run_step(&self.conn, step, sql, known.take())
            })?);
            let step_report = StepReport {
                step: step.clone(),
                millis: stopwatch.elapsed_millis(),
            };
            on_step(&step_report);
            report.steps.push(step_report);
        }
        report.violations_after = known;
        Ok(report)
    }
}

/// One step in its own transaction, with foreign keys off and restored afterwards; or, when the
/// caller holds a transaction with foreign keys already off (the command line's one transaction
/// per command, see `in_place.rs`), in a savepoint of it. `before` are the violations at the
/// start of the step when known; returns those at its end.
fn run_step(
    conn: &Connection,
    step: &Step,
    sql: &str,
    before: Option<Vec<ForeignKeyViolation>>,
) -> Result<Vec<ForeignKeyViolation>, DbError> {
    let foreign_keys_were_on: bool =
        conn.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
    if !conn.is_autocommit() {
        // Inside a transaction the pragma cannot be switched off any more.
        if foreign_keys_were_on {
            return Err(DbError::TransactionOpen);
        }
        return run_checked(conn, Scope::Savepoint, step, sql, before);
    }
    // Migrations rebuild tables (create, copy, drop, rename); with foreign keys on, the DROP
    // would cascade into referencing rows. Alembic's connection has them off too (Python's
    // sqlite3 default). The pragma is a no-op inside a transaction, hence before BEGIN.
    conn.pragma_update(None, "foreign_keys", false)?;
    let outcome = run_checked(conn, Scope::Transaction, step, sql, before);
    let restored = conn.pragma_update(None, "foreign_keys", foreign_keys_were_on);
    let after = outcome?;
    restored?;
    Ok(after)
}

/// The step in `scope`, accepted or failed: when it left violations and nobody knew which were
/// there before, it was undone, so the database is as before the step; they are counted and the
/// step runs again.
fn run_checked(
    conn: &Connection,
    scope: Scope,
    step: &Step,
    sql: &str,
    before: Option<Vec<ForeignKeyViolation>>,
) -> Result<Vec<ForeignKeyViolation>, DbError> {
    let mut checked = run_scoped(conn, scope, step, sql, before.as_deref())?;
    if let Checked::NeedsBefore = checked {
        let before = foreign_key_violations(conn)?;
        checked = run_scoped(conn, scope, step, sql, Some(&before))?;
    }
    match checked {
        Checked::Accepted(after) => Ok(after),
        Checked::NeedsBefore => unreachable!("a step run with its \"before\" is accepted or fails"),
    }
}

/// What the check at the end of a step concluded.
enum Checked {
    /// Committed; these are the violations the database has now.
    Accepted(Vec<ForeignKeyViolation>),
    /// Rolled back: the step left violations, and which of them are new cannot be told without
    /// the violations from before the step.
    NeedsBefore,
}

/// What a step runs in: a transaction of its own, or a savepoint of the caller's transaction.
#[derive(Clone, Copy)]
enum Scope {
    /// BEGIN … COMMIT.
    Transaction,
    /// SAVEPOINT … RELEASE, inside a transaction the caller commits.
    Savepoint,
}

impl Scope {
    /// The statements that open, keep and undo the scope.
    fn statements(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Scope::Transaction => ("BEGIN", "COMMIT", "ROLLBACK"),
            Scope::Savepoint => (
                "SAVEPOINT content_db_step",
                "RELEASE content_db_step",
                "ROLLBACK TO content_db_step; RELEASE content_db_step",
            ),
        }
    }
}

/// Opens `scope`, runs the step, keeps it; undoes it on any error (and for
/// [`Checked::NeedsBefore`]) so nothing of the step remains.
fn run_scoped(
    conn: &Connection,
    scope: Scope,
    step: &Step,
    sql: &str,
    before: Option<&[ForeignKeyViolation]>,
) -> Result<Checked, DbError> {
    let (open, keep, undo) = scope.statements();
    conn.execute_batch(open)?;
    let result = step_body(conn, step, sql, before).and_then(|checked| {
        let end = match checked {
            Checked::Accepted(_) => keep,
            Checked::NeedsBefore => undo,
        };
        conn.execute_batch(end)
            .map(|()| checked)
            .map_err(DbError::from)
    });
    if result.is_err() {
        // The step's error is the one to report; an undo that fails (SQLite may have rolled
        // the whole transaction back already, e.g. on a full disk) leaves nothing better to do.
        let _ = match scope {
            Scope::Transaction if conn.is_autocommit() => Ok(()),
            _ => conn.execute_batch(undo),
        };
    }
    result
}

/// The step's work inside its transaction: version table, SQL, version rows, the foreign key
/// check.
fn step_body(
    conn: &Connection,
    step: &Step,
    sql: &str,
    before: Option<&[ForeignKeyViolation]>,
) -> Result<Checked, DbError> {
    let direction = direction_word(step);
    version_table::ensure(conn)?;
    if step.run_sql {
        run_script(conn, sql).map_err(|error| DbError::StepFailed {
            revision: step.revision.clone(),
            direction: direction.to_string(),
            statement: error.statement,
            message: error.message,
        })?;
    }
    for op in &step.version_ops {
        version_table::apply_op(conn, op).map_err(|error| match error {
            VersionOpError::Mismatch(message) => DbError::VersionRows {
                revision: step.revision.clone(),
                direction: direction.to_string(),
                message,
            },
            VersionOpError::Sqlite(error) => DbError::StepFailed {
                revision: step.revision.clone(),
                direction: direction.to_string(),
                statement: version_table::describe_op(op),
                message: sqlite_message(&error),
            },
        })?;
    }
    let after = foreign_key_violations(conn)?;
    if after.is_empty() {
        return Ok(Checked::Accepted(after));
    }
    // Rows that already broke a foreign key before the step are the file's own business
    // (ContentEngine runs with foreign keys off, as SQLAlchemy does by default, so orphans can
    // exist); Alembic migrates such files, so only violations this step made fail it.
    let Some(before) = before else {
        return Ok(Checked::NeedsBefore);
    };
    let new_violations = subtract(after.clone(), before);
    if !new_violations.is_empty() {
        return Err(DbError::CheckFailed {
            revision: step.revision.clone(),
            direction: direction.to_string(),
            check: "foreign_key_check".to_string(),
            details: describe_violations(&new_violations),
        });
    }
    Ok(Checked::Accepted(after))
}

/// `upgrade`, `downgrade`, or `stamp` for a step that only changes version rows.
fn direction_word(step: &Step) -> &'static str {
    match (step.run_sql, step.direction) {
        (false, _) => "stamp",
        (true, Direction::Upgrade) => "upgrade",
        (true, Direction::Downgrade) => "downgrade",
    }
}

/// One row of `PRAGMA foreign_key_check`: the table, the row, the table it should reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyViolation {
    /// The table whose row refers to a missing one.
    pub table: String,
    /// That row's rowid (`None` for a table without one).
    pub rowid: Option<i64>,
    /// The table the missing row should be in.
    pub parent: String,
}

impl ForeignKeyViolation {
    /// The violation in words, as the page shows it.
    pub fn describe(&self) -> String {
        let row = self
            .rowid
            .map_or("a row".to_string(), |id| format!("row {id}"));
        format!(
            "{}: {row} refers to a missing row of {}",
            self.table, self.parent
        )
    }
}

impl Database {
    /// Every row of `PRAGMA foreign_key_check` on the database as it is.
    pub fn foreign_key_violations(&self) -> rusqlite::Result<Vec<ForeignKeyViolation>> {
        foreign_key_violations(&self.conn)
    }
}

/// Every row of `PRAGMA foreign_key_check` (which works whatever `foreign_keys` is set to).
fn foreign_key_violations(conn: &Connection) -> rusqlite::Result<Vec<ForeignKeyViolation>> {
    let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = statement.query_map([], |row| {
        Ok(ForeignKeyViolation {
            table: row.get(0)?,
            rowid: row.get(1)?,
            parent: row.get(2)?,
        })
    })?;
    rows.collect()
}

/// `after` without the rows also in `before` (as multisets).
fn subtract(
    after: Vec<ForeignKeyViolation>,
    before: &[ForeignKeyViolation],
) -> Vec<ForeignKeyViolation> {
    let mut unmatched: Vec<&ForeignKeyViolation> = before.iter().collect();
    after
        .into_iter()
        .filter(
            |violation| match unmatched.iter().position(|old| *old == violation) {
                Some(position) => {
                    unmatched.swap_remove(position);
                    false
                }
                None => true,
            },
        )
        .collect()
}

/// The violations in words, the first few named.
fn describe_violations(violations: &[ForeignKeyViolation]) -> String {
    const SHOWN: usize = 3;
    let examples: Vec<String> = violations
        .iter()
        .take(SHOWN)
        .map(|violation| match violation.rowid {
            Some(rowid) => format!(
                "{} row {rowid} points to a missing {} row",
                violation.table, violation.parent
            ),
            None => format!(
                "a {} row points to a missing {} row",
                violation.table, violation.parent
            ),
        })
        .collect();
    let more = violations.len().saturating_sub(SHOWN);
    let mut text = format!(
        "{} foreign key violation{}: {}",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" },
        examples.join(", ")
    );
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

impl Database {
    /// The messages of `PRAGMA integrity_check`; empty when it says `ok`. Steps do not run it
    /// (see the module doc): run it once before a changed file is written or handed out.
    pub fn integrity_problems(&self) -> Result<Vec<String>, DbError> {
        let mut statement = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
        let messages = rows.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(messages
            .into_iter()
            .filter(|message| message != "ok")
            .collect())
    }
}

#[cfg(test)]
mod tests;
