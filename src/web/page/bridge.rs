//! The page's side of the worker: spawns it, queues requests until it says it is ready, and
//! turns its messages and errors into callbacks.
//!
//! Hand-made rather than `gloo-worker`: gloo-worker encodes every message into bytes with its
//! codec, so a chosen `File` or a download would be copied whole into each message, where this
//! bridge posts the Blob itself (a reference to its data) beside the serde value
//! (`protocol/envelope.rs`). Its listeners are gloo's.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};
use yew::Callback;

use crate::web::protocol::envelope::{pack, unpack, Envelope};
use crate::web::protocol::worker_errors::on_worker_error;
use crate::web::protocol::{Request, Response};
use super::WORKER_SCRIPT;

/// The page global that names the worker's script instead of [`WORKER_SCRIPT`]: the single-file
/// page (`scripts/package.sh`) starts the worker from a Blob URL, a `file://` page being allowed
/// no worker script from a file.
const WORKER_URL_GLOBAL: &str = "contentDbWorkerUrl";

/// The worker's script: the URL in [`WORKER_URL_GLOBAL`] if the page set one, else
/// [`WORKER_SCRIPT`].
fn worker_script() -> String {
    js_sys::Reflect::get(&js_sys::global(), &WORKER_URL_GLOBAL.into())
        .ok()
        .and_then(|url| url.as_string())
        .unwrap_or_else(|| WORKER_SCRIPT.to_owned())
}

/// A running worker and the listeners on it (removed when the bridge is dropped).
pub struct WorkerBridge {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    queue: Rc<RefCell<Vec<Envelope>>>,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl WorkerBridge {
    /// Starts the worker. `on_response` gets every reply (with its Blob, if any);
    /// `on_stopped` gets the reason when the worker dies or sends something unreadable.
    pub fn spawn(
        on_response: Callback<(Response, Option<Blob>)>,
        on_stopped: Callback<String>,
    ) -> Result<WorkerBridge, String> {
        let worker = Worker::new(&worker_script())
            .map_err(|error| format!("could not start the database worker: {error:?}"))?;
        let ready = Rc::new(Cell::new(false));
        let queue: Rc<RefCell<Vec<Envelope>>> = Rc::default();

        let on_message = {
            let (target, ready, queue, on_stopped) = (
                worker.clone(),
                ready.clone(),
                queue.clone(),
                on_stopped.clone(),
            );
            EventListener::new(&worker, "message", move |event| {
                let Some(event) = event.dyn_ref::<MessageEvent>() else {
                    return;
                };
                match unpack::<Response>(&event.data()) {
                    Ok((Response::Ready, _)) => {
                        ready.set(true);
                        for envelope in queue.borrow_mut().drain(..) {
                            if let Err(problem) = post(&target, &envelope) {
                                on_stopped.emit(problem);
                            }
                        }
                        on_response.emit((Response::Ready, None));
                    }
                    Ok(reply) => on_response.emit(reply),
                    Err(problem) => on_stopped.emit(problem),
                }
            })
        };

        let on_error = on_worker_error(&worker, "the database worker failed", move |message| {
            on_stopped.emit(message);
        });

        Ok(WorkerBridge {
            worker,
            ready,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a request with, for [`Request::Open`], the chosen `File` (passed by reference).
    pub fn send(&self, request: &Request, bytes: Option<&Blob>) -> Result<(), String> {
        let envelope = pack(request, bytes)?;
        if self.ready.get() {
            post(&self.worker, &envelope)
        } else {
            // Messages posted before the worker's wasm has installed its handler would be lost.
            self.queue.borrow_mut().push(envelope);
            Ok(())
        }
    }
}

impl Drop for WorkerBridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn post(worker: &Worker, envelope: &Envelope) -> Result<(), String> {
    worker
        .post_message_with_transfer(&envelope.value, &envelope.transfer)
        .map_err(|error| format!("could not send a request to the database worker: {error:?}"))
}
