//! Migrating the open database to any target the CLI accepts, with a preview first: the plan's
//! steps and SQL, the data they drop (with counts from the open file), and the schema change.
//!
//! One text box serves both directions, so the direction is chosen the way a user means it:
//! `base` and `-N` go down; anything else is tried as an upgrade first and, when Alembic would
//! refuse it as an upgrade target, or it would run nothing (an older revision, `head-2` from
//! head), as a downgrade. When
//! neither works the planner's own message for the upgrade is shown.

use std::cell::RefCell;

use super::{OpenDatabase, Session};
use crate::db::{PlanProgress, StepLoss};
use crate::diagnose::RowsProblem;
use crate::revision::{version_statement, RevisionError};
use crate::schema::{describe_change, diff};
use crate::web::protocol::{Fraction, LogEntry, Preview, PreviewStep, Response, Snapshot};
use crate::web::worker::error::WebError;
use crate::{Database, History, Plan};

/// Plans `target` from `current`: a stamp, an upgrade or a downgrade (see the module doc).
pub fn plan_for(
    history: &History,
    current: &[String],
    target: &str,
    stamp: bool,
) -> Result<(Plan, &'static str), RevisionError> {
    let target = target.trim();
    if stamp {
        // Rows no plan can start from are the case a stamp must replace every row (Alembic's
        // `stamp --purge`); a repeated row cannot be deleted as one, its table goes first.
        let purge = matches!(
            RowsProblem::check(history, "", current),
            Err(RowsProblem::Unknown { .. } | RowsProblem::Overlapping { .. })
        );
        return Ok((history.plan_stamp(current, target, purge)?, "stamp"));
    }
    if target == "base" || target.starts_with('-') {
        return Ok((history.plan_downgrade(current, target)?, "downgrade"));
    }
    match history.plan_upgrade(current, target) {
        // Alembic's `upgrade OLDER` does nothing; in one box the user means going down there.
        Ok(plan) if plan.steps.is_empty() => match history.plan_downgrade(current, target) {
            Ok(down) if !down.steps.is_empty() => Ok((down, "downgrade")),
            _ => Ok((plan, "upgrade")),
        },
        Ok(plan) => Ok((plan, "upgrade")),
        Err(upgrade_error) => match history.plan_downgrade(current, target) {
            Ok(plan) => Ok((plan, "downgrade")),
            Err(_) => Err(upgrade_error),
        },
    }
}

/// The SQL one step runs: its section (unless stamping) and its `alembic_version` statements.
fn step_sql(history: &History, plan: &Plan, index: usize) -> String {
    let step = &plan.steps[index];
    let mut sql = String::new();
    let section = history.section_sql(step).unwrap_or("").trim();
    if !section.is_empty() {
        sql.push_str(section);
        sql.push('\n');
    }
    for op in &step.version_ops {
        sql.push_str(&version_statement(op));
        sql.push('\n');
    }
    sql
}

/// The [`Response::Working`] for a plan's progress: the whole plan's fraction and the running
/// step in words.
pub fn working(running: &PlanProgress) -> Response {
    Response::Working {
        fraction: Fraction::new(running.overall()),
        label: format!(
            "step {} of {}: {}",
            running.index + 1,
            running.steps,
            running.step.log_line
        ),
    }
}

/// The share of a change's bar taken by the quick check the open file still owes before it
/// (reading the file ahead and checking it), when it owes one; the steps take the rest, so the
/// bar never goes back between the two.
const OWED_CHECK_SHARE: f64 = 0.5;

/// Where the steps' part of the bar of a change to `open` starts (see [`OWED_CHECK_SHARE`]).
pub(super) fn check_share(open: &OpenDatabase) -> f64 {
    if open.db.owes_check() {
        OWED_CHECK_SHARE
    } else {
        0.0
    }
}

/// `post` for one part of an operation, `from..to` of its bar: each [`Response::Working`]
/// fraction is mapped into that part; everything else passes as it is.
pub(super) fn within<'a>(
    from: f64,
    to: f64,
    post: &'a mut dyn FnMut(Response),
) -> impl FnMut(Response) + 'a {
    move |response| match response {
        Response::Working { fraction, label } => post(Response::Working {
            fraction: Fraction::new(from + (to - from) * fraction.get()),
            label,
        }),
        other => post(other),
    }
}

/// Applies `plan` to `open`'s database, posting through `post` a [`Response::Progress`] as each
/// step ends and [`Response::Working`] while one runs, and appending each step's log entry to
/// `log`; keeps the last step's `foreign_key_check` as the check of the state it leaves. Timed
/// as SQLite's own work for the benchmark (`sqlite:migration`, see `crate::timing`).
pub(super) fn apply_posting(
    open: &mut OpenDatabase,
    history: &History,
    plan: &Plan,
    post: &mut dyn FnMut(Response),
    log: &mut Vec<LogEntry>,
) -> Result<(), crate::db::DbError> {
    let total = plan.steps.len();
    // Both callbacks post: one between steps, one during them.
    let post = RefCell::new(post);
    let report = crate::timing::span("sqlite:migration", || {
        open.db.apply_with_progress(
            history,
            plan,
            |report| {
                let entry = LogEntry {
                    line: report.step.log_line.clone(),
                    millis: report.millis,
                };
                log.push(entry.clone());
                (*post.borrow_mut())(Response::Progress {
                    done: log.len(),
                    total,
                    entry,
                });
            },
            |running| (*post.borrow_mut())(working(running)),
        )
    })?;
    open.keep_foreign_keys(&report);
    Ok(())
}

