//! The difference between two revisions (`revision-diff`): two selects
//! (`revision-diff-from`, `revision-diff-to`) with `base` and every revision, then the schema
//! changes in words (`revision-diff-change`) and the SQL from one to the other
//! (`revision-diff-sql`), both from migrations replayed in the worker. The start may also be
//! the open file (value `file`): its schema against a revision, SQL from its own revision.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::web::protocol::inspect::{DiffView, HistoryEntry, HistoryView, FILE};

/// How a state is named in the summary.
fn state_name(state: &str) -> &str {
    if state == FILE {
        "the open file"
    } else {
        state
    }
}

/// Props of [`RevisionDiff`].
#[derive(Properties, PartialEq)]
pub struct RevisionDiffProps {
    /// The revisions to choose from (its entries, newest first), once the worker sent them.
    pub history: Option<Rc<HistoryView>>,
    /// The picked start and end (empty: not yet).
    pub pick: (String, String),
    /// The answer for the pick, once the worker sent it.
    pub diff: Option<DiffView>,
    /// A start was picked.
    pub on_from: Callback<String>,
    /// An end was picked.
    pub on_to: Callback<String>,
}

fn picker(
    testid: &'static str,
    label: &'static str,
    entries: &[HistoryEntry],
    value: &str,
    with_file: bool,
    on_pick: &Callback<String>,
) -> Html {
    let onchange = on_pick.reform(|event: Event| {
        event
            .target_dyn_into::<HtmlSelectElement>()
            .map(|select| select.value())
            .unwrap_or_default()
    });
    let option = |id: &str, text: String| {
        html! { <option value={id.to_string()} selected={value == id}>{ text }</option> }
    };
    html! {
        <label class="diff-pick">
            <span>{ label }</span>
            <select data-testid={testid} {onchange}>
                <option value="" selected={value.is_empty()} disabled=true>{ "choose…" }</option>
                if with_file { { option(FILE, "the open file".to_string()) } }
                { option("base", "base (empty)".to_string()) }
                { for entries.iter().map(|entry| option(&entry.id, format!("{} {}", entry.id, entry.message))) }
            </select>
        </label>
    }
}

fn result(diff: &DiffView) -> Html {
    if let Some(error) = &diff.error {
        return html! { <p class="loss" role="note">{ error }</p> };
    }
    let count = diff.changes.len();
    let (from, to) = (state_name(&diff.from), state_name(&diff.to));
    html! {
        <>
            <p data-testid="revision-diff-summary">
                { if count == 0 { format!("No schema change from {from} to {to}.") }
                  else { format!("From {from} to {to}: {count} change{}.", if count == 1 { "" } else { "s" }) } }
            </p>
            <ul class="drift-differences">
                { for diff.changes.iter().map(|change| html! { <li data-testid="revision-diff-change">{ change }</li> }) }
            </ul>
            <h4>{ "SQL from one to the other" }</h4>
            <pre class="sql" data-testid="revision-diff-sql" tabindex="0">
                { if diff.sql.is_empty() { "-- nothing to run".to_string() } else { diff.sql.clone() } }
            </pre>
        </>
    }
}

/// The two pickers and the answer.
#[function_component(RevisionDiff)]
pub fn revision_diff(props: &RevisionDiffProps) -> Html {
    let (from, to) = &props.pick;
    let entries = props
        .history
        .as_ref()
        .map_or(&[][..], |history| history.entries.as_slice());
    let body = match &props.diff {
        Some(diff) => result(diff),
        None if !from.is_empty() && !to.is_empty() => {
            html! { <p class="hint">{ "Replaying both…" }</p> }
        }
        None => {
            html! { <p class="hint">{ "Pick two revisions (or the open file and a revision) to see what changes between them and the SQL that goes from one to the other." }</p> }
        }
    };
    html! {
        <div class="revision-diff" data-testid="revision-diff">
            <h2 id="diff-heading">{ "Compare two revisions" }</h2>
            <div class="diff-picks">
                { picker("revision-diff-from", "From", entries, from, true, &props.on_from) }
                { picker("revision-diff-to", "To", entries, to, false, &props.on_to) }
            </div>
            { body }
        </div>
    }
}
