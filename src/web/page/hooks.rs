//! The page's custom hook: the database worker, started once when the app mounts (with the
//! demo request queued) and stopped when it unmounts.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::Blob;
use yew::prelude::*;

use super::bridge::WorkerBridge;
use super::download;
use crate::web::protocol::inspect::InspectResponse;
use crate::web::protocol::{Request, Response};
use super::state::{Action, AppState, Busy};

/// What the components' callbacks use to reach the worker.
#[derive(Clone)]
pub struct WorkerHandle {
    bridge: Rc<RefCell<Option<WorkerBridge>>>,
    dispatch: UseReducerDispatcher<AppState>,
}

impl WorkerHandle {
    /// Marks the page busy with `busy`.
    pub fn start(&self, busy: Busy) {
        self.dispatch.dispatch(Action::Started(busy));
    }

    /// Sends `request` (with the chosen `File` for an open), or shows why it could not be sent.
    pub fn send(&self, request: Request, bytes: Option<&Blob>) {
        let sent = match self.bridge.borrow().as_ref() {
            Some(bridge) => bridge.send(&request, bytes),
            None => Err("the database worker is not running; reload the page".to_string()),
        };
        if let Err(problem) = sent {
            self.fail(problem);
        }
    }

    /// Shows a failure of the page itself.
    pub fn fail(&self, problem: String) {
        self.dispatch.dispatch(Action::PageFailed(problem));
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
                    handle.start(Busy::OpeningDemo);
                    handle.send(Request::OpenDemo, None);
                }
                Err(problem) => handle.dispatch.dispatch(Action::WorkerStopped(problem)),
            }
            move || drop(handle.bridge.borrow_mut().take())
        });
    }
    handle
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
