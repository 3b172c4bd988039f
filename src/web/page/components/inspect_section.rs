//! The Inspect section: the table list, the selected table's page and schema, and the console.

use std::rc::Rc;

use yew::prelude::*;

use super::{SqlConsole, TableBrowser, TableList, TableSchema};
use crate::web::page::state::InspectState;

/// Props of [`InspectSection`].
#[derive(Properties, PartialEq)]
pub struct InspectSectionProps {
    /// What the section shows (shared with the page state: compared by pointer first).
    pub state: Rc<InspectState>,
    /// Whether the worker can take a console statement now.
    pub enabled: bool,
    /// A table was chosen.
    pub on_table: Callback<String>,
    /// A column header was clicked.
    pub on_sort: Callback<String>,
    /// Go to the page at this offset.
    pub on_page: Callback<u64>,
    /// The console's input changed.
    pub on_sql_input: Callback<String>,
    /// Run the console's input.
    pub on_run_sql: Callback<()>,
    /// "Allow writing" changed.
    pub on_unlock: Callback<bool>,
}

/// Tables, browser, schema, console.
#[function_component(InspectSection)]
pub fn inspect_section(props: &InspectSectionProps) -> Html {
    let state = &props.state;
    let table = match (&state.selected_table, &state.page) {
        (Some(name), Some(page)) => html! {
            <>
                <h3>{ format!("Table {name}") }</h3>
                <TableBrowser page={page.clone()} sort={state.sort.clone()}
                    on_sort={props.on_sort.clone()} on_page={props.on_page.clone()} />
                if let Some(detail) = &state.detail {
                    <details class="schema-details" open=true>
                        <summary>{ "Schema" }</summary>
                        <TableSchema detail={detail.clone()} />
                    </details>
                }
            </>
        },
        (Some(name), None) => html! { <p class="hint">{ format!("Reading {name}…") }</p> },
        _ => html! { <p class="hint">{ "Choose a table to browse its rows and schema." }</p> },
    };
    html! {
        <div class="inspect-section">
            <div class="inspect-tables">
                <TableList tables={state.tables.clone()} selected={state.selected_table.clone()} on_select={props.on_table.clone()} />
                <div class="inspect-table">
                    if let Some(notice) = &state.notice {
                        <p class="sql-error" role="status" data-testid="inspect-notice">{ notice }</p>
                    }
                    { table }
                </div>
            </div>
            <h3>{ "SQL console" }</h3>
            <SqlConsole
                input={state.sql_input.clone()}
                write_unlocked={state.write_unlocked}
                last={state.console.clone()}
                history={state.sql_history.clone()}
                enabled={props.enabled}
                on_input={props.on_sql_input.clone()}
                on_run={props.on_run_sql.clone()}
                on_unlock={props.on_unlock.clone()}
            />
        </div>
    }
}
