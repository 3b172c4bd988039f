//! The page's root component: owns the reducer and the worker, and wires the components'
//! callbacks to requests.

use js_sys::ArrayBuffer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::File;
use yew::prelude::*;

use super::components::{
    Actions, ErrorBanner, FilePicker, HistorySection, InspectSection, RevisionPanel, StatusLine,
    StepLog,
};
use super::hooks::use_worker;
use super::inspect_hooks::use_inspect;
use super::protocol::Request;
use super::state::{Action, AppState, Busy};

/// Mounts the app into the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let worker = use_worker(state.dispatcher());
    let inspect = use_inspect(&state, &worker);

    let on_file = {
        let worker = worker.clone();
        Callback::from(move |file: File| {
            let file_name = file.name();
            worker.start(Busy::Opening(file_name.clone()));
            let worker = worker.clone();
            spawn_local(async move {
                match JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => {
                        let buffer: ArrayBuffer = buffer.unchecked_into();
                        worker.send(Request::Open { file_name }, Some(&buffer));
                    }
                    Err(error) => worker.fail(format!(
                        "the browser could not read {file_name} ({error:?}); choose it again"
                    )),
                }
            });
        })
    };

    let on_upgrade = {
        let worker = worker.clone();
        Callback::from(move |_| {
            worker.start(Busy::Upgrading);
            worker.send(Request::UpgradeToHead, None);
        })
    };

    let on_download = Callback::from(move |_| {
        worker.start(Busy::Exporting);
        worker.send(Request::Export, None);
    });

    let on_dismiss = {
        let dispatch = state.dispatcher();
        Callback::from(move |_| dispatch.dispatch(Action::DismissError))
    };

    html! {
        <main class="page">
            <header class="page-header">
                <h1>{ "content-db" }</h1>
                <p class="lede">
                    { "Open a ContentEngine database, see its Alembic revision, upgrade it to \
                       head and download the result. Everything runs in this tab: the file never \
                       leaves your computer." }
                </p>
            </header>
            <ErrorBanner error={state.error.clone()} on_dismiss={on_dismiss} />
            <section class="card" aria-labelledby="open-heading">
                <h2 id="open-heading">{ "1. Open" }</h2>
                <FilePicker on_file={on_file} />
            </section>
            <section class="card" aria-labelledby="revision-heading">
                <h2 id="revision-heading">{ "2. Revision" }</h2>
                <RevisionPanel snapshot={state.snapshot.clone()} />
            </section>
            <section class="card" aria-labelledby="actions-heading">
                <h2 id="actions-heading">{ "3. Upgrade and download" }</h2>
                <Actions
                    can_upgrade={state.can_upgrade()}
                    can_download={state.can_download()}
                    on_upgrade={on_upgrade}
                    on_download={on_download}
                />
                <StatusLine state={(*state).clone()} />
                <StepLog outcome={state.upgrade.clone()} />
            </section>
            <section class="card wide" aria-labelledby="history-heading">
                <h2 id="history-heading">{ "History" }</h2>
                <HistorySection
                    view={state.inspect.history.clone()}
                    selected={state.inspect.selected_revision.clone()}
                    on_select={inspect.on_revision.clone()}
                />
            </section>
            <section class="card wide" aria-labelledby="inspect-heading">
                <h2 id="inspect-heading">{ "Inspect" }</h2>
                <InspectSection
                    state={state.inspect.clone()}
                    enabled={state.can_download()}
                    on_table={inspect.on_table.clone()}
                    on_sort={inspect.on_sort.clone()}
                    on_page={inspect.on_page.clone()}
                    on_sql_input={inspect.on_sql_input.clone()}
                    on_run_sql={inspect.on_run_sql.clone()}
                    on_unlock={inspect.on_unlock.clone()}
                />
            </section>
        </main>
    }
}
