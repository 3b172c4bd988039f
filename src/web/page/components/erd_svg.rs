//! A laid-out ER diagram as inline SVG built with Yew elements, so every table and column name
//! is a text node (never parsed as markup). Tables and columns named in `highlight` (`posts`,
//! `posts.user_id`) get the class `added` (the evolution demo's new parts).

use yew::prelude::*;

use crate::schema::erd::{edge_path, row_text, Diagram, TableBox, MARGIN, ROW_HEIGHT};

/// Props of [`ErdSvg`].
#[derive(Properties, PartialEq)]
pub struct ErdSvgProps {
    /// The diagram.
    pub diagram: Diagram,
    /// The `data-testid` of the `<svg>`.
    pub testid: AttrValue,
    /// Tables and `table.column`s to highlight.
    #[prop_or_default]
    pub highlight: Vec<String>,
}

fn table_box(table: &TableBox, highlight: &[String]) -> Html {
    let text_x = (table.x + MARGIN / 2.0).to_string();
    let new_table = highlight.contains(&table.table);
    html! {
        <g class={classes!("table", new_table.then_some("added"))} data-table={table.table.clone()}>
            <rect class="box" x={table.x.to_string()} y={table.y.to_string()}
                  width={table.width.to_string()} height={table.height.to_string()} />
            <rect class="title" x={table.x.to_string()} y={table.y.to_string()}
                  width={table.width.to_string()} height={ROW_HEIGHT.to_string()} />
            <text class="name" x={text_x.clone()} y={(table.y + ROW_HEIGHT * 0.7).to_string()}>{ &table.table }</text>
            { for table.rows.iter().enumerate().map(|(index, row)| {
                let added = new_table || highlight.contains(&format!("{}.{}", table.table, row.name));
                html! {
                    <text class={classes!("column", added.then_some("added"))} x={text_x.clone()}
                          data-column={row.name.clone()}
                          y={(table.y + ROW_HEIGHT * (index as f64 + 1.7)).to_string()}>{ row_text(row) }</text>
                }
            }) }
        </g>
    }
}

/// The `<svg>`, in a box that scrolls when it is wider than the card.
#[function_component(ErdSvg)]
pub fn erd_svg(props: &ErdSvgProps) -> Html {
    let diagram = &props.diagram;
    let (width, height) = (diagram.width.to_string(), diagram.height.to_string());
    html! {
        <div class="erd-scroll" tabindex="0">
            <svg class="erd" data-testid={props.testid.clone()} role="img" aria-label="Entity-relationship diagram"
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
                { for diagram.boxes.iter().map(|table| table_box(table, &props.highlight)) }
            </svg>
        </div>
    }
}
