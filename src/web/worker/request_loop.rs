//! The Web Worker's glue: receives envelopes from the page, hands them to the [`Session`] that
//! owns the database, and posts the replies back; file images go both ways as Blobs or
//! disk-backed `File`s (see `blob_vault.rs`, `opfs_vault.rs`).
//!
//! Requests are carried out strictly in arrival order by one asynchronous loop: fetching the
//! `File` of a download from the private storage and preparing its next file are asynchronous,
//! the session itself is not (a chosen file is read lazily, with `FileReaderSync`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use super::blob_vault::{blob_of, BlobImage};
use crate::web::protocol::envelope::{pack, unpack};
use super::file_mirror::{FileMirror, MIRROR_FROM};
use super::opfs_vault::{OpfsImage, OpfsVault};
use crate::web::protocol::{Request, Response};
use super::session::{memory_bytes, Image, Reply, Session};

/// How long a download's stored file is kept at least after it was handed to the page (the
/// browser reads it after the click; the page revokes its object URL after the same time).
const KEEP_DOWNLOAD_MS: u32 = 60_000;

/// The worker global where the bytes of changes and undo the open database's page store holds
/// are left after each request, for `benches/run.mjs`.
const CHANGED_BYTES: &str = "__contentDbChangedBytes";

/// What the request loop works with.
struct Worker {
    scope: DedicatedWorkerGlobalScope,
    session: Held,
    vault: OpfsVault,
    /// Requests not yet carried out, oldest first.
    queue: RefCell<VecDeque<JsValue>>,
    /// Whether the loop is running (it stops when the queue is empty).
    running: Cell<bool>,
    /// The last download's stored image: kept until the next download replaces it (and then
    /// for [`KEEP_DOWNLOAD_MS`] more), so its file outlives the browser's reading of it.
    last_download: RefCell<Option<Image>>,
    /// Whether the warm-up ran (once, the first time the queue runs dry with a database open;
    /// see `session/warm.rs`).
    warmed: Cell<bool>,
}

/// Starts the worker: installs the message handler, then tells the page it is ready.
pub fn run() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    install_panic_reporter(scope.clone());
    let vault = OpfsVault::default();
    // The history is parsed once; if it is broken every request reports why.
    let session = Rc::new(RefCell::new(Session::with_vault(Box::new(vault.clone()))));
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        session,
        vault,
        queue: RefCell::default(),
        running: Cell::new(true),
        last_download: RefCell::default(),
        warmed: Cell::new(false),
    });
    // The private storage opens beside the first requests (they use Blobs until it is ready)
    // rather than delaying the page's first database.
    let vault = worker.vault.clone();
    wasm_bindgen_futures::spawn_local(async move { vault.start().await });
    wasm_bindgen_futures::spawn_local(drain(worker.clone()));
    let on_message = EventListener::new(&scope, "message", move |event| {
        if let Some(event) = event.dyn_ref::<MessageEvent>() {
            worker.queue.borrow_mut().push_back(event.data());
        }
        if !worker.running.replace(true) {
            wasm_bindgen_futures::spawn_local(drain(worker.clone()));
        }
    });
    // The handler lives as long as the worker.
    on_message.forget();
    post(
        &scope,
        Reply {
            response: Response::Ready,
            image: None,
        },
        None,
    );
}

/// Carries out the queued requests one after the other, until the queue is empty.
async fn drain(worker: Rc<Worker>) {
    loop {
        let next = worker.queue.borrow_mut().pop_front();
        let Some(data) = next else {
            if !worker.warmed.get() {
                if let Ok(session) = &mut *worker.session.borrow_mut() {
                    // Idle with the demo open: run the code of a first upgrade once, so the
                    // user's first one does not pay for compiling it. Then look again.
                    let ran = crate::timing::span("app:warm-up", || session.warm_up());
                    if ran.is_some() {
                        worker.warmed.set(true);
                        continue;
                    }
                }
            }
            worker.running.set(false);
            return;
        };
        let start = crate::timing::now();
        let started = crate::timing::span("app:unpack", || unpack::<Request>(&data));
        let name = match &started {
            Ok((request, _)) => format!("request:{}", request_kind(request)),
            Err(_) => "request:unreadable".to_string(),
        };
        handle(&worker, started).await;
        crate::timing::record_since(&name, start);
        if let Ok(session) = &*worker.session.borrow() {
            // For the benchmark, beside the worker's memory: what the page store holds of the
            // user's changes and their undo (BENCHMARKS.md, issue 16).
            let held = session.changed_bytes().map_or(0.0, |bytes| bytes as f64);
            let _ = js_sys::Reflect::set(&worker.scope, &CHANGED_BYTES.into(), &held.into());
        }
        // Ready for the next stash before the next request (a few ms, after the reply).
        worker.vault.replenish().await;
    }
}

