//! A worker's `error` events, as both its starters hear them: the page (its database worker,
//! `page/bridge.rs`) and the database worker (its background checker, `worker/checker.rs`).
//!
//! Each event is cancelled: an error a worker's starter does not cancel is reported again as the
//! starter's own uncaught error, and a database worker's own error is what the page reads as
//! its death ("Stopped: reload the page"). CI once saw a stopped checker end the page that way.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Worker};

/// Listens to `worker`'s errors, cancelling each, and tells `on_error` its message (`fallback`
/// for an error that has none, e.g. a script that failed to load). Dropping it stops listening:
/// [`EventListener::forget`] it to cancel errors the worker reports after it was terminated.
pub fn on_worker_error(
    worker: &Worker,
    fallback: &'static str,
    on_error: impl Fn(String) + 'static,
) -> EventListener {
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(worker, "error", options, move |event| {
        event.prevent_default();
        let message = event
            .dyn_ref::<ErrorEvent>()
            .map_or_else(|| fallback.to_string(), ErrorEvent::message);
        on_error(message);
    })
}