impl Session {
    /// The plan (and its action word) from the open database's revision rows to `target`;
    /// rows of which one is an ancestor of another are refused unless it is a stamp.
    fn plan_from_open(&self, target: &str, stamp: bool) -> Result<(Plan, &'static str), WebError> {
        let open = self.open.as_ref().ok_or(WebError::NothingOpen)?;
        let plan_error = |source: crate::Error| WebError::Plan {
            target: target.to_string(),
            source: Box::new(source),
        };
        let current = open
            .db
            .current_versions()
            .map_err(|e| plan_error(e.into()))?;
        if !stamp {
            super::refuse_rows(&self.migrations.history, &open.file_name, &current)?;
        }
        plan_for(&self.migrations.history, &current, target, stamp)
            .map_err(|e| plan_error(e.into()))
    }

    /// The preview of migrating the open database to `target`.
    pub fn preview(&self, target: &str, stamp: bool) -> Result<Preview, WebError> {
        let (plan, action) = self.plan_from_open(target, stamp)?;
        let open = self.open.as_ref().ok_or(WebError::NothingOpen)?;
        let plan_error = |source: crate::Error| WebError::Plan {
            target: target.to_string(),
            source: Box::new(source),
        };
        let losses: Vec<StepLoss> = if stamp || plan.steps.is_empty() {
            Vec::new()
        } else {
            open.db
                .data_loss(&self.migrations.history, &plan)
                .map_err(plan_error)?
        };
        let steps = (0..plan.steps.len())
            .map(|index| PreviewStep {
                line: plan.steps[index].log_line.clone(),
                sql: step_sql(&self.migrations.history, &plan, index),
                losses: losses
                    .get(index)
                    .map(|loss| loss.dropped.sentences())
                    .unwrap_or_default(),
            })
            .collect::<Vec<_>>();
        let schema_changes = if stamp {
            vec!["no schema change: a stamp only rewrites alembic_version".to_string()]
        } else {
            let before =
                Database::expected_schema_at(&self.migrations.history, &plan.versions_before)
                    .map_err(plan_error)?;
            let after =
                Database::expected_schema_at(&self.migrations.history, &plan.versions_after)
                    .map_err(plan_error)?;
            diff(&before, &after).iter().map(describe_change).collect()
        };
        Ok(Preview {
            target: target.to_string(),
            action: action.to_string(),
            versions_before: plan.versions_before.clone(),
            versions_after: plan.versions_after.clone(),
            losses: steps.iter().flat_map(|s| s.losses.clone()).collect(),
            loses_data: losses.iter().any(|loss| loss.dropped.loses_data()),
            steps,
            schema_changes,
        })
    }

    /// Migrates (or stamps) the open database to `target`, calling `progress` after each step.
    /// A checkpoint is taken first, so the whole operation can be undone; a failing step leaves
    /// the database at the last good state and the error names the revision and statement.
    pub fn migrate(
        &mut self,
        target: &str,
        stamp: bool,
        progress: &mut dyn FnMut(Response),
    ) -> Result<(Snapshot, Vec<LogEntry>), (WebError, Vec<LogEntry>)> {
        let history = self.history();
        let history = &*history;
        let fail = |error| (error, Vec::new());
        let (plan, action) = self.plan_from_open(target, stamp).map_err(fail)?;
        let mut log = Vec::new();
        let share = self.open.as_ref().map_or(0.0, check_share);
        if !plan.steps.is_empty() {
            self.ensure_room(&plan, action, target.trim())
                .map_err(fail)?;
            let words = self.change_words(action, target.trim());
            self.open
                .as_mut()
                .ok_or(WebError::NothingOpen)
                .and_then(|open| open.ensure_sound(&mut within(0.0, share, progress)))
                .map_err(fail)?;
            self.checkpoint(&format!("{action} to {}", target.trim()))
                .map_err(fail)?;
            let open = self
                .open
                .as_mut()
                .ok_or(WebError::NothingOpen)
                .map_err(fail)?;
            let mut steps = within(share, 1.0, progress);
            let result = apply_posting(open, history, &plan, &mut steps, &mut log);
            if let Err(source) = result {
                let file_name = open.file_name.clone();
                let error = super::room::step_error(source, words, |source| WebError::Migrate {
                    file_name,
                    target: target.to_string(),
                    source,
                });
                if log.is_empty() {
                    // Nothing changed: there is nothing to undo.
                    self.drop_checkpoint();
                }
                return Err((error, log));
            }
        }
        self.current_snapshot()
            .map(|snapshot| (snapshot, log))
            .map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::{Direction, Step};

    #[test]
    fn working_names_the_running_step_and_the_share_of_the_plan() {
        let step = Step {
            revision: "0a6c9e3f5b71".into(),
            direction: Direction::Upgrade,
            run_sql: true,
            version_ops: vec![],
            log_line: "Running upgrade f17b8d2e4c90 -> 0a6c9e3f5b71, add scheduled status".into(),
        };
        let running = PlanProgress {
            step: &step,
            index: 1,
            steps: 4,
            step_fraction: 0.5,
        };
        assert_eq!(
            working(&running),
            Response::Working {
                fraction: Fraction::new(0.375),
                label: "step 2 of 4: Running upgrade f17b8d2e4c90 -> 0a6c9e3f5b71, add scheduled \
                        status"
                    .into(),
            }
        );
    }
}
