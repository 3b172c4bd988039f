//! Rows as a table: used by the table browser (with sortable headers) and by the console
//! (`sql-result`). Every value is a text node or an attribute value (Yew escapes both, nothing
//! is parsed as HTML), NULL is shown as a marked `NULL`, never as an empty cell.

use yew::prelude::*;

use crate::db::{Grid, SortBy};

/// Props of [`ResultGrid`].
#[derive(Properties, PartialEq)]
pub struct ResultGridProps {
    /// The rows.
    pub grid: Grid,
    /// The `data-testid` of the table.
    pub test_id: AttrValue,
    /// The current sort, for `aria-sort`.
    #[prop_or_default]
    pub sort: Option<SortBy>,
    /// Set: headers are buttons that sort by their column.
    #[prop_or_default]
    pub on_sort: Option<Callback<String>>,
}

/// A scrollable table.
#[function_component(ResultGrid)]
pub fn result_grid(props: &ResultGridProps) -> Html {
    let headers = props.grid.columns.iter().map(|column| {
        let sorted = props.sort.as_ref().filter(|sort| &sort.column == column);
        let aria_sort = match sorted {
            Some(sort) if sort.descending => "descending",
            Some(_) => "ascending",
            None => "none",
        };
        let arrow = match sorted {
            Some(sort) if sort.descending => " ▼",
            Some(_) => " ▲",
            None => "",
        };
        let label = match &props.on_sort {
            Some(on_sort) => {
                let (on_sort, name) = (on_sort.clone(), column.clone());
                let onclick = Callback::from(move |_: MouseEvent| on_sort.emit(name.clone()));
                html! {
                    <button type="button" class="sort" data-column={column.clone()} {onclick}>
                        { column }{ arrow }
                    </button>
                }
            }
            None => html! { { column } },
        };
        html! { <th scope="col" aria-sort={aria_sort}>{ label }</th> }
    });
    let rows = props.grid.rows.iter().map(|row| {
        html! {
            <tr>
                { for row.iter().map(|cell| match cell {
                    // Long values are cut with an ellipsis in CSS; the title shows them whole.
                    Some(text) => html! { <td title={text.clone()}>{ text }</td> },
                    None => html! { <td class="null">{ "NULL" }</td> },
                }) }
            </tr>
        }
    });
    html! {
        <div class="grid-scroll" tabindex="0">
            <table class="grid" data-testid={props.test_id.clone()}>
                <thead><tr>{ for headers }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
