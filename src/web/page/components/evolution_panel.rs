//! The schema evolution demo (`evolution`): the demo database stepped through the history one
//! state at a time (`evolution-prev`, `evolution-next`), the diagram after each step with what
//! it added highlighted (`evolution-erd`), what it removed, and every table's row count
//! (`evolution-counts`), so the data can be seen to survive.

use yew::prelude::*;

use super::ErdSvg;
use crate::web::protocol::inspect::EvolutionView;

/// Props of [`EvolutionPanel`].
#[derive(Properties, PartialEq)]
pub struct EvolutionPanelProps {
    /// The step on screen (none until started).
    pub view: Option<EvolutionView>,
    /// Show this step.
    pub on_step: Callback<usize>,
}

/// Start button, or the step with its controls.
#[function_component(EvolutionPanel)]
pub fn evolution_panel(props: &EvolutionPanelProps) -> Html {
    let go = |step: usize| props.on_step.reform(move |_: MouseEvent| step);
    let Some(view) = &props.view else {
        return html! {
            <div class="evolution" data-testid="evolution">
                <h2 id="evolution-heading">{ "Schema evolution" }</h2>
                <p class="hint">{ "Step through the history on the demo database (on an empty one for another application's migrations): the diagram shows what each migration adds, and the row counts show the data surviving." }</p>
                <button type="button" class="secondary" data-testid="evolution-start" onclick={go(0)}>{ "Start at base" }</button>
            </div>
        };
    };
    let last = view.steps.len().saturating_sub(1);
    html! {
        <div class="evolution" data-testid="evolution" data-step={view.step.to_string()}>
            <h2 id="evolution-heading">{ "Schema evolution" }</h2>
            <div class="actions">
                <button type="button" class="secondary" data-testid="evolution-prev" disabled={view.step == 0}
                        onclick={go(view.step.saturating_sub(1))}>{ "← Previous" }</button>
                <span data-testid="evolution-step">
                    { format!("Step {} of {}: {}", view.step, last, view.steps.get(view.step).cloned().unwrap_or_default()) }
                </span>
                <button type="button" class="secondary" data-testid="evolution-next" disabled={view.step >= last}
                        onclick={go(view.step + 1)}>{ "Next →" }</button>
            </div>
            <ul class="evolution-changes">
                { for view.added.iter().map(|item| html! { <li class="added" data-testid="evolution-added">{ format!("added {item}") }</li> }) }
                { for view.removed.iter().map(|item| html! { <li class="removed" data-testid="evolution-removed">{ format!("removed {item}") }</li> }) }
            </ul>
            <p class="hint" data-testid="evolution-counts">
                { if view.counts.is_empty() { "No tables.".to_string() } else {
                    view.counts.iter().map(|t| format!("{}: {} rows", t.name, t.rows)).collect::<Vec<_>>().join(" · ") } }
            </p>
            <ErdSvg diagram={view.diagram.clone()} testid="evolution-erd" highlight={view.added.clone()} />
        </div>
    }
}
