//! One view's panel (`panel-NAME`, a WAI-ARIA tabpanel labelled by its tab): always in the page,
//! hidden while another view is shown.

use yew::prelude::*;

use super::view_tabs::{panel_id, tab_id};
use crate::web::page::handle::use_page;
use crate::web::page::state::View;

/// Props of [`ViewPanel`].
#[derive(Properties, PartialEq)]
pub struct ViewPanelProps {
    /// The view this panel holds.
    pub view: View,
    /// Its sections.
    pub children: Html,
}

/// The panel, shown when its view is.
#[function_component(ViewPanel)]
pub fn view_panel(props: &ViewPanelProps) -> Html {
    let page = use_page();
    let view = props.view;
    html! {
        <section role="tabpanel" id={panel_id(view)} aria-labelledby={tab_id(view)} tabindex="0"
                 class={classes!("view", format!("view-{}", view.name()))} hidden={page.state.view != view}>
            { props.children.clone() }
        </section>
    }
}
