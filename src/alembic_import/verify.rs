//! Replays the imported files with content-db along the walk Alembic took and compares the
//! schema after every step with Alembic's copy of its scratch file: the files are accepted only
//! if both tools leave the same tables, columns, indexes, foreign keys, CHECKs and
//! `alembic_version` rows at every step, up to the heads and back down to base, and at each
//! revision that was first run beside another branch on its own as well.

use std::path::Path;

use super::capture::{CapturedStep, Run};
use super::{ImportError, ImportedFile};
use crate::db::Database;
use crate::revision::{Direction, History, Plan, Step};
use crate::schema::Schema;

/// Checks `files` against every run of the driver that kept snapshots.
pub fn replay_matches(
    files: &[ImportedFile],
    runs: &[Run],
    base_sql: &str,
) -> Result<(), ImportError> {
    let sources: Vec<(String, &str)> = files
        .iter()
        .map(|file| (file.name.clone(), file.text.as_str()))
        .collect();
    let pairs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), *text))
        .collect();
    let history = History::from_files(&pairs)?;
    let hand_written = |id: &str| {
        files
            .iter()
            .find(|file| file.revision == id && file.hand_written)
            .map(|file| file.name.clone())
    };
    for run in runs {
        if run.name == "walk" {
            walk(&history, run, base_sql, &hand_written)?;
        } else if let Some(id) = run.name.strip_prefix("isolated-") {
            isolated(&history, id, run, base_sql, &hand_written)?;
        }
    }
    Ok(())
}

/// Upgrade to the heads, then downgrade to base, one step at a time, with content-db's own
/// plans (which must run the steps in Alembic's order).
fn walk(
    history: &History,
    run: &Run,
    base_sql: &str,
    hand_written: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ImportError> {
    let mut database = replayed(history, base_sql, &[])?;
    let ups: Vec<&CapturedStep> = run.steps.iter().filter(|s| s.is_upgrade()).collect();
    let downs: Vec<&CapturedStep> = run.steps.iter().filter(|s| !s.is_upgrade()).collect();
    let up_plan = history.plan_upgrade(&[], "heads")?;
    follow(
        history,
        &mut database,
        &up_plan,
        &ups,
        base_sql,
        hand_written,
    )?;
    // Alembic's steps, an irreversible downgrade among them (refused to users, not here).
    let down_plan = history.plan_downgrade_regardless(&database.current_versions()?, "base")?;
    follow(
        history,
        &mut database,
        &down_plan,
        &downs,
        base_sql,
        hand_written,
    )
}

fn follow(
    history: &History,
    database: &mut Database,
    plan: &Plan,
    alembics: &[&CapturedStep],
    base_sql: &str,
    hand_written: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ImportError> {
    let ours: Vec<String> = plan.steps.iter().map(step_name).collect();
    let theirs: Vec<String> = alembics
        .iter()
        .map(|step| format!("{} {}", step.direction, step.revision))
        .collect();
    if ours != theirs {
        return Err(ImportError::OrderDiffers {
            ours: ours.join(", "),
            alembics: theirs.join(", "),
        });
    }
    let context = if plan.steps.first().map(|s| s.direction) == Some(Direction::Upgrade) {
        "walking up from an empty database to the heads"
    } else {
        "walking down from the heads to base"
    };
    for (step, alembic) in plan.steps.iter().zip(alembics) {
        if alembic.failed.is_some() {
            // Alembic went on from a new file at the rows after this step; so does the replay.
            *database = replayed(history, base_sql, &alembic.heads)?;
            continue;
        }
        let single = Plan {
            steps: vec![step.clone()],
            versions_before: Vec::new(),
            versions_after: Vec::new(),
        };
        database.apply(history, &single, |_| {})?;
        compare(database, alembic, context, false, hand_written)?;
    }
    Ok(())
}

/// `upgrade REV` on a new database, then the revision's own downgrade.
fn isolated(
    history: &History,
    id: &str,
    run: &Run,
    base_sql: &str,
    hand_written: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ImportError> {
    let [up, down] = run.steps.as_slice() else {
        return Err(ImportError::Driver {
            detail: format!("its run `{}` does not hold exactly two steps", run.name),
        });
    };
    let context = "upgraded to on its own, without the other branches";
    let mut database = replayed(history, base_sql, &[id.to_string()])?;
    compare(&database, up, context, false, hand_written)?;
    if down.failed.is_some() {
        return Ok(()); // its downgrade raises in Alembic: the file marks it irreversible
    }
    // Only the section runs: which rows Alembic keeps in alembic_version after taking one
    // revision off is the planner's business, checked in the walk.
    let section_only = Step {
        revision: id.to_string(),
        direction: Direction::Downgrade,
        run_sql: true,
        version_ops: Vec::new(),
        log_line: String::new(),
    };
    let single = Plan {
        steps: vec![section_only],
        versions_before: Vec::new(),
        versions_after: Vec::new(),
    };
    database.apply(history, &single, |_| {})?;
    compare(&database, down, context, true, hand_written)
}

/// A new database made by `base_sql`, then upgraded to each of `revisions` in turn.
fn replayed(
    history: &History,
    base_sql: &str,
    revisions: &[String],
) -> Result<Database, ImportError> {
    let mut database = Database::new_empty()?;
    database.execute_script(base_sql)?;
    for revision in revisions {
        let plan = history.plan_upgrade(&database.current_versions()?, revision)?;
        database.apply(history, &plan, |_| {})?;
    }
    Ok(database)
}

fn step_name(step: &Step) -> String {
    let direction = match step.direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    format!("{direction} {}", step.revision)
}

/// Compares the replayed database with Alembic's snapshot after `alembic`.
fn compare(
    database: &Database,
    alembic: &CapturedStep,
    context: &str,
    ignore_versions: bool,
    hand_written: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ImportError> {
    let snapshot = alembic
        .snapshot
        .as_deref()
        .ok_or_else(|| ImportError::Driver {
            detail: format!(
                "no copy of the database after {} {}",
                alembic.direction, alembic.revision
            ),
        })?;
    let mut expected = Database::open_path(Path::new(snapshot))?.schema()?;
    let mut actual = database.schema()?;
    if ignore_versions {
        expected.alembic_version = None;
        actual.alembic_version = None;
    }
    if expected == actual {
        return Ok(());
    }
    let hint = match hand_written(&alembic.revision) {
        Some(file) => format!(
            "; {file} is hand-written: make its {} do what the Python revision does",
            alembic.direction
        ),
        None => String::new(),
    };
    Err(ImportError::Mismatch {
        revision: alembic.revision.clone(),
        direction: alembic.direction.clone(),
        context: context.to_string(),
        differences: differences(&expected, &actual),
        hint,
    })
}

/// The differences in words, the version rows included.
fn differences(expected: &Schema, actual: &Schema) -> String {
    let mut said: Vec<String> = crate::schema::diff(expected, actual)
        .iter()
        .map(ToString::to_string)
        .collect();
    if expected.alembic_version != actual.alembic_version {
        said.push(format!(
            "alembic_version holds {:?} where Alembic's holds {:?}",
            actual.alembic_version.clone().unwrap_or_default(),
            expected.alembic_version.clone().unwrap_or_default()
        ));
    }
    if said.is_empty() {
        said.push("the schemas differ in a detail the comparison does not word".to_string());
    }
    said.join("; ")
}
