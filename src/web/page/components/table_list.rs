//! The tables of the open file with their row counts (`data-testid="table-list"`); choosing one
//! browses it.

use yew::prelude::*;

use crate::db::TableSummary;

/// Props of [`TableList`].
#[derive(Properties, PartialEq)]
pub struct TableListProps {
    /// The tables, by name.
    pub tables: Vec<TableSummary>,
    /// The table being browsed.
    pub selected: Option<String>,
    /// A table was chosen.
    pub on_select: Callback<String>,
}

/// A list of buttons, one per table.
#[function_component(TableList)]
pub fn table_list(props: &TableListProps) -> Html {
    let items = props.tables.iter().map(|table| {
        let selected = props.selected.as_deref() == Some(table.name.as_str());
        let onclick = {
            let (on_select, name) = (props.on_select.clone(), table.name.clone());
            Callback::from(move |_: MouseEvent| on_select.emit(name.clone()))
        };
        html! {
            <li data-table={table.name.clone()}>
                <button type="button" class="table-button" aria-pressed={selected.to_string()} {onclick}>
                    <span class="table-name">{ &table.name }</span>
                    <span class="table-rows">{ format!("{} {}", table.rows, if table.rows == 1 { "row" } else { "rows" }) }</span>
                </button>
            </li>
        }
    });
    html! {
        <ul class="table-list" data-testid="table-list" aria-label="Tables">
            { for items }
        </ul>
    }
}
