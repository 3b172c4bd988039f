//! The page's custom hooks: the database worker, started once when the app mounts (with the
//! demo request queued) and stopped when it unmounts; the reads that follow every change of the
//! open database; the view named in the URL fragment.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File};
use yew::prelude::*;

use super::bridge::WorkerBridge;
use super::chosen_migrations::read_chosen;
use super::download;
use super::handle::PageHandle;
use crate::web::protocol::inspect::{InspectRequest, InspectResponse, FILE};
use crate::web::protocol::{Request, Response};
use super::state::{Action, AppState, View, PAGE_ROWS};
use crate::db::PageRequest;

/// What the page's callbacks use to reach the worker.
#[derive(Clone)]
pub struct WorkerHandle {
    bridge: Rc<RefCell<Option<WorkerBridge>>>,
    dispatch: UseReducerDispatcher<AppState>,
}

impl WorkerHandle {
    /// Sends `request`; an operation ([`Request::marks_busy`]) marks the page busy first, with
    /// words the state derives from the request itself.
    pub fn request(&self, request: Request) {
        if request.marks_busy() {
            self.dispatch.dispatch(Action::Started(request.clone()));
        }
        self.post(&request, None);
    }

    /// Opens `file`, of any size: the worker reads the `File` itself where SQLite needs it
    /// (a change that would not fit in its memory is refused before it starts) and reports how
    /// far it got (the bar shows from 0).
    pub fn open(&self, file: File) {
        let file_name = file.name();
        let size = file.size() as u64;
        let request = Request::Open { file_name };
        self.dispatch.dispatch(Action::Started(request.clone()));
        self.dispatch.dispatch(Action::ReadProgress(0, size));
        self.post(&request, Some(&file));
    }

    /// Reads the chosen migration files (the others are counted and left out) and asks the
    /// worker to plan with their history, which checks them.
    pub fn use_migrations(&self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        let handle = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match read_chosen(files).await {
                Ok(request) => handle.request(request),
                Err(problem) => handle.fail(problem),
            }
        });
    }

    /// Shows a failure of the page itself.
    pub fn fail(&self, problem: String) {
        self.dispatch.dispatch(Action::PageFailed(problem));
    }

    /// Posts `request` (with the chosen `File` for an open), or shows why it could not be sent.
    fn post(&self, request: &Request, bytes: Option<&Blob>) {
        let sent = match self.bridge.borrow().as_ref() {
            Some(bridge) => bridge.send(request, bytes),
            None => Err("the database worker is not running; reload the page".to_string()),
        };
        if let Err(problem) = sent {
            self.fail(problem);
        }
    }
}

/// Starts the worker for the app's lifetime; its replies become [`Action`]s, and an exported
/// file becomes a download before its action is dispatched.
#[hook]
pub fn use_worker(dispatch: UseReducerDispatcher<AppState>) -> WorkerHandle {
    let bridge = use_mut_ref(|| None);
    let handle = WorkerHandle { bridge, dispatch };
    {
        let handle = handle.clone();
        use_effect_with((), move |_| {
            match WorkerBridge::spawn(on_response(&handle.dispatch), on_stopped(&handle.dispatch)) {
                Ok(spawned) => {
                    *handle.bridge.borrow_mut() = Some(spawned);
                    // With no file chosen yet, show the built-in demo database.
                    handle.request(Request::OpenDemo);
                }
                Err(problem) => handle.dispatch.dispatch(Action::WorkerStopped(problem)),
            }
            move || drop(handle.bridge.borrow_mut().take())
        });
    }
    handle
}

/// After every change of the open database (opened, migrated, undone, written by the console):
/// the overview's integrity check and row counts first (effects run in the order they are
/// declared, so they are the first answer), then the graph's marks, the tables, the drift
/// check, the diagram, a comparison with the open file, and the table on screen.
#[hook]
pub fn use_refresh(page: &PageHandle) {
    let state = &page.state;
    {
        let page = page.clone();
        let has_snapshot = state.snapshot.is_some();
        use_effect_with(state.overview_serial, move |serial| {
            if has_snapshot {
                page.request(Request::Overview { serial: *serial });
            }
        });
    }
    let page = page.clone();
    let inspect = &state.inspect;
    let table = inspect.selected_table.clone();
    let sort = inspect.sort.clone();
    let offset = inspect.offset();
    // A comparison with the open file is out of date as soon as the file changes.
    let (diff_from, diff_to) = inspect.diff_pick.clone();
    let file_diff =
        (!diff_from.is_empty() && !diff_to.is_empty()) && (diff_from == FILE || diff_to == FILE);
    // The serial moves on a console write too, which may leave the snapshot as it was (row
    // counts are not in it).
    use_effect_with(
        (state.snapshot.clone(), state.overview_serial),
        move |(snapshot, _)| {
            let read = |request| page.request(Request::Inspect { request });
            if snapshot.is_some() {
                read(InspectRequest::History);
                read(InspectRequest::Tables);
                read(InspectRequest::Drift);
                read(InspectRequest::Erd);
                if file_diff {
                    read(InspectRequest::Diff {
                        from: diff_from,
                        to: diff_to,
                    });
                }
                if let Some(table) = table {
                    read(InspectRequest::Page(PageRequest {
                        table: table.clone(),
                        sort,
                        offset,
                        limit: PAGE_ROWS,
                    }));
                    read(InspectRequest::Detail { table });
                }
            }
        },
    );
}

/// The URL fragment names the view: read when the page loads, followed when it changes (a
/// link, Back and Forward, or the tabs, which set it).
#[hook]
pub fn use_view_fragment(page: &PageHandle) {
    let page = page.clone();
    use_effect_with((), move |_| {
        let window = web_sys::window();
        let fragment = move || {
            web_sys::window()
                .and_then(|window| window.location().hash().ok())
                .unwrap_or_default()
        };
        page.dispatch(Action::ShowView(View::from_fragment(&fragment())));
        let listener = Closure::<dyn FnMut()>::new(move || {
            page.dispatch(Action::ShowView(View::from_fragment(&fragment())));
        });
        if let Some(window) = &window {
            let _ = window
                .add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(window) = &window {
                let _ = window.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

fn on_response(dispatch: &UseReducerDispatcher<AppState>) -> Callback<(Response, Option<Blob>)> {
    let dispatch = dispatch.clone();
    Callback::from(move |(response, bytes): (Response, Option<Blob>)| {
        // A text export (CSV, JSON, the SQL dump) is saved as it arrives.
        if let Response::Inspected {
            response: inspected,
        } = &response
        {
            if let InspectResponse::Text {
                file_name,
                media_type,
                text,
            } = inspected.as_ref()
            {
                if let Err(problem) = download::save_text_as(text, file_name, media_type) {
                    dispatch.dispatch(Action::PageFailed(problem));
                    return;
                }
            }
        }
        if let (Response::Exported { file_name, .. }, Some(bytes)) = (&response, &bytes) {
            if let Err(problem) = download::save_blob(bytes, file_name) {
                dispatch.dispatch(Action::PageFailed(problem));
                return;
            }
        }
        dispatch.dispatch(Action::Received(response));
    })
}

fn on_stopped(dispatch: &UseReducerDispatcher<AppState>) -> Callback<String> {
    let dispatch = dispatch.clone();
    Callback::from(move |reason: String| dispatch.dispatch(Action::WorkerStopped(reason)))
}
