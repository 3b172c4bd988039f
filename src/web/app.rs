//! The page's root component: owns the reducer and the worker bridge, and wires the
//! components' callbacks to requests.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::ArrayBuffer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::File;
use yew::prelude::*;

use super::bridge::WorkerBridge;
use super::components::{Actions, ErrorBanner, FilePicker, RevisionPanel, StatusLine, StepLog};
use super::download;
use super::protocol::{Request, Response};
use super::state::{Action, AppState, Busy};

/// Mounts the app into the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

type SharedBridge = Rc<RefCell<Option<WorkerBridge>>>;

/// Sends `request` (with `bytes`) or reports why it could not be sent.
fn send(
    bridge: &SharedBridge,
    dispatch: &UseReducerDispatcher<AppState>,
    request: Request,
    bytes: Option<&ArrayBuffer>,
) {
    let sent = match bridge.borrow().as_ref() {
        Some(bridge) => bridge.send(&request, bytes),
        None => Err("the database worker is not running; reload the page".to_string()),
    };
    if let Err(problem) = sent {
        dispatch.dispatch(Action::PageFailed(problem));
    }
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let bridge: SharedBridge = use_mut_ref(|| None);

    {
        let (dispatch, bridge) = (state.dispatcher(), bridge.clone());
        use_effect_with((), move |_| {
            let on_response = {
                let dispatch = dispatch.clone();
                Callback::from(move |(response, bytes): (Response, Option<ArrayBuffer>)| {
                    if let (Response::Exported { file_name }, Some(bytes)) = (&response, &bytes) {
                        if let Err(problem) = download::save(bytes, file_name) {
                            dispatch.dispatch(Action::PageFailed(problem));
                            return;
                        }
                    }
                    dispatch.dispatch(Action::Received(response));
                })
            };
            let on_stopped = {
                let dispatch = dispatch.clone();
                Callback::from(move |reason: String| {
                    dispatch.dispatch(Action::WorkerStopped(reason))
                })
            };
            match WorkerBridge::spawn(on_response, on_stopped) {
                Ok(spawned) => {
                    *bridge.borrow_mut() = Some(spawned);
                    // With no file chosen yet, show the built-in demo database.
                    dispatch.dispatch(Action::Started(Busy::OpeningDemo));
                    send(&bridge, &dispatch, Request::OpenDemo, None);
                }
                Err(problem) => dispatch.dispatch(Action::WorkerStopped(problem)),
            }
            move || drop(bridge.borrow_mut().take())
        });
    }

    let on_file = {
        let (dispatch, bridge) = (state.dispatcher(), bridge.clone());
        Callback::from(move |file: File| {
            let file_name = file.name();
            dispatch.dispatch(Action::Started(Busy::Opening(file_name.clone())));
            let (dispatch, bridge) = (dispatch.clone(), bridge.clone());
            spawn_local(async move {
                match JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => {
                        let buffer: ArrayBuffer = buffer.unchecked_into();
                        send(
                            &bridge,
                            &dispatch,
                            Request::Open { file_name },
                            Some(&buffer),
                        );
                    }
                    Err(error) => dispatch.dispatch(Action::PageFailed(format!(
                        "the browser could not read {file_name} ({error:?}); choose it again"
                    ))),
                }
            });
        })
    };

    let on_upgrade = {
        let (dispatch, bridge) = (state.dispatcher(), bridge.clone());
        Callback::from(move |_| {
            dispatch.dispatch(Action::Started(Busy::Upgrading));
            send(&bridge, &dispatch, Request::UpgradeToHead, None);
        })
    };

    let on_download = {
        let (dispatch, bridge) = (state.dispatcher(), bridge.clone());
        Callback::from(move |_| {
            dispatch.dispatch(Action::Started(Busy::Exporting));
            send(&bridge, &dispatch, Request::Export, None);
        })
    };

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
        </main>
    }
}
