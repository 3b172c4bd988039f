//! One page of the selected table (`data-testid="table-grid"`), sortable by clicking a column
//! header, with Previous / Next and "rows 51–100 of 100000" (`page-info`).

use yew::prelude::*;

use super::ResultGrid;
use crate::db::{SortBy, TablePage};

/// Props of [`TableBrowser`].
#[derive(Properties, PartialEq)]
pub struct TableBrowserProps {
    /// The page on screen.
    pub page: TablePage,
    /// The sort.
    pub sort: Option<SortBy>,
    /// A column header was clicked.
    pub on_sort: Callback<String>,
    /// Go to the page at this offset.
    pub on_page: Callback<u64>,
}

/// The grid and its pager.
#[function_component(TableBrowser)]
pub fn table_browser(props: &TableBrowserProps) -> Html {
    let page = &props.page;
    let limit = u64::from(page.request.limit);
    let offset = page.request.offset;
    let shown = page.grid.rows.len() as u64;
    let info = if shown == 0 {
        format!("no rows (the table has {})", page.total_rows)
    } else {
        format!(
            "rows {}–{} of {}",
            offset + 1,
            offset + shown,
            page.total_rows
        )
    };
    let previous = {
        let on_page = props.on_page.clone();
        let target = offset.saturating_sub(limit);
        Callback::from(move |_: MouseEvent| on_page.emit(target))
    };
    let next = {
        let on_page = props.on_page.clone();
        let target = offset + limit;
        Callback::from(move |_: MouseEvent| on_page.emit(target))
    };
    html! {
        <div class="table-browser">
            <div class="pager">
                <button type="button" class="secondary" data-testid="page-prev" disabled={offset == 0} onclick={previous}>
                    { "← Previous" }
                </button>
                <span data-testid="page-info" aria-live="polite">{ info }</span>
                <button type="button" class="secondary" data-testid="page-next"
                    disabled={offset + limit >= page.total_rows} onclick={next}>
                    { "Next →" }
                </button>
            </div>
            <ResultGrid grid={page.grid.clone()} test_id="table-grid" sort={props.sort.clone()} on_sort={props.on_sort.clone()} />
        </div>
    }
}
