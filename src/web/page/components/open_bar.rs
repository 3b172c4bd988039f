//! Opening a database from every view: the file input (`open-file`) drawn as the drop zone
//! (`drop-zone`, a dashed box; a file dropped anywhere in the window opens too, see
//! [`super::DropTarget`]), the reading progress (`read-progress`), the demo (`demo-db`) and a new
//! empty database (`new-db`).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::web::page::handle::use_page;
use crate::web::protocol::Request;

/// What the file input accepts.
const ACCEPT: &str = ".db,.sqlite,.sqlite3,application/vnd.sqlite3,application/x-sqlite3";

/// The picker, the reading bar and the two buttons.
#[function_component(OpenBar)]
pub fn open_bar() -> Html {
    let page = use_page();
    let on_change = page.callback(|page, event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            page.open(file);
        }
        // Cleared, so that choosing the same file again (e.g. after an error) opens it again.
        input.set_value("");
    });
    let on_demo = page.callback(|page, _: MouseEvent| page.request(Request::OpenDemo));
    let on_new = page.callback(|page, _: MouseEvent| page.request(Request::NewEmpty));

    let enabled = page.state.can_act();
    html! {
        <div class="open-bar">
            <label class="drop-zone" data-testid="drop-zone">
                <input id="open-file" type="file" accept={ACCEPT} data-testid="open-file"
                       aria-describedby="open-file-help" onchange={on_change} />
                { "Open a database file…" }
            </label>
            <span id="open-file-help" class="sr-only">
                { "Or drop it anywhere on the page. It is read into this tab only and never \
                   uploaded. Until you choose one, a demo database is shown." }
            </span>
            if let Some((read, total)) = page.state.reading {
                <progress class="read-progress" data-testid="read-progress" max={total.max(1).to_string()}
                          value={read.to_string()} aria-label="Reading the file" />
            }
            <button type="button" class="secondary" data-testid="demo-db" disabled={!enabled} onclick={on_demo}>
                { "Demo database" }
            </button>
            <button type="button" class="secondary" data-testid="new-db" disabled={!enabled} onclick={on_new}>
                { "New empty database" }
            </button>
        </div>
    }
}
