//! The revision graph (`data-testid="history"`): one SVG draws the lanes, edges and nodes laid
//! out by [`crate::revision::GraphLayout`]; beside it, one list item per revision
//! (`data-revision="<id>"`) with its id, message, date and marks. Rows have a fixed height in
//! CSS (`--row`) that the SVG uses too. Clicking a revision selects it; shift-click (or
//! Shift+Enter) compares the selected revision with the one shift-clicked.

use std::rc::Rc;

use yew::prelude::*;

use crate::web::protocol::inspect::{HistoryView, RevisionStatus};

/// The height of one row, in px: must equal `.history-list > li` in `styles/app.css`.
const ROW: f64 = 64.0;
/// The distance between lanes, in px.
const LANE: f64 = 22.0;

/// Props of [`HistoryGraph`].
#[derive(Properties, PartialEq)]
pub struct HistoryGraphProps {
    /// The graph and its marks.
    pub view: Rc<HistoryView>,
    /// The selected revision.
    pub selected: Option<String>,
    /// A revision was clicked (its id).
    pub on_select: Callback<String>,
    /// A revision was shift-clicked (or Shift+Enter pressed on it): compare with the selected.
    pub on_compare: Callback<String>,
}

fn x(lane: usize) -> f64 {
    LANE * lane as f64 + LANE / 2.0 + 2.0
}

fn y(row: usize) -> f64 {
    ROW * row as f64 + ROW / 2.0
}

/// The path of an edge from a revision down to one of its parents. It runs in the lane further
/// right (the branch's own lane) and bends next to the revision on the trunk side.
fn edge_path(row: usize, lane: usize, parent_row: usize, parent_lane: usize) -> String {
    let (x1, y1, x2, y2) = (x(lane), y(row), x(parent_lane), y(parent_row));
    if lane == parent_lane {
        format!("M{x1} {y1} L{x2} {y2}")
    } else if parent_lane > lane {
        // A merge: leave the merge towards the branch's lane at once, then go down it.
        let bend = y1 + ROW;
        format!(
            "M{x1} {y1} C{x1} {m} {x2} {m} {x2} {bend} L{x2} {y2}",
            m = y1 + ROW / 2.0
        )
    } else {
        // A branch: go down its own lane, join the branch point in the last row.
        let bend = y2 - ROW;
        format!(
            "M{x1} {y1} L{x1} {bend} C{x1} {m} {x2} {m} {x2} {y2}",
            m = y2 - ROW / 2.0
        )
    }
}

fn status_word(status: RevisionStatus) -> &'static str {
    match status {
        RevisionStatus::Current => "current",
        RevisionStatus::Applied => "applied",
        RevisionStatus::Pending => "pending",
    }
}

/// The graph and the list of revisions.
#[function_component(HistoryGraph)]
pub fn history_graph(props: &HistoryGraphProps) -> Html {
    let view = &props.view;
    let lanes = view.layout.lanes.max(1);
    let width = LANE * lanes as f64 + 4.0;
    let height = ROW * view.layout.nodes.len() as f64;
    let edges = view.layout.nodes.iter().flat_map(|node| {
        node.parents.iter().map(move |&(parent_row, parent_lane)| {
            html! {
                <path class="edge" d={edge_path(node.row, node.lane, parent_row, parent_lane)} />
            }
        })
    });
    let nodes = view
        .layout
        .nodes
        .iter()
        .zip(&view.entries)
        .map(|(node, entry)| {
            html! {
                <circle
                    class={classes!("node", status_word(entry.status))}
                    cx={x(node.lane).to_string()}
                    cy={y(node.row).to_string()}
                    r="7"
                />
            }
        });
    let items = view.entries.iter().map(|entry| {
        let selected = props.selected.as_deref() == Some(entry.id.as_str());
        let onclick = {
            let (on_select, on_compare) = (props.on_select.clone(), props.on_compare.clone());
            let id = entry.id.clone();
            Callback::from(move |event: MouseEvent| {
                if event.shift_key() {
                    on_compare.emit(id.clone())
                } else {
                    on_select.emit(id.clone())
                }
            })
        };
        // Enter on a button also fires a click, but whether that click carries the Shift key
        // differs between browsers: Shift+Enter is handled here and its click suppressed.
        let onkeydown = {
            let (on_compare, id) = (props.on_compare.clone(), entry.id.clone());
            Callback::from(move |event: KeyboardEvent| {
                if event.shift_key() && event.key() == "Enter" {
                    event.prevent_default();
                    on_compare.emit(id.clone());
                }
            })
        };
        let status = status_word(entry.status);
        html! {
            <li
                data-revision={entry.id.clone()}
                data-status={status}
                data-head={entry.is_head.to_string()}
                data-loses-data={entry.loss.is_some().to_string()}
                class={classes!(status, selected.then_some("selected"))}
            >
                <button type="button" class="revision-row" aria-pressed={selected.to_string()} {onclick} {onkeydown}>
                    <span class="revision-line">
                        <code class="revision-id">{ &entry.id }</code>
                        <span class={classes!("mark", status)}>{ status }</span>
                        if entry.is_head { <span class="mark head">{ "head" }</span> }
                        if let Some(loss) = &entry.loss {
                            <span class="mark loses-data" title={loss.describe()}>{ "loses data" }</span>
                        }
                    </span>
                    <span class="revision-message">{ &entry.message }</span>
                    <span class="revision-date">{ &entry.create_date }</span>
                </button>
            </li>
        }
    });
    html! {
        <div class="history-graph">
            <svg class="lanes" aria-hidden="true" width={width.to_string()} height={height.to_string()}
                viewBox={format!("0 0 {width} {height}")}>
                { for edges }
                { for nodes }
            </svg>
            <ol class="history-list" data-testid="history" aria-label="Revisions, newest first">
                { for items }
            </ol>
        </div>
    }
}
