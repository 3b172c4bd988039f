//! The drift check (`drift`): whether the open file's schema is what its recorded revision
//! should have, difference by difference in words; for a file with no known revision, the
//! revision its schema matches (or the closest) and a button that stamps it (`baseline-stamp`).

use yew::prelude::*;

use crate::web::protocol::inspect::{BaselineGuess, DriftView};

/// Props of [`DriftPanel`].
#[derive(Properties, PartialEq)]
pub struct DriftPanelProps {
    /// The check, once the worker sent it.
    pub drift: Option<DriftView>,
    /// Whether a stamp can start now.
    pub enabled: bool,
    /// Stamp these rows (empty: base).
    pub on_stamp: Callback<Vec<String>>,
}

fn recorded_text(view: &DriftView) -> String {
    if !view.versioned {
        "The file has no alembic_version table.".to_string()
    } else if view.recorded.is_empty() {
        "The file records no revision (base).".to_string()
    } else if view.known {
        format!("The file records revision {}.", view.recorded.join(" + "))
    } else {
        format!(
            "The file records revision {}, which this history does not know.",
            view.recorded.join(" + ")
        )
    }
}

fn differences(items: &[String]) -> Html {
    html! {
        <ul class="drift-differences">
            { for items.iter().map(|item| html! { <li data-testid="drift-difference">{ item }</li> }) }
        </ul>
    }
}

fn baseline(guesses: &[BaselineGuess], enabled: bool, on_stamp: &Callback<Vec<String>>) -> Html {
    let Some(best) = guesses.first() else {
        return html! {};
    };
    let exact = best.differences.is_empty();
    let rows = best.revisions.clone();
    let onclick = on_stamp.reform(move |_: MouseEvent| rows.clone());
    let others = guesses.iter().skip(1).map(|guess| {
        let count = guess.differences.len();
        html! {
            <li>
                <code>{ &guess.label }</code>
                { if count == 0 { " (also an exact match)".to_string() } else { format!(" ({count} difference{})", if count == 1 { "" } else { "s" }) } }
            </li>
        }
    });
    html! {
        <div class="baseline" data-testid="baseline" data-revision={best.revisions.join(" ")}>
            if exact {
                <p>{ "Its schema is exactly that of " }<strong data-testid="baseline-match">{ &best.label }</strong>{ "." }</p>
            } else {
                <p>{ "No revision matches exactly. Closest: " }<strong data-testid="baseline-match">{ &best.label }</strong>
                   { format!(", with {} difference{}:", best.differences.len(), if best.differences.len() == 1 { "" } else { "s" }) }</p>
                { differences(&best.differences) }
            }
            <div class="actions">
                <button type="button" data-testid="baseline-stamp" disabled={!enabled} {onclick}>
                    { if exact { format!("Stamp it as {}", best.label) } else { format!("Stamp as {} anyway", best.label) } }
                </button>
            </div>
            if guesses.len() > 1 {
                <p class="hint">{ if exact { "Other states with the same schema:" } else { "Next closest:" } }</p>
                <ul>{ for others }</ul>
            }
        </div>
    }
}

/// The check's verdict, and the baseline offer when there is one.
#[function_component(DriftPanel)]
pub fn drift_panel(props: &DriftPanelProps) -> Html {
    let Some(view) = &props.drift else {
        return html! {
            <div class="drift" data-testid="drift" aria-busy="true">
                <h2 id="drift-heading">{ "Schema check" }</h2>
                <p class="hint">{ "Checking the schema…" }</p>
            </div>
        };
    };
    let verdict = if view.matches() {
        let at = if view.recorded.is_empty() {
            "base".to_string()
        } else {
            view.recorded.join(" + ")
        };
        html! { <p class="safe" data-testid="drift-verdict">{ format!("The schema matches revision {at}: no drift.") }</p> }
    } else if view.known {
        let count = view.differences.len();
        html! {
            <>
                <p class="loss" data-testid="drift-verdict">
                    { format!("The schema is not what revision {} should have ({count} difference{}):",
                        if view.recorded.is_empty() { "base".to_string() } else { view.recorded.join(" + ") },
                        if count == 1 { "" } else { "s" }) }
                </p>
                { differences(&view.differences) }
            </>
        }
    } else {
        html! {}
    };
    html! {
        <div class="drift" data-testid="drift" aria-busy="false" data-matches={view.matches().to_string()}>
            <h2 id="drift-heading">{ "Schema check" }</h2>
            <p>{ recorded_text(view) }</p>
            { verdict }
            { baseline(&view.baseline, props.enabled, &props.on_stamp) }
        </div>
    }
}
