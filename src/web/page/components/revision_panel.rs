//! What the open file's revision means: each recorded id with its message
//! (`revision-details`), and notices (`notices`). The file's name, the ids themselves and how far
//! the file is from head (`migration-status`, said once) are in the header.

use yew::prelude::*;

use crate::web::protocol::Snapshot;

/// Props of [`RevisionPanel`].
#[derive(Properties, PartialEq)]
pub struct RevisionPanelProps {
    /// The open database, if any yet.
    pub snapshot: Option<Snapshot>,
}

/// The revision in words.
#[function_component(RevisionPanel)]
pub fn revision_panel(props: &RevisionPanelProps) -> Html {
    let Some(snapshot) = &props.snapshot else {
        return html! {};
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
    html! {
        <div class="revision-panel">
            <ul class="revision-details" data-testid="revision-details">{ explanation }</ul>
            if !snapshot.notices.is_empty() {
                <ul class="notices" data-testid="notices">
                    { for snapshot.notices.iter().map(|notice| html! { <li>{ notice }</li> }) }
                </ul>
            }
        </div>
    }
}
