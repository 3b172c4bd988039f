//! The ER diagram of the open file (`erd`, drawn by [`ErdSvg`]) and an "Export SVG" button
//! (`erd-download`) that saves the standalone document `render_svg` made.

use std::rc::Rc;

use yew::prelude::*;

use super::ErdSvg;
use crate::web::protocol::inspect::ErdView;

/// Props of [`ErdDiagram`].
#[derive(Properties, PartialEq)]
pub struct ErdDiagramProps {
    /// The diagram, once the worker sent it.
    pub view: Option<Rc<ErdView>>,
    /// "Export SVG" was pressed.
    pub on_download: Callback<()>,
}

/// The diagram of the open file, scrollable when it is wider than the card.
#[function_component(ErdDiagram)]
pub fn erd_diagram(props: &ErdDiagramProps) -> Html {
    let Some(view) = &props.view else {
        return html! { <p class="hint">{ "Drawing the diagram…" }</p> };
    };
    let diagram = &view.diagram;
    let on_download = props.on_download.reform(|_: MouseEvent| ());
    html! {
        <div class="erd-section">
            <p class="hint">
                { format!("{} tables, {} foreign keys. Tables are placed in columns by foreign-key depth; \
                           arrows point to the referenced table.", diagram.boxes.len(), diagram.edges.len()) }
            </p>
            <ErdSvg diagram={diagram.clone()} testid="erd" />
            <div class="actions">
                <button type="button" class="secondary" data-testid="erd-download" onclick={on_download}>
                    { "Export SVG" }
                </button>
            </div>
        </div>
    }
}
