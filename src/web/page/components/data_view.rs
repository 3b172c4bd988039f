//! The Data view: the tables with their row counts, the chosen one browsed a page at a time
//! (sortable), its schema beside the SQL console, and the exports (CSV, JSON, SQL dump).

use yew::prelude::*;

use super::{ExportBar, SqlConsole, TableBrowser, TableList, TableSchema};
use crate::db::{PageRequest, SortBy};
use crate::web::page::handle::{make_callback, use_page, PageHandle};
use crate::web::protocol::inspect::{ExportFormat, ExportSource, InspectRequest};
use crate::web::protocol::Request;
use crate::web::page::state::{next_sort, Action, InspectAction, PAGE_ROWS};

/// Asks the worker for a look into the open database (never marks the page busy).
fn inspect(page: &PageHandle, request: InspectRequest) {
    page.request(Request::Inspect { request });
}

/// The page of `table` at `offset`, sorted by `sort`.
fn rows(table: String, sort: Option<SortBy>, offset: u64) -> InspectRequest {
    InspectRequest::Page(PageRequest {
        table,
        sort,
        offset,
        limit: PAGE_ROWS,
    })
}

/// Tables, the chosen table, the console and the exports.
#[function_component(DataView)]
pub fn data_view() -> Html {
    let page = use_page();
    let on_table = page.callback(|page, table: String| {
        page.dispatch(Action::Inspect(InspectAction::SelectTable(table.clone())));
        inspect(page, rows(table.clone(), None, 0));
        inspect(page, InspectRequest::Detail { table });
    });
    let on_sort = page.callback(|page, column: String| {
        let (table, sort) = (
            page.state.inspect.selected_table.clone(),
            page.state.inspect.sort.clone(),
        );
        page.dispatch(Action::Inspect(InspectAction::SortBy(column.clone())));
        if let Some(table) = table {
            inspect(page, rows(table, Some(next_sort(sort, column)), 0));
        }
    });
    let on_page = page.callback(|page, offset: u64| {
        let inspect_state = &page.state.inspect;
        if let Some(table) = inspect_state.selected_table.clone() {
            inspect(page, rows(table, inspect_state.sort.clone(), offset));
        }
    });
    let on_sql_input = make_callback(&page, |text| {
        Action::Inspect(InspectAction::SetSqlInput(text))
    });
    let on_unlock = make_callback(&page, |unlocked| {
        Action::Inspect(InspectAction::SetWriteUnlocked(unlocked))
    });
    let on_run_sql = page.callback(|page, ()| {
        let inspect_state = &page.state.inspect;
        inspect(
            page,
            InspectRequest::Sql {
                sql: inspect_state.sql_input.clone(),
                write_unlocked: inspect_state.write_unlocked,
            },
        );
    });
    let on_export = page.callback(|page, (source, format): (ExportSource, ExportFormat)| {
        inspect(page, InspectRequest::Export { source, format })
    });
    let on_dump = page.callback(|page, ()| inspect(page, InspectRequest::Dump));

    let enabled = page.state.can_download();
    let state = &page.state.inspect;
    let table = match (&state.selected_table, &state.page) {
        (Some(name), Some(rows)) => html! {
            <>
                <h2 id="inspect-heading">{ format!("Table {name}") }</h2>
                <TableBrowser page={rows.clone()} sort={state.sort.clone()} on_sort={on_sort} on_page={on_page} />
            </>
        },
        (Some(name), None) => html! {
            <>
                <h2 id="inspect-heading">{ format!("Table {name}") }</h2>
                <p class="hint">{ format!("Reading {name}…") }</p>
            </>
        },
        _ => html! {
            <>
                <h2 id="inspect-heading">{ "Table" }</h2>
                <p class="hint">{ "Choose a table to browse its rows and schema." }</p>
            </>
        },
    };
    html! {
        <>
            <section class="card data-tables" aria-labelledby="tables-heading">
                <h2 id="tables-heading">{ "Tables" }</h2>
                <TableList tables={state.tables.clone()} selected={state.selected_table.clone()} on_select={on_table} />
            </section>
            <section class="card data-table" aria-labelledby="inspect-heading">
                if let Some(notice) = &state.notice {
                    <p class="sql-error" role="status" data-testid="inspect-notice">{ notice }</p>
                }
                { table }
            </section>
            <section class="card data-schema" aria-labelledby="table-schema-heading">
                <h2 id="table-schema-heading">{ "Schema" }</h2>
                if let Some(detail) = &state.detail {
                    <TableSchema detail={detail.clone()} />
                } else {
                    <p class="hint">{ "The chosen table's columns, indexes, foreign keys, CHECKs and CREATE statement." }</p>
                }
            </section>
            <section class="card data-console" aria-labelledby="console-heading">
                <h2 id="console-heading">{ "SQL console" }</h2>
                <SqlConsole
                    input={state.sql_input.clone()}
                    write_unlocked={state.write_unlocked}
                    last={state.console.clone()}
                    history={state.sql_history.clone()}
                    enabled={enabled}
                    on_input={on_sql_input}
                    on_run={on_run_sql}
                    on_unlock={on_unlock}
                />
                <ExportBar source={state.export_source.clone()} enabled={enabled}
                           on_export={on_export} on_dump={on_dump} />
            </section>
        </>
    }
}
