//! The background checker: the overview's checks of a large chosen file (`integrity_check` over
//! every page, then the row counts) run in a second worker, so this one stays free for
//! everything else the user does meanwhile (browse, query, migrate), and stopping them is
//! ending that worker.
//!
//! The checker is this same worker script started again from here (a nested dedicated
//! worker). It gets the ordinary requests: [`Request::Open`] with the chosen `File` (posted by
//! reference, never copied), then [`Request::Overview`]; it opens the file lazily through its
//! own copy in the private storage, and answers as any worker does. `request_loop.rs` decides
//! when a check goes there (the open database is still byte for byte the chosen file) and
//! relays the answers to the page. Ending a checker ([`Checker`]'s drop) terminates it and,
//! once its Web Lock is released, removes the files it left in the private storage.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions};

use super::opfs_vault::OpfsVault;
use super::session::Image;
use crate::web::protocol::envelope::{pack, unpack, Envelope};
use crate::web::protocol::worker_errors::on_worker_error;
use crate::web::protocol::{Request, Response};

/// The checker's worker name (`self.name` there): a checker never starts a checker itself.
pub(super) const CHECKER_NAME: &str = "content-db-checker";

/// How long after ending a checker its files are looked for (its Web Lock is released
/// asynchronously when the worker ends).
const CLEAN_UP_AFTER_MS: u32 = 1_000;

/// A running checker of one chosen file, and the overview serials it was asked for.
pub(super) struct Checker {
    worker: Worker,
    /// Requests posted before the checker said [`Response::Ready`] (`None` once it did).
    outbox: Rc<RefCell<Option<Vec<Envelope>>>>,
    /// The image it checks (the open database's original when it was started).
    pub original: Image,
    /// The serials of the overviews asked of it and not answered yet.
    pub pending: Vec<u64>,
    vault: OpfsVault,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl Checker {
    /// Starts a checker on `file` (the chosen `File`, as `original`), telling `on_response`
    /// each of its answers, or a [`Response::Crashed`] when it could not start or run.
    pub(super) fn start(
        original: Image,
        file: &Blob,
        file_name: &str,
        vault: OpfsVault,
        on_response: impl Fn(Response) + 'static,
    ) -> Result<Checker, String> {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let url = scope.location().href();
        let options = WorkerOptions::new();
        options.set_name(CHECKER_NAME);
        let worker =
            Worker::new_with_options(&url, &options).map_err(|error| format!("{error:?}"))?;
        let on_response = Rc::new(on_response);
        let answer = on_response.clone();
        let outbox = Rc::new(RefCell::new(Some(Vec::new())));
        let (waiting, target) = (outbox.clone(), worker.clone());
        let on_message = EventListener::new(&worker, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            match unpack::<Response>(&event.data()) {
                // Its handler exists now: what was posted before would have been lost.
                Ok((Response::Ready, _)) => {
                    for envelope in waiting.borrow_mut().take().unwrap_or_default() {
                        if let Err(problem) = send(&target, &envelope) {
                            answer(Response::Crashed { reason: problem });
                        }
                    }
                }
                Ok((response, _)) => answer(response),
                Err(problem) => answer(Response::Crashed { reason: problem }),
            }
        });
        let on_error = on_worker_error(
            &worker,
            "the background check's worker failed to start",
            move |reason| on_response(Response::Crashed { reason }),
        );
        let checker = Checker {
            worker,
            outbox,
            original,
            pending: Vec::new(),
            vault,
            _on_message: on_message,
            _on_error: on_error,
        };
        checker.post(
            &Request::Open {
                file_name: file_name.to_string(),
            },
            Some(file),
        )?;
        Ok(checker)
    }

    /// Asks it for the overview's checks under `serial`.
    pub(super) fn ask(&mut self, serial: u64) -> Result<(), String> {
        self.post(&Request::Overview { serial }, None)?;
        self.pending.push(serial);
        Ok(())
    }

    /// Posts `request` (with `file`), or keeps it until the checker said it is ready.
    fn post(&self, request: &Request, file: Option<&Blob>) -> Result<(), String> {
        let envelope = pack(request, file)?;
        match self.outbox.borrow_mut().as_mut() {
            Some(waiting) => {
                waiting.push(envelope);
                Ok(())
            }
            None => send(&self.worker, &envelope),
        }
    }
}

fn send(worker: &Worker, envelope: &Envelope) -> Result<(), String> {
    worker
        .post_message_with_transfer(&envelope.value, &envelope.transfer)
        .map_err(|error| format!("postMessage to the background check failed: {error:?}"))
}

impl Drop for Checker {
    fn drop(&mut self) {
        self.worker.terminate();
        // A checker ended while its script still loads may report that load's failure after
        // this: a listener that only cancels stays behind (`protocol/worker_errors.rs`).
        on_worker_error(&self.worker, "", |_| {}).forget();
        let vault = self.vault.clone();
        gloo::timers::callback::Timeout::new(CLEAN_UP_AFTER_MS, move || {
            wasm_bindgen_futures::spawn_local(async move { vault.clean_up_closed().await });
        })
        .forget();
    }
}
