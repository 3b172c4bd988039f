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
use super::checker::{Checker, CHECKER_NAME};
use super::file_mirror::{FileMirror, MIRROR_FROM};
use super::pieces_image::PiecesImage;
use super::spill_files::SpillFiles;
use super::opfs_vault::{OpfsImage, OpfsVault};
use crate::web::protocol::{Request, Response};
use super::session::{memory_bytes, Image, Reply, Session};

/// How long a download's stored file is kept at least after it was handed to the page (the
/// browser reads it after the click; the page revokes its object URL after the same time).
const KEEP_DOWNLOAD_MS: u32 = 60_000;

/// The worker global where the bytes of changes and undo the open database's page store holds
/// are left after each request, for `benches/run.mjs`.
const CHANGED_BYTES: &str = "__contentDbChangedBytes";

/// What the open database has stored of its changes and their undo in the private storage
/// (`spill_files.rs`), set beside [`CHANGED_BYTES`] for the benchmark.
const SPILLED_BYTES: &str = "__contentDbSpilledBytes";

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
    /// The background checker of the open file's overview, while it runs (`checker.rs`).
    checker: RefCell<Option<Checker>>,
    /// Set once a checker could not start or run: overviews are checked here from then on.
    no_checker: Cell<bool>,
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
        checker: RefCell::default(),
        // A checker checks here: it never starts one of its own.
        no_checker: Cell::new(scope.name() == CHECKER_NAME),
    });
    // The private storage opens beside the first requests (they use Blobs until it is ready)
    // rather than delaying the page's first database.
    worker.vault.start_in_background();
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
            // Idle with a large file open: copy the next block of it into the private storage
            // (asynchronously: a request arriving meanwhile comes next). Then look again.
            if prefetch_one(&worker).await {
                continue;
            }
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
        // What idle work recorded is its own, not this request's.
        crate::timing::flush();
        let start = crate::timing::now();
        let started = crate::timing::span("app:unpack", || unpack::<Request>(&data));
        let kind = match &started {
            Ok((request, _)) => request_kind(request),
            Err(_) => "unreadable".to_string(),
        };
        let name = format!("{}{kind}", crate::timing::REQUEST);
        handle(&worker, started).await;
        crate::timing::record_since(&name, start);
        if let Ok(session) = &*worker.session.borrow() {
            // Another database open: the checker of the previous one has nothing left to do.
            let mut slot = worker.checker.borrow_mut();
            if slot
                .as_ref()
                .is_some_and(|checker| !session.has_original(&checker.original))
            {
                end_later(slot.take());
            }
            drop(slot);
            // For the benchmark, beside the worker's memory: what the page store holds of the
            // user's changes and their undo (BENCHMARKS.md, issue 16).
            let held = session.changed_bytes().map_or(0.0, |bytes| bytes as f64);
            let _ = js_sys::Reflect::set(&worker.scope, &CHANGED_BYTES.into(), &held.into());
        }
        // What the request stored in the private storage (undo's saved chunks) can be sliced
        // for a download from now on (`spill_files.rs`); then ready for the next copy before
        // the next request (a few ms each, after the reply).
        let spill = match &*worker.session.borrow() {
            Ok(session) => session.spill_of_open::<SpillFiles>(),
            Err(_) => None,
        };
        if let Some(spill) = spill {
            spill.seal().await;
            let stored = spill.stored() as f64;
            let _ = js_sys::Reflect::set(&worker.scope, &SPILLED_BYTES.into(), &stored.into());
        }
        worker.vault.replenish().await;
    }
}

/// Copies one more block of the open file into its copy in the private storage, if it has one
/// and it is not complete; false when there was nothing to do.
async fn prefetch_one(worker: &Worker) -> bool {
    let original = match &*worker.session.borrow() {
        Ok(session) => session.original(),
        Err(_) => None,
    };
    match original
        .as_ref()
        .and_then(|image| image.as_any().downcast_ref::<BlobImage>())
    {
        Some(stored) => stored.fetch_next().await,
        None => false,
    }
}

/// The type of a session, as the worker holds it (an error when the history is broken).
type Held = Rc<RefCell<Result<Session, crate::web::worker::error::WebError>>>;

/// Carries out one unpacked request and posts the reply.
async fn handle(worker: &Rc<Worker>, unpacked: Result<(Request, Option<Blob>), String>) {
    let scope = &worker.scope;
    match &unpacked {
        // Answered by the background checker, through `relay_checker`.
        Ok((Request::Overview { serial }, _)) if check_in_background(worker, *serial) => return,
        // Its checks end now; the session answers that they stopped.
        Ok((Request::StopOverview { serial }, _)) => stop_checker(worker, *serial),
        _ => {}
    }
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
            (request, Some(BlobImage::mirrored(file, mirror, &worker.vault)))
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
        if image.as_any().is::<OpfsImage>() || image.as_any().is::<PiecesImage>() {
            keep_download(worker, image.clone());
        }
    }
    crate::timing::span("app:post", || post(scope, reply, blob));
}

