//! The two buttons: `upgrade-head` and `download`.

use yew::prelude::*;

/// Props of [`Actions`].
#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    /// Whether an upgrade can run now.
    pub can_upgrade: bool,
    /// Whether a download can start now.
    pub can_download: bool,
    /// Upgrade was pressed.
    pub on_upgrade: Callback<()>,
    /// Download was pressed.
    pub on_download: Callback<()>,
}

/// Native buttons, disabled while they cannot do anything.
#[function_component(Actions)]
pub fn actions(props: &ActionsProps) -> Html {
    let on_upgrade = props.on_upgrade.reform(|_: MouseEvent| ());
    let on_download = props.on_download.reform(|_: MouseEvent| ());
    html! {
        <div class="actions">
            <button type="button" data-testid="upgrade-head" disabled={!props.can_upgrade} onclick={on_upgrade}>
                { "Upgrade to head" }
            </button>
            <button type="button" class="secondary" data-testid="download" disabled={!props.can_download} onclick={on_download}>
                { "Download" }
            </button>
        </div>
    }
}
