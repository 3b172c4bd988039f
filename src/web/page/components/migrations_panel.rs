//! Which migration history the page plans with (`migrations-source`), and the controls that
//! change it for this tab: "Use other migrations…" (`open-migrations`, several `.sql` files),
//! a whole folder (`open-migrations-folder`; files that are not `.sql` are left out) and the
//! way back (`use-embedded-migrations`).

use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

use crate::web::page::handle::use_page;
use crate::web::protocol::Request;

/// The id of the multi-file input, which the header's offer opens too.
pub const OPEN_MIGRATIONS_ID: &str = "open-migrations";

/// Opens the file chooser of "Use other migrations…" (from a click elsewhere on the page).
pub fn choose_migrations() {
    let input = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(OPEN_MIGRATIONS_ID))
        .and_then(|element| element.dyn_into::<HtmlInputElement>().ok());
    if let Some(input) = input {
        input.click();
    }
}

/// The history in use and the controls to change it.
#[function_component(MigrationsPanel)]
pub fn migrations_panel() -> Html {
    let page = use_page();
    let on_chosen = page.callback(|page, event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        let files: Vec<File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|at| list.get(at)).collect())
            .unwrap_or_default();
        page.use_migrations(files);
        // Cleared, so that choosing the same files again (e.g. after fixing one) reads them again.
        input.set_value("");
    });
    let on_embedded =
        page.callback(|page, _: MouseEvent| page.request(Request::UseEmbeddedMigrations));

    let state = &page.state;
    let enabled = state.can_act();
    let source = state.migrations.as_ref();
    let text = source.map_or_else(|| "…".to_string(), |source| source.text());
    let loaded = source.is_some_and(|source| !source.is_embedded());
    html! {
        <section class="card migrations" aria-labelledby="migrations-heading">
            <h2 id="migrations-heading">{ "Migrations" }</h2>
            <p class="migrations-source" data-testid="migrations-source">{ text }</p>
            <div class="actions">
                <label class={classes!("file-button", (!enabled).then_some("disabled"))}>
                    <input id={OPEN_MIGRATIONS_ID} type="file" multiple=true accept=".sql"
                           data-testid="open-migrations" disabled={!enabled} onchange={on_chosen.clone()} />
                    { "Use other migrations…" }
                </label>
                <label class={classes!("file-button", (!enabled).then_some("disabled"))}>
                    <input id="open-migrations-folder" type="file" webkitdirectory=true data-testid="open-migrations-folder"
                           disabled={!enabled} onchange={on_chosen} />
                    { "…or a folder of them" }
                </label>
                if loaded {
                    <button type="button" class="secondary" data-testid="use-embedded-migrations"
                            disabled={!enabled} onclick={on_embedded}>
                        { "Use the embedded migrations" }
                    </button>
                }
            </div>
            <p class="hint">
                { "Migration files as " }<code>{ "content-db import-alembic" }</code>
                { " writes them; they replace the embedded history for this tab only." }
            </p>
        </section>
    }
}
