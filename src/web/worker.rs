//! The Web Worker's glue: receives envelopes from the page, hands them to the [`Session`] that
//! owns the database, and posts the replies back, transferring file images.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::envelope::{pack, unpack};
use super::protocol::{Request, Response};
use super::session::{Reply, Session};

/// Starts the worker: installs the message handler, then tells the page it is ready.
pub fn run() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    install_panic_reporter(scope.clone());
    // The history is parsed once; if it is broken every request reports why.
    let session = Rc::new(RefCell::new(Session::new()));
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = match unpack::<Request>(&event.data()) {
            Err(problem) => failure(problem),
            Ok((request, buffer)) => match &mut *session.borrow_mut() {
                Ok(session) => {
                    // Progress of a migration is posted as it happens; the page shows it between
                    // steps because each post is its own message event there.
                    let progress_scope = handler_scope.clone();
                    let mut progress = move |response| {
                        post(
                            &progress_scope,
                            Reply {
                                response,
                                bytes: None,
                            },
                        )
                    };
                    session.handle_with_progress(
                        request,
                        buffer.map(|b| Uint8Array::new(&b).to_vec()),
                        &mut progress,
                    )
                }
                Err(error) => failure(error.to_string()),
            },
        };
        post(&handler_scope, reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(
        &scope,
        Reply {
            response: Response::Ready,
            bytes: None,
        },
    );
}

fn failure(message: String) -> Reply {
    Reply {
        response: Response::Failed {
            message,
            snapshot: None,
            log: Vec::new(),
        },
        bytes: None,
    }
}

/// Posts a reply; its bytes are copied once out of wasm memory into a new `ArrayBuffer`, which
/// is then transferred (not copied again) to the page.
fn post(scope: &DedicatedWorkerGlobalScope, reply: Reply) {
    let buffer: Option<ArrayBuffer> = reply
        .bytes
        .map(|bytes| Uint8Array::from(&bytes[..]).buffer());
    let sent = pack(&reply.response, buffer.as_ref()).and_then(|envelope| {
        scope
            .post_message_with_transfer(&envelope.value, &envelope.transfer)
            .map_err(|error| format!("postMessage failed: {error:?}"))
    });
    if let Err(problem) = sent {
        web_sys::console::error_1(&problem.into());
    }
}

/// A panic aborts the wasm instance; before it does, tell the page what went wrong, so the user
/// sees the reason instead of a bare "unreachable".
fn install_panic_reporter(scope: DedicatedWorkerGlobalScope) {
    std::panic::set_hook(Box::new(move |info| {
        let reason = info.to_string();
        web_sys::console::error_1(&reason.clone().into());
        post(
            &scope,
            Reply {
                response: Response::Crashed { reason },
                bytes: None,
            },
        );
    }));
}
