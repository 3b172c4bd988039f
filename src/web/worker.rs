//! The Web Worker's glue: receives envelopes from the page, hands them to the [`Session`] that
//! owns the database, and posts the replies back; file images go both ways as Blobs (see
//! `blob_vault.rs`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use super::blob_vault::{blob_of, BlobImage, BlobVault};
use super::envelope::{pack, unpack};
use super::protocol::{Request, Response};
use super::session::{memory_bytes, Image, Reply, Session};

/// Starts the worker: installs the message handler, then tells the page it is ready.
pub fn run() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    install_panic_reporter(scope.clone());
    // The history is parsed once; if it is broken every request reports why.
    let session = Rc::new(RefCell::new(Session::with_vault(Box::new(BlobVault))));
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let started = crate::timing::span("app:unpack", || unpack::<Request>(&event.data()));
        let name = match &started {
            Ok((request, _)) => format!("request:{}", request_kind(request)),
            Err(_) => "request:unreadable".to_string(),
        };
        crate::timing::span(&name, || handle(&session, &handler_scope, started));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(
        &scope,
        Reply {
            response: Response::Ready,
            image: None,
        },
    );
}

/// The type of a session, as the worker holds it (an error when the history is broken).
type Held = Rc<RefCell<Result<Session, crate::web::error::WebError>>>;

/// Carries out one unpacked request and posts the reply.
fn handle(
    session: &Held,
    scope: &DedicatedWorkerGlobalScope,
    unpacked: Result<(Request, Option<Blob>), String>,
) {
    let reply = match unpacked {
        Err(problem) => failure(problem),
        Ok((request, buffer)) => match &mut *session.borrow_mut() {
            Ok(session) => {
                // Progress of a migration is posted as it happens; the page shows it between
                // steps because each post is its own message event there.
                let progress_scope = scope.clone();
                let mut progress = move |response| {
                    post(
                        &progress_scope,
                        Reply {
                            response,
                            image: None,
                        },
                    )
                };
                session.handle_with_progress(request, buffer.map(BlobImage::shared), &mut progress)
            }
            Err(error) => failure(error.to_string()),
        },
    };
    crate::timing::span("app:post", || post(scope, reply));
}

/// The request's variant name (`Open`, `Export`, …), for the benchmark's spans.
fn request_kind(request: &Request) -> String {
    let debug = format!("{request:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_string()
}

fn failure(message: String) -> Reply {
    Reply {
        response: Response::Failed {
            message,
            snapshot: None,
            log: Vec::new(),
        },
        image: None,
    }
}

/// The Blob to post for `image`: the vault's own Blob (no copy), or for an image held in memory
/// (none in the worker, whose vault makes Blobs) a Blob of its bytes.
fn blob_for(image: &Image) -> Option<Blob> {
    if let Some(stored) = image.as_any().downcast_ref::<BlobImage>() {
        return Some(stored.blob.clone());
    }
    let bytes = memory_bytes(image)?;
    blob_of(&Array::of1(&Uint8Array::from(bytes))).ok()
}

/// Posts a reply; a file image goes as a Blob, passed by reference (its bytes are not copied).
fn post(scope: &DedicatedWorkerGlobalScope, reply: Reply) {
    let blob = reply.image.as_ref().and_then(blob_for);
    let sent = pack(&reply.response, blob.as_ref()).and_then(|envelope| {
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
                image: None,
            },
        );
    }));
}
