//! The one-click upgrade (`upgrade-head`) and, when the file is not versioned, the offer to
//! stamp it (`offer-stamp`, which fills the migrate form with the matching revision + "stamp
//! only").

use yew::prelude::*;

/// Props of [`Actions`].
#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    /// Whether an upgrade can run now.
    pub can_upgrade: bool,
    /// Upgrade was pressed.
    pub on_upgrade: Callback<()>,
    /// Show the stamp offer (the open file has no `alembic_version`).
    pub offer_stamp: bool,
    /// What the offer stamps: the revision the schema matches exactly, else `head`.
    pub stamp_target: String,
    /// The stamp offer was taken.
    pub on_offer_stamp: Callback<()>,
}

/// Native buttons, disabled while they cannot do anything.
#[function_component(Actions)]
pub fn actions(props: &ActionsProps) -> Html {
    let on_upgrade = props.on_upgrade.reform(|_: MouseEvent| ());
    let on_offer = props.on_offer_stamp.reform(|_: MouseEvent| ());
    html! {
        <div class="actions">
            <button type="button" data-testid="upgrade-head" disabled={!props.can_upgrade} onclick={on_upgrade}>
                { "Upgrade to head" }
            </button>
            if props.offer_stamp {
                <button type="button" class="secondary" data-testid="offer-stamp" onclick={on_offer}>
                    { format!("Stamp as {} instead (tables already there)…", props.stamp_target) }
                </button>
            }
        </div>
    }
}