/// The type of a session, as the worker holds it (an error when the history is broken).
type Held = Rc<RefCell<Result<Session, crate::web::worker::error::WebError>>>;

/// Carries out one unpacked request and posts the reply.
async fn handle(worker: &Worker, unpacked: Result<(Request, Option<Blob>), String>) {
    let scope = &worker.scope;
    let (request, image) = match unpacked {
        Err(problem) => return post(scope, failure(problem), None),
        Ok((request, None)) => (request, None),
        // The chosen file is opened lazily by the session: SQLite reads the pages it needs,
        // through a copy in the private storage for a large file (`file_mirror.rs`).
        Ok((request, Some(file))) => {
            let mirror = if file.size() as u64 > MIRROR_FROM {
                worker
                    .vault
                    .take_file()
                    .await
                    .map(|opened| FileMirror::new(opened, file.size() as u64))
            } else {
                None
            };
            (request, Some(BlobImage::mirrored(file, mirror)))
        }
    };
    let reply = match &mut *worker.session.borrow_mut() {
        Ok(session) => {
            // Progress of a migration is posted as it happens; the page shows it between
            // steps because each post is its own message event there.
            let mut progress = |response| post_progress(scope, response);
            session.handle_with_progress(request, image, &mut progress)
        }
        Err(error) => failure(error.to_string()),
    };
    let blob = match &reply.image {
        Some(image) => match blob_for(image).await {
            Ok(blob) => Some(blob),
            Err(problem) => return post(scope, failure(problem), None),
        },
        None => None,
    };
    if let Some(image) = &reply.image {
        if image.as_any().is::<OpfsImage>() {
            keep_download(worker, image.clone());
        }
    }
    crate::timing::span("app:post", || post(scope, reply, blob));
}

fn post_progress(scope: &DedicatedWorkerGlobalScope, response: Response) {
    post(
        scope,
        Reply {
            response,
            image: None,
        },
        None,
    )
}

/// Keeps `image` as the last download; the one before is dropped (its file removed) after
/// [`KEEP_DOWNLOAD_MS`].
fn keep_download(worker: &Worker, image: Image) {
    if let Some(previous) = worker.last_download.borrow_mut().replace(image) {
        Timeout::new(KEEP_DOWNLOAD_MS, move || drop(previous)).forget();
    }
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

/// The Blob to post for `image`: the vault's own Blob (no copy), the disk-backed `File` of an
/// image in the private storage, or for an image held in memory (none in the worker) a Blob of
/// its bytes.
async fn blob_for(image: &Image) -> Result<Blob, String> {
    if let Some(stored) = image.as_any().downcast_ref::<BlobImage>() {
        return Ok(stored.blob.clone());
    }
    if let Some(stored) = image.as_any().downcast_ref::<OpfsImage>() {
        return stored.file().await.map(Blob::from).map_err(|error| {
            format!(
                "could not hand over the saved copy of the database ({error:?}); try the \
                 download again"
            )
        });
    }
    let bytes = memory_bytes(image).ok_or("an image of an unknown kind cannot be posted")?;
    blob_of(&Array::of1(&Uint8Array::from(bytes))).map_err(|error| error.to_string())
}

/// Posts a reply with its image's Blob, if any (passed by reference: its bytes are not copied).
fn post(scope: &DedicatedWorkerGlobalScope, reply: Reply, blob: Option<Blob>) {
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
            None,
        );
    }));
}
