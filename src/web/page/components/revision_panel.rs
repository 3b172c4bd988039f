//! What is open: the file name, its current revision (`data-testid="current-revision"` holds
//! only the id(s) or `base`), what the ids mean, the head, and notices.

use yew::prelude::*;

use crate::web::protocol::Snapshot;

/// Props of [`RevisionPanel`].
#[derive(Properties, PartialEq)]
pub struct RevisionPanelProps {
    /// The open database, if any yet.
    pub snapshot: Option<Snapshot>,
}

/// The file and its revision.
#[function_component(RevisionPanel)]
pub fn revision_panel(props: &RevisionPanelProps) -> Html {
    let Some(snapshot) = &props.snapshot else {
        return html! { <p class="hint" data-testid="file-name">{ "No database open yet." }</p> };
    };
    let explanation = if snapshot.current.is_empty() {
        html! { <li>{ "base: no migration applied (empty or new database)" }</li> }
    } else {
        snapshot
            .current
            .iter()
            .map(|label| match &label.message {
                Some(message) => html! { <li><code>{ &label.id }</code>{ format!(" — {message}") }</li> },
                None => html! { <li><code>{ &label.id }</code>{ " — not in content-db's history" }</li> },
            })
            .collect::<Html>()
    };
    let head_summary = if snapshot.problem.is_some() {
        "Cannot be upgraded (see the message above).".to_string()
    } else if snapshot.pending.is_empty() {
        "At head: nothing to upgrade.".to_string()
    } else {
        let count = snapshot.pending.len();
        format!(
            "{count} migration{} to head ({}).",
            if count == 1 { "" } else { "s" },
            snapshot.heads.join(", ")
        )
    };
    html! {
        <div class="revision-panel">
            <dl>
                <dt>{ "File" }</dt>
                <dd>
                    <span data-testid="file-name">{ &snapshot.file_name }</span>
                    if snapshot.is_demo {
                        <span class="badge" data-testid="demo-badge">{ "built-in demo" }</span>
                    }
                </dd>
                <dt>{ "Current revision" }</dt>
                <dd><code class="revision" data-testid="current-revision">{ snapshot.current_text() }</code></dd>
            </dl>
            <ul class="revision-details" data-testid="revision-details">{ explanation }</ul>
            <p data-testid="head-summary">{ head_summary }</p>
            if !snapshot.notices.is_empty() {
                <ul class="notices" data-testid="notices">
                    { for snapshot.notices.iter().map(|notice| html! { <li>{ notice }</li> }) }
                </ul>
            }
        </div>
    }
}
