//! The ER diagram of the open file (`erd`): drawn as inline SVG from the layout with Yew
//! elements, so every table and column name is a text node (never parsed as markup), and an
//! "Export SVG" button (`erd-download`) that saves the standalone document `render_svg` made.

use yew::prelude::*;

use crate::schema::erd::{edge_path, row_text, TableBox, MARGIN, ROW_HEIGHT};
use crate::web::inspect::ErdView;

/// Props of [`ErdDiagram`].
#[derive(Properties, PartialEq)]
pub struct ErdDiagramProps {
    /// The diagram, once the worker sent it.
    pub view: Option<ErdView>,
    /// "Export SVG" was pressed.
    pub on_download: Callback<()>,
}

fn table_box(table: &TableBox) -> Html {
    let text_x = (table.x + MARGIN / 2.0).to_string();
    html! {
        <g class="table" data-table={table.table.clone()}>
            <rect class="box" x={table.x.to_string()} y={table.y.to_string()}
                  width={table.width.to_string()} height={table.height.to_string()} />
            <rect class="title" x={table.x.to_string()} y={table.y.to_string()}
                  width={table.width.to_string()} height={ROW_HEIGHT.to_string()} />
            <text class="name" x={text_x.clone()} y={(table.y + ROW_HEIGHT * 0.7).to_string()}>{ &table.table }</text>
            { for table.rows.iter().enumerate().map(|(index, row)| html! {
                <text class="column" x={text_x.clone()}
                      y={(table.y + ROW_HEIGHT * (index as f64 + 1.7)).to_string()}>{ row_text(row) }</text>
            }) }
        </g>
    }
}

/// The diagram, scrollable when it is wider than the card.
#[function_component(ErdDiagram)]
pub fn erd_diagram(props: &ErdDiagramProps) -> Html {
    let Some(view) = &props.view else {
        return html! { <p class="hint">{ "Drawing the diagram…" }</p> };
    };
    let diagram = &view.diagram;
    let (width, height) = (diagram.width.to_string(), diagram.height.to_string());
    let on_download = props.on_download.reform(|_: MouseEvent| ());
    html! {
        <div class="erd-section">
            <p class="hint">
                { format!("{} tables, {} foreign keys. Tables are placed in columns by foreign-key depth; \
                           arrows point to the referenced table.", diagram.boxes.len(), diagram.edges.len()) }
            </p>
            <div class="erd-scroll" tabindex="0">
                <svg class="erd" data-testid="erd" role="img" aria-label="Entity-relationship diagram"
                     width={width.clone()} height={height.clone()} viewBox={format!("0 0 {width} {height}")}>
                    <defs>
                        <marker id="erd-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8"
                                markerHeight="8" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    { for diagram.edges.iter().map(|edge| html! {
                        <path class="fk" d={edge_path(edge)} marker-end="url(#erd-arrow)"
                              data-from={format!("{}.{}", edge.from_table, edge.from_column)}
                              data-to={edge.to_table.clone()} />
                    }) }
                    { for diagram.boxes.iter().map(table_box) }
                </svg>
            </div>
            <div class="actions">
                <button type="button" class="secondary" data-testid="erd-download" onclick={on_download}>
                    { "Export SVG" }
                </button>
            </div>
        </div>
    }
}