/// Hands the overview's checks under `serial` to a background checker when the open database
/// is still byte for byte a chosen file large enough to have a copy in the private storage
/// (a small one is checked here in a moment); false when they are to run here.
fn check_in_background(worker: &Rc<Worker>, serial: u64) -> bool {
    if worker.no_checker.get() {
        return false;
    }
    let original = match &*worker.session.borrow() {
        Ok(session) => session.unchanged_original(),
        Err(_) => None,
    };
    let Some(original) = original else {
        return false;
    };
    let Some(stored) = original.as_any().downcast_ref::<BlobImage>() else {
        return false;
    };
    if !stored.is_mirrored() {
        return false;
    }
    let mut slot = worker.checker.borrow_mut();
    if slot
        .as_ref()
        .is_some_and(|checker| !Rc::ptr_eq(&checker.original, &original))
    {
        end_later(slot.take());
    }
    if slot.is_none() {
        let file_name = stored
            .blob
            .dyn_ref::<web_sys::File>()
            .map_or_else(|| "content.db".to_string(), web_sys::File::name);
        let relay = Rc::downgrade(worker);
        let started = Checker::start(
            original.clone(),
            &stored.blob,
            &file_name,
            worker.vault.clone(),
            move |response| {
                if let Some(worker) = relay.upgrade() {
                    relay_checker(&worker, response);
                }
            },
        );
        match started {
            Ok(checker) => *slot = Some(checker),
            Err(problem) => {
                give_up_checker(worker, &problem);
                return false;
            }
        }
    }
    match slot.as_mut().map(|checker| checker.ask(serial)) {
        Some(Ok(())) => true,
        Some(Err(problem)) => {
            end_later(slot.take());
            give_up_checker(worker, &problem);
            false
        }
        None => false,
    }
}

/// What the background checker answered: progress and the checks go to the page (a sound file
/// settles the quick check the open database owes); a checker that failed is given up and its
/// checks run here instead.
fn relay_checker(worker: &Rc<Worker>, response: Response) {
    match response {
        Response::OverviewProgress { .. } => post_progress(&worker.scope, response),
        Response::Overviewed { serial, result } => {
            let sound = matches!(&result, Ok(checks) if checks.integrity == ["ok"]);
            let mut slot = worker.checker.borrow_mut();
            if let Some(checker) = slot.as_mut() {
                if sound {
                    if let Ok(mut held) = worker.session.try_borrow_mut() {
                        if let Ok(session) = &mut *held {
                            session.note_original_sound(&checker.original);
                        }
                    }
                }
                checker.pending.retain(|asked| *asked != serial);
                if checker.pending.is_empty() {
                    end_later(slot.take());
                }
            }
            drop(slot);
            post_progress(&worker.scope, Response::Overviewed { serial, result });
        }
        Response::Failed { message: problem, .. } | Response::Crashed { reason: problem } => {
            let pending = worker
                .checker
                .borrow_mut()
                .take()
                .map(|checker| {
                    let pending = checker.pending.clone();
                    end_later(Some(checker));
                    pending
                })
                .unwrap_or_default();
            give_up_checker(worker, &problem);
            for serial in pending {
                requeue(worker, &Request::Overview { serial });
            }
        }
        // The checker on its way: started, opened the file.
        _ => {}
    }
}

/// Ends the background checker if it is checking under `serial`.
fn stop_checker(worker: &Worker, serial: u64) {
    let mut slot = worker.checker.borrow_mut();
    if slot
        .as_ref()
        .is_some_and(|checker| checker.pending.contains(&serial))
    {
        end_later(slot.take());
    }
}

/// Ends `checker` once the current event is handled (it may be the checker's own message).
fn end_later(checker: Option<Checker>) {
    if let Some(checker) = checker {
        wasm_bindgen_futures::spawn_local(async move { drop(checker) });
    }
}

/// Checks overviews here from now on, saying why in the console.
fn give_up_checker(worker: &Worker, problem: &str) {
    worker.no_checker.set(true);
    web_sys::console::warn_1(
        &format!("content-db: the background check could not run ({problem}); checking here")
            .into(),
    );
}

/// Puts `request` at the end of the queue, as if the page had sent it.
fn requeue(worker: &Rc<Worker>, request: &Request) {
    match pack(request, None) {
        Ok(envelope) => {
            worker.queue.borrow_mut().push_back(envelope.value);
            if !worker.running.replace(true) {
                wasm_bindgen_futures::spawn_local(drain(worker.clone()));
            }
        }
        Err(problem) => web_sys::console::error_1(&problem.into()),
    }
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
    // Images in the private storage: their disk-backed `File`s, asked for now.
    let stored = if let Some(stored) = image.as_any().downcast_ref::<PiecesImage>() {
        Some(stored.blob().await)
    } else if let Some(stored) = image.as_any().downcast_ref::<OpfsImage>() {
        Some(stored.file().await.map(Blob::from))
    } else {
        None
    };
    if let Some(handed) = stored {
        return handed.map_err(|error| {
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
