//! The History section: the graph, and the SQL of the revision selected in it.

use std::rc::Rc;

use yew::prelude::*;

use super::{HistoryGraph, RevisionDetail};
use crate::web::protocol::inspect::HistoryView;

/// Props of [`HistorySection`].
#[derive(Properties, PartialEq)]
pub struct HistorySectionProps {
    /// The graph, once the worker sent it.
    pub view: Option<Rc<HistoryView>>,
    /// The selected revision.
    pub selected: Option<String>,
    /// A revision was clicked.
    pub on_select: Callback<String>,
    /// A revision was shift-clicked: compare the selected one with it.
    pub on_compare: Callback<String>,
}

/// Graph and detail side by side (stacked on a phone).
#[function_component(HistorySection)]
pub fn history_section(props: &HistorySectionProps) -> Html {
    let Some(view) = &props.view else {
        return html! { <p class="hint">{ "Reading the history…" }</p> };
    };
    let detail = props
        .selected
        .as_deref()
        .and_then(|id| view.entry(id))
        .map(|entry| html! { <RevisionDetail entry={entry.clone()} /> })
        .unwrap_or_else(|| {
            html! { <p class="hint">{ "Select a revision to see its SQL; it also becomes the migrate target." }</p> }
        });
    html! {
        <div class="history-section">
            <div class="history-pane">
                <HistoryGraph view={view.clone()} selected={props.selected.clone()}
                              on_select={props.on_select.clone()} on_compare={props.on_compare.clone()} />
                <p class="hint" data-testid="history-compare-hint">
                    { "Shift-click (or Shift+Enter on) a second revision to compare the selected one with it in the Schema view." }
                </p>
            </div>
            { detail }
        </div>
    }
}
