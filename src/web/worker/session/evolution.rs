//! The schema evolution demo: the built-in demo database (with its sample rows) migrated to
//! one state of the history at a time, with what that step added and removed and every
//! table's row count after it, so a presenter can show the schema growing while the data
//! stays. Runs on a fresh demo each time; the open file is not touched.

use super::Session;
use crate::schema::{describe_change, diff, erd, Difference};
use crate::web::protocol::inspect::EvolutionView;
use crate::web::worker::demo::{build_demo, DEMO_REVISION};
use crate::{Database, History};

/// The steps: base, then every revision oldest first (the graph's rows, bottom up).
pub(super) fn evolution_steps(history: &History) -> Vec<(String, String)> {
    let mut steps = vec![("base".to_string(), "base (empty)".to_string())];
    let layout = history.layout();
    for node in layout.nodes.iter().rev() {
        if let Some(revision) = history.get(&node.id) {
            steps.push((
                revision.id.clone(),
                format!("{} {}", revision.id, revision.message),
            ));
        }
    }
    steps
}

/// What the evolution steps through: the demo (with its rows) when the history in use has
/// the demo's revision, else an empty database (another application's history).
fn sample(history: &History) -> Result<Database, crate::Error> {
    if history.get(DEMO_REVISION).is_some() {
        build_demo(history)
    } else {
        Ok(Database::new_empty()?)
    }
}

/// Added and removed tables / columns of a diff from the previous state to this one.
fn added_and_removed(changes: &[Difference]) -> (Vec<String>, Vec<String>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for change in changes {
        match change {
            Difference::ExtraTable { table } => added.push(table.clone()),
            Difference::MissingTable { table } => removed.push(format!("table {table}")),
            Difference::ExtraColumn { table, column } => {
                added.push(format!("{table}.{}", column.name));
            }
            Difference::MissingColumn { table, column } => {
                removed.push(format!("column {table}.{}", column.name));
            }
            _ => {}
        }
    }
    (added, removed)
}

impl Session {
    /// Step `step` of the evolution demo (clamped to the last step).
    pub(super) fn evolution(&self, step: usize) -> Result<EvolutionView, String> {
        let history = &*self.migrations.history;
        let steps = evolution_steps(history);
        let step = step.min(steps.len() - 1);
        let failed =
            |error: crate::Error| format!("the evolution demo failed at step {step}: {error}");
        let rows_of = |index: usize| -> Result<Vec<String>, String> {
            history
                .state_of(&steps[index].0)
                .map_err(|e| failed(e.into()))
        };
        // What the step's migration itself changes: from its down revision(s), not from the
        // previous step (which may sit on the other side of a branch).
        let before = history
            .get(&steps[step].0)
            .map(|revision| revision.down_revisions.clone())
            .unwrap_or_default();
        let after = rows_of(step)?;
        let changes = diff(
            &Database::expected_schema_at(history, &before).map_err(failed)?,
            &Database::expected_schema_at(history, &after).map_err(failed)?,
        );
        let (added, removed) = added_and_removed(&changes);
        // The demo's rows, migrated to this state the way a user would (down to the revisions
        // both share, then up).
        let mut demo = sample(history).map_err(failed)?;
        let current = demo.current_versions().map_err(|e| failed(e.into()))?;
        for plan in history
            .plan_between(&current, &after)
            .map_err(|e| failed(e.into()))?
        {
            demo.apply(history, &plan, |_| {})
                .map_err(|e| failed(e.into()))?;
        }
        let counts = demo
            .table_summaries()
            .map_err(|e| format!("the evolution demo failed at step {step}: {e}"))?;
        let diagram = erd::layout(&demo.schema().map_err(|e| failed(e.into()))?);
        Ok(EvolutionView {
            step,
            steps: steps.into_iter().map(|(_, label)| label).collect(),
            changes: changes.iter().map(describe_change).collect(),
            added,
            removed,
            counts,
            diagram,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_adds_tables_and_columns_and_keeps_the_rows() {
        let session = Session::new().expect("history");
        let first = session.evolution(1).expect("step 1");
        assert_eq!(first.steps[0], "base (empty)");
        assert!(first.added.contains(&"posts".to_string()), "{first:?}");
        let count = |view: &EvolutionView, table: &str| {
            view.counts.iter().find(|t| t.name == table).map(|t| t.rows)
        };
        let ownership = first
            .steps
            .iter()
            .position(|s| s.starts_with("c3e7a1d9f482"))
            .expect("c3e7 is a step");
        let view = session.evolution(ownership).expect("ownership step");
        assert!(
            view.added.contains(&"posts.user_id".to_string()),
            "{view:?}"
        );
        assert_eq!(count(&view, "posts"), Some(5), "the demo's posts survive");
        let last = session.evolution(usize::MAX).expect("clamped");
        assert_eq!(last.step, last.steps.len() - 1);
        assert_eq!(count(&last, "posts"), Some(5));
        assert!(last.removed.is_empty() || !last.changes.is_empty());
        assert!(
            view.removed.is_empty(),
            "c3e7a1d9f482 only adds to its down revision: {view:?}"
        );
    }
}
