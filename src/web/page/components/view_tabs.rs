//! The tabs that switch the view (`view-overview`, `view-migrate`, `view-schema`, `view-data`):
//! a WAI-ARIA tablist. Only the selected tab is in the Tab order; the arrow keys, Home and End
//! move to another tab and show its view; the URL fragment names the view shown.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::web::page::handle::use_page;
use crate::web::page::state::View;

/// The id of `view`'s tab (its panel is labelled by it).
pub fn tab_id(view: View) -> String {
    format!("tab-{}", view.name())
}

/// The id of `view`'s panel.
pub fn panel_id(view: View) -> String {
    format!("panel-{}", view.name())
}

/// Moves the keyboard focus to `view`'s tab.
fn focus_tab(view: View) {
    let tab = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(&tab_id(view)))
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(tab) = tab {
        let _ = tab.focus();
    }
}

/// The four tabs.
#[function_component(ViewTabs)]
pub fn view_tabs() -> Html {
    let page = use_page();
    let current = page.state.view;
    let on_key = page.callback(move |page, event: KeyboardEvent| {
        if let Some(view) = current.after_key(&event.key()) {
            event.prevent_default();
            page.show(view);
            focus_tab(view);
        }
    });
    let tabs = View::ALL.into_iter().map(|view| {
        let selected = view == current;
        let onclick = page.callback(move |page, _: MouseEvent| page.show(view));
        html! {
            <button type="button" role="tab" id={tab_id(view)} data-testid={format!("view-{}", view.name())}
                    aria-selected={selected.to_string()} aria-controls={panel_id(view)}
                    tabindex={if selected { "0" } else { "-1" }} {onclick}>
                { view.title() }
            </button>
        }
    });
    html! {
        <div class="tabs" role="tablist" aria-label="Views" onkeydown={on_key}>
            { for tabs }
        </div>
    }
}
