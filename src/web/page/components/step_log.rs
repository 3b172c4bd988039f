//! The log of the last upgrade, one Alembic line per step.

use yew::prelude::*;

use crate::web::page::state::UpgradeOutcome;

/// Props of [`StepLog`].
#[derive(Properties, PartialEq)]
pub struct StepLogProps {
    /// The last upgrade, if one ran on the open database.
    pub outcome: Option<UpgradeOutcome>,
}

/// The step log (`data-testid="step-log"`).
#[function_component(StepLog)]
pub fn step_log(props: &StepLogProps) -> Html {
    let (lines, summary) = match &props.outcome {
        None => return html! {},
        Some(UpgradeOutcome::Completed(lines)) if lines.is_empty() => {
            (lines, "Already at head: no migration ran.".to_string())
        }
        Some(UpgradeOutcome::Completed(lines)) => {
            (lines, format!("Upgraded: {} step(s) ran.", lines.len()))
        }
        Some(UpgradeOutcome::Interrupted(lines)) if lines.is_empty() => (
            lines,
            "Stopped before any step completed: nothing was changed.".to_string(),
        ),
        Some(UpgradeOutcome::Interrupted(lines)) => (
            lines,
            format!(
                "Stopped after {} step(s); the failing step was rolled back.",
                lines.len()
            ),
        ),
    };
    html! {
        <div class="step-log">
            <p data-testid="upgrade-summary">{ summary }</p>
            if !lines.is_empty() {
                <ol data-testid="step-log">
                    { for lines.iter().map(|line| html! { <li><code>{ line }</code></li> }) }
                </ol>
            }
        </div>
    }
}
