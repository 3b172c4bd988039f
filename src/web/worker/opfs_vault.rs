//! The worker's [`OpfsVault`]: copies (downloads) of a database without a source file (the
//! demo, a new database) of [`OPFS_FROM`] (256 MiB) and more written to the origin-private file
//! system (OPFS) instead of Blobs; smaller ones stay Blobs. A chosen file's download is its
//! slices and its written chunks: those go into a file here from [`PIECES_FROM`] (32 MiB) of
//! them (`pieces_image.rs`), into Blobs below (`blob_vault.rs`). The vault's files also serve
//! the chosen file's copy (`file_mirror.rs`) and its undo (`spill_files.rs`).
//!
//! Why: a Blob's bytes are copied into Chromium's browser process, which fills up and slows
//! down once earlier Blobs are paged out; a `FileSystemSyncAccessHandle` writes straight from
//! views on WebAssembly memory into a file on disk (the browser process stays at its idle size),
//! and the download is the disk-backed `File` that `getFile()` returns. The figures: BENCHMARKS.md, “Figures behind the code's constants”.
//!
//! Files: `content-db/<session>/<n>.sqlite3` in the origin's OPFS. Each worker holds a Web Lock
//! named after its session directory for as long as it lives; at start it removes the session
//! directories under `content-db/` whose lock nobody holds (left by a closed or crashed tab),
//! never another live tab's. A stored image's file is removed when the image is dropped (the
//! next download, another file opened).
//!
//! Opening a file handle and its access handle is asynchronous while the session's requests are
//! not, so the worker keeps one prepared ("spare") empty file ready ([`OpfsVault::replenish`],
//! awaited between requests); a copy without a spare, or one whose write fails (quota, private
//! mode, no OPFS at all), falls back to the Blob vault, and after a failed write OPFS is no
//! longer used by this worker. Nor is it when a few timed reads at start say it is not on disk
//! (a private window keeps it in the browser's memory, two orders of magnitude slower per call:
//! `storage_speed.rs`).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DedicatedWorkerGlobalScope, File, FileSystemDirectoryHandle, FileSystemFileHandle,
    FileSystemGetDirectoryOptions, FileSystemGetFileOptions, FileSystemReadWriteOptions,
    FileSystemRemoveOptions, FileSystemSyncAccessHandle,
};

use super::blob_vault::{copy_planned, import_in_slices, plan, BlobVault};
use super::pieces_image::PiecesImage;
use super::session::{Image, StoredImage, Vault};
use super::storage_speed;
use crate::db::DbError;
use crate::timing::span;
use crate::Database;

/// The app's own directory in the origin's OPFS; nothing outside it is ever touched.
pub const APP_DIR: &str = "content-db";

/// At most how many bytes of the image are handed over at a time (4 MiB); each chunk of the
/// in-memory file (1 MiB) is one write. Writes of 1 to 8 MiB are equally fast, smaller ones
/// slower (BENCHMARKS.md, “Figures behind the code's constants”).
const WRITE_LEN: usize = 4 << 20;

/// Images shorter than this (256 MiB) are kept as Blobs even where OPFS works: a Blob is
/// written faster, until the browser starts paging Blobs out and its process fills up, where
/// OPFS is faster and keeps the browser process at its idle size (BENCHMARKS.md, “Figures behind the code's constants”).
const OPFS_FROM: u64 = 256 << 20;

/// A download of a chosen file whose copied bytes (its written pages) are this many or more
/// (32 MiB) writes them into a file here rather than into Blobs (`pieces_image.rs`): the ~60 MB
/// of the 100 MB benchmark file's upgrade took 82–101 ms that way against 188–243 ms as Blobs,
/// the ~300 MB of the 500 MB file's 654–694 ms against 1.1–1.4 s (BENCHMARKS.md, issue 16).
/// Smaller ones stay Blobs, which cost a few ms, with no file to remove afterwards.
const PIECES_FROM: u64 = 32 << 20;

/// A number of bytes set under this name on the worker's global scope before the app starts
/// replaces [`OPFS_FROM`] and [`PIECES_FROM`] (the end-to-end tests set 0 to store small files
/// in OPFS).
const OPFS_FROM_OVERRIDE: &str = "CONTENT_DB_OPFS_FROM";

/// Session directories start with this, so clean-up only considers names the app made.
const SESSION_PREFIX: &str = "session-";

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks` (web-sys has it behind its unstable APIs).
    type LockManager;
    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, options: &JsValue, callback: &Function) -> Promise;
}

/// A file of this session's directory, open for synchronous access; removed when dropped.
pub(super) struct OpenFile {
    dir: FileSystemDirectoryHandle,
    name: String,
    handle: FileSystemFileHandle,
    access: FileSystemSyncAccessHandle,
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        // Closing releases the file's lock; the removal is asynchronous and nobody waits for it
        // (a failure only leaves a file that the next start of the app removes).
        self.access.close();
        let removal = self.dir.remove_entry(&self.name);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(removal).await;
        });
    }
}

/// An access handle's read or write options for `offset`.
fn at(offset: u64) -> FileSystemReadWriteOptions {
    let options = FileSystemReadWriteOptions::new();
    options.set_at(offset as f64);
    options
}

impl OpenFile {
    /// Reads `into.len()` bytes at `offset` straight into wasm memory; how many it got (fewer
    /// only past the file's end).
    pub(super) fn read_at(&self, offset: u64, into: &mut [u8]) -> Result<usize, DbError> {
        let count = self
            .access
            .read_with_u8_array_and_options(into, &at(offset))
            .map_err(|error| stored_failed("read back", &error))?;
        Ok(count as usize)
    }

    /// Fills all of `into` with the bytes at `offset`, or an error (the file is shorter: the
    /// browser's storage was cleared).
    pub(super) fn read_exact_at(&self, offset: u64, into: &mut [u8]) -> Result<(), DbError> {
        let count = self.read_at(offset, into)?;
        if count != into.len() {
            return Err(DbError::Image {
                detail: format!(
                    "a file in the browser's private storage ended early ({count} of {} bytes \
                     at offset {offset}); the browser's storage may have been cleared",
                    into.len()
                ),
            });
        }
        Ok(())
    }

    /// Writes `bytes` (a view on wasm memory, not copied first) at `offset`, all of them or an
    /// error.
    pub(super) fn write_at(&self, offset: u64, bytes: &[u8]) -> Result<(), DbError> {
        let written = self
            .access
            .write_with_u8_array_and_options(bytes, &at(offset))
            .map_err(|error| stored_failed("write", &error))?;
        all_written(written, bytes.len() as u64)
    }

    /// The disk-backed `File` of what the file holds now; reading it fails once the file is
    /// written again (Chromium's `NotReadableError`), so take it of a file no longer written.
    pub(super) fn snapshot(&self) -> impl std::future::Future<Output = Result<File, JsValue>> {
        // Asked now; awaiting the answer borrows nothing of the file.
        let asked = JsFuture::from(self.handle.get_file());
        async move { Ok(asked.await?.unchecked_into()) }
    }

    /// Writes `bytes` (outside wasm memory) at `offset`, all of them or an error.
    pub(super) fn write_js_at(&self, offset: u64, bytes: &Uint8Array) -> Result<(), DbError> {
        let written = self
            .access
            .write_with_js_u8_array_and_options(bytes, &at(offset))
            .map_err(|error| stored_failed("write", &error))?;
        all_written(written, u64::from(bytes.length()))
    }
}

/// A file image stored in an OPFS file (kept open: reads go straight into wasm memory).
pub struct OpfsImage {
    file: OpenFile,
    len: u64,
}

impl OpfsImage {
    /// The disk-backed `File` to post to the page for a download.
    pub async fn file(&self) -> Result<File, JsValue> {
        self.file.snapshot().await
    }
}

impl StoredImage for OpfsImage {
    fn len(&self) -> u64 {
        self.len
    }

    fn start(&self, count: usize) -> Result<Vec<u8>, DbError> {
        start_of(self.len, count, |into| self.file.read_exact_at(0, into))
    }

    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError> {
        import_in_slices(self.len, progress, &mut |offset, _end, part| {
            span("copy:opfs_read", || self.file.read_exact_at(offset, part))
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Where OPFS stands for this worker.
#[derive(Default)]
enum Store {
    /// Not started yet, or unavailable: copies go to Blobs.
    #[default]
    Off,
    /// This session's directory, and a prepared empty file when there is one.
    On {
        dir: FileSystemDirectoryHandle,
        spare: Option<OpenFile>,
        next: u64,
    },
}

/// Copies databases into OPFS files, or into Blobs when it cannot (see the module doc).
#[derive(Clone, Default)]
pub struct OpfsVault {
    store: Rc<RefCell<Store>>,
    /// Images shorter than this go to Blobs ([`OPFS_FROM`]; set by [`OpfsVault::start`]).
    min_len: Rc<std::cell::Cell<u64>>,
    /// A chosen file's downloads whose copied bytes are this many or more write them into a
    /// file ([`PIECES_FROM`]; set by [`OpfsVault::start`]).
    pieces_from: Rc<std::cell::Cell<u64>>,
    /// The start under way ([`OpfsVault::start_in_background`]), for whoever needs a file.
    starting: Rc<RefCell<Option<Promise>>>,
}

impl OpfsVault {
    /// Runs [`OpfsVault::start`] beside the worker's first requests; [`OpfsVault::take_file`]
    /// waits for it (a background checker is asked for a file at once: without the wait it
    /// found OPFS not started yet and read a 5 GB file from the `File`, 418 s against 11 s
    /// natively for its check).
    pub fn start_in_background(&self) {
        let vault = self.clone();
        let promise = wasm_bindgen_futures::future_to_promise(async move {
            vault.start().await;
            Ok(JsValue::UNDEFINED)
        });
        *self.starting.borrow_mut() = Some(promise);
    }

    /// Opens this session's directory (holding its lock), starts removing what closed tabs
    /// left, and prepares the first spare file. Without OPFS or Web Locks it does nothing (the
    /// vault then uses Blobs); the reason goes to the console.
    pub async fn start(&self) {
        let configured = super::byte_setting(OPFS_FROM_OVERRIDE);
        self.min_len.set(configured.unwrap_or(OPFS_FROM));
        self.pieces_from.set(configured.unwrap_or(PIECES_FROM));
        match start_session().await {
            Ok(dir) => {
                *self.store.borrow_mut() = Store::On {
                    dir,
                    spare: None,
                    next: 0,
                };
                self.replenish().await;
                self.give_up_if_slow();
            }
            Err(error) => warn(
                "the browser's private storage (OPFS) is not available; using Blobs",
                &error,
            ),
        }
    }

    /// Times a few small reads of the spare file and stops using the private storage when
    /// they say it is not on disk (a private window's: see `storage_speed.rs`); the spare is
    /// left empty either way.
    fn give_up_if_slow(&self) {
        let timed = match &*self.store.borrow() {
            Store::On {
                spare: Some(file), ..
            } => time_reads(file),
            _ => return,
        };
        match timed {
            Ok(reads) => {
                if let Some(median) = storage_speed::too_slow(&reads) {
                    web_sys::console::warn_1(
                        &format!(
                            "the browser's private storage is not on disk here (a private \
                             window?): a {} KiB read took {median:.0} µs; keeping changes in \
                             memory and downloads in Blobs",
                            storage_speed::PROBE_READ_LEN >> 10
                        )
                        .into(),
                    );
                    *self.store.borrow_mut() = Store::Off;
                }
            }
            Err(error) => {
                warn("could not use the browser's private storage; using Blobs", &error);
                *self.store.borrow_mut() = Store::Off;
            }
        }
    }

    /// Makes sure a spare file is ready for the next copy (a few ms when one is made).
    pub async fn replenish(&self) {
        let (dir, name) = match &mut *self.store.borrow_mut() {
            Store::On {
                dir,
                spare: None,
                next,
            } => {
                *next += 1;
                (dir.clone(), format!("{next}.sqlite3"))
            }
            _ => return,
        };
        match open_file(&dir, &name).await {
            Ok(file) => {
                if let Store::On { spare, .. } = &mut *self.store.borrow_mut() {
                    *spare = Some(file);
                }
            }
            Err(error) => {
                warn(
                    "could not prepare a file in the browser's private storage; using Blobs",
                    &error,
                );
                *self.store.borrow_mut() = Store::Off;
            }
        }
    }

    /// The spare file, if one is ready (without waiting: see [`OpfsVault::take_file`]).
    pub(super) fn take_spare(&self) -> Option<OpenFile> {
        match &mut *self.store.borrow_mut() {
            Store::On { spare, .. } => spare.take(),
            Store::Off => None,
        }
    }

    /// Removes what sessions that ended left in the private storage (as at start), e.g. a
    /// background checker this worker just ended (`checker.rs`). Nothing without OPFS.
    pub(super) async fn clean_up_closed(&self) {
        let own = match &*self.store.borrow() {
            Store::On { dir, .. } => dir.name(),
            Store::Off => return,
        };
        let cleaned = async {
            let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let navigator = scope.navigator();
            let locks: LockManager = Reflect::get(&navigator, &"locks".into())?.unchecked_into();
            let root: FileSystemDirectoryHandle =
                JsFuture::from(navigator.storage().get_directory())
                    .await?
                    .unchecked_into();
            let app = get_dir(&root, APP_DIR).await?;
            remove_abandoned(&locks, &app, &own).await
        };
        if let Err(error) = cleaned.await {
            warn("could not clean up files of a finished background check", &error);
        }
    }

    /// An empty file of this session's directory for the caller to keep (the spare, or a new
    /// one); `None` where OPFS is not available to this worker.
    pub(super) async fn take_file(&self) -> Option<OpenFile> {
        let starting = self.starting.borrow().clone();
        if let Some(started) = starting {
            // Resolves once the start has ended, with OPFS or without.
            let _ = JsFuture::from(started).await;
        }
        if let Some(file) = self.take_spare() {
            return Some(file);
        }
        self.replenish().await;
        self.take_spare()
    }
}

impl Vault for OpfsVault {
    fn copy_out(&self, db: &mut Database) -> Result<Image, DbError> {
        // A database opened lazily over a Blob: its slices and the written chunks, whatever its
        // size (writing it here would copy the whole file); the written chunks go into a file
        // here when they are at least `pieces_from` (`pieces_image.rs`). Before `start` set
        // the thresholds they are 0 but the store is off: Blobs either way.
        if db.has_source()? {
            let plan = plan(db)?;
            let file = if plan.copied >= self.pieces_from.get() {
                self.take_spare()
            } else {
                None
            };
            let Some(file) = file else {
                return span("copy:out_pieces", || copy_planned(db, plan));
            };
            match span("copy:out_pieces_stored", || PiecesImage::write(file, db, plan)) {
                Ok(image) => return Ok(Rc::new(image)),
                Err(error) => {
                    // Quota or a storage error: Blobs from now on.
                    web_sys::console::warn_1(&error.to_string().into());
                    *self.store.borrow_mut() = Store::Off;
                }
            }
            return BlobVault.copy_out(db);
        }
        if db.image_reader()?.len() < self.min_len.get() {
            return BlobVault.copy_out(db);
        }
        if let Some(file) = self.take_spare() {
            match write_image(file, db) {
                Ok(image) => return Ok(image),
                Err(error) => {
                    // Quota or a storage error: Blobs from now on (the half-written file is
                    // removed with `file`).
                    web_sys::console::warn_1(&error.to_string().into());
                    *self.store.borrow_mut() = Store::Off;
                }
            }
        }
        BlobVault.copy_out(db)
    }
}

/// The first `count` bytes (fewer when it is shorter) of an image of `len` bytes, which `read`
/// fills in from its start.
pub(super) fn start_of(
    len: u64,
    count: usize,
    read: impl FnOnce(&mut [u8]) -> Result<(), DbError>,
) -> Result<Vec<u8>, DbError> {
    let mut bytes = vec![0; (count as u64).min(len) as usize];
    read(&mut bytes)?;
    Ok(bytes)
}

/// Writes `db`'s image into the empty `file` straight from the in-memory file's chunks (views on
/// wasm memory: no copy, no buffer), one chunk per write.
fn write_image(file: OpenFile, db: &mut Database) -> Result<Image, DbError> {
    let mut reader = db.image_reader()?;
    let mut offset = 0u64;
    let mut write = |part: &[u8]| -> Result<(), DbError> {
        span("copy:opfs_write", || file.write_at(offset, part))?;
        offset += part.len() as u64;
        Ok(())
    };
    while let Some(written) = reader.with_next_parts(WRITE_LEN, |parts| {
        parts.iter().try_for_each(|part| write(part))
    }) {
        written?;
    }
    let len = reader.len();
    // No flush: the file only lives as long as this tab, so it needs no durability.
    Ok(Rc::new(OpfsImage { file, len }))
}

/// The time (µs) of each of [`storage_speed::PROBE_READS`] reads of `file`, written for them
/// and emptied again afterwards.
fn time_reads(file: &OpenFile) -> Result<Vec<f64>, JsValue> {
    let len = storage_speed::PROBE_READ_LEN;
    let mut page = vec![0u8; len];
    file.access.write_with_u8_array_and_options(
        &vec![1u8; len * storage_speed::PROBE_READS],
        &at(0),
    )?;
    let reads = (0..storage_speed::PROBE_READS)
        .map(|index| {
            let started = crate::timing::now();
            file.access
                .read_with_u8_array_and_options(&mut page, &at((index * len) as u64))?;
            Ok((crate::timing::now() - started) * 1e3)
        })
        .collect::<Result<Vec<f64>, JsValue>>();
    file.access.truncate_with_f64(0.0)?;
    reads
}

/// Creates `name` (empty) in `dir` and opens it for synchronous access.
async fn open_file(dir: &FileSystemDirectoryHandle, name: &str) -> Result<OpenFile, JsValue> {
    let options = FileSystemGetFileOptions::new();
    options.set_create(true);
    let handle: FileSystemFileHandle =
        JsFuture::from(dir.get_file_handle_with_options(name, &options))
            .await?
            .unchecked_into();
    let access: FileSystemSyncAccessHandle = JsFuture::from(handle.create_sync_access_handle())
        .await?
        .unchecked_into();
    let file = OpenFile {
        dir: dir.clone(),
        name: name.to_string(),
        handle,
        access,
    };
    // A leftover of the same name would still hold its bytes.
    file.access.truncate_with_f64(0.0)?;
    Ok(file)
}

/// Takes this session's lock, then creates its directory, then (without waiting) removes the
/// directories of sessions whose lock is free.
async fn start_session() -> Result<FileSystemDirectoryHandle, JsValue> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let navigator = scope.navigator();
    let locks: LockManager = Reflect::get(&navigator, &"locks".into())?
        .dyn_into::<js_sys::Object>()
        .map_err(|_| JsValue::from_str("no Web Locks (navigator.locks)"))?
        .unchecked_into();
    let storage = navigator.storage();
    if !Reflect::has(&storage, &"getDirectory".into())? {
        return Err("no navigator.storage.getDirectory".into());
    }
    let root: FileSystemDirectoryHandle = JsFuture::from(storage.get_directory())
        .await?
        .unchecked_into();
    let app = get_dir(&root, APP_DIR).await?;
    let name = format!(
        "{SESSION_PREFIX}{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e9) as u64
    );
    hold_lock(&locks, &lock_name(&name)).await?;
    let dir = get_dir(&app, &name).await?;
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = remove_abandoned(&locks, &app, &name).await {
            warn("could not clean up files of closed tabs", &error);
        }
    });
    Ok(dir)
}

fn lock_name(dir_name: &str) -> String {
    format!("{APP_DIR}/{dir_name}")
}

async fn get_dir(
    parent: &FileSystemDirectoryHandle,
    name: &str,
) -> Result<FileSystemDirectoryHandle, JsValue> {
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(true);
    Ok(
        JsFuture::from(parent.get_directory_handle_with_options(name, &options))
            .await?
            .unchecked_into(),
    )
}

/// Requests `name` and returns once it is granted; the lock is then held until the worker ends
/// (its callback's promise never settles).
async fn hold_lock(locks: &LockManager, name: &str) -> Result<(), JsValue> {
    let mut granted = None;
    let signal = Promise::new(&mut |resolve, _| granted = Some(resolve));
    let granted = granted.expect("a Promise runs its executor at once");
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        let _ = granted.call0(&JsValue::UNDEFINED);
        Promise::new(&mut |_, _| {})
    });
    // The request's own promise settles only when the lock is released (never); a refusal
    // (e.g. a sandboxed origin) rejects it, which `signal` would not see: race them.
    let request = locks.request(name, &js_sys::Object::new(), callback.unchecked_ref());
    let either = Promise::race(&js_sys::Array::of2(&signal, &request));
    JsFuture::from(either).await.map(|_| ())
}

/// Removes `content-db/session-*` directories other than `own` whose lock is free: their tab
/// is gone (a live tab's worker holds its lock for as long as it runs).
async fn remove_abandoned(
    locks: &LockManager,
    app: &FileSystemDirectoryHandle,
    own: &str,
) -> Result<(), JsValue> {
    let names = js_sys::AsyncIterator::from(app.keys().unchecked_into::<JsValue>());
    let mut found = Vec::new();
    loop {
        let step = JsFuture::from(names.next()?).await?;
        if Reflect::get(&step, &"done".into())?.is_truthy() {
            break;
        }
        if let Some(name) = Reflect::get(&step, &"value".into())?.as_string() {
            if name.starts_with(SESSION_PREFIX) && name != own {
                found.push(name);
            }
        }
    }
    for name in found {
        let options = js_sys::Object::new();
        Reflect::set(&options, &"ifAvailable".into(), &true.into())?;
        let app = app.clone();
        let target = name.clone();
        // Removed while holding its lock, so a tab cannot start using it meanwhile (a new tab
        // never reuses a name anyway).
        let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
            if lock.is_null() {
                return Promise::resolve(&JsValue::FALSE);
            }
            let recursive = FileSystemRemoveOptions::new();
            recursive.set_recursive(true);
            app.remove_entry_with_options(&target, &recursive)
        });
        if let Err(error) =
            JsFuture::from(locks.request(&lock_name(&name), &options, callback.unchecked_ref()))
                .await
        {
            warn(&format!("could not remove {APP_DIR}/{name}"), &error);
        }
    }
    Ok(())
}

/// An error unless a write took all `expected` bytes (it takes fewer when the disk or the
/// site's quota is full).
fn all_written(written: f64, expected: u64) -> Result<(), DbError> {
    if written as u64 == expected {
        return Ok(());
    }
    Err(DbError::Image {
        detail: format!(
            "the browser's private storage took {written} of {expected} bytes (is the disk or \
             the site's storage quota full?)"
        ),
    })
}

fn stored_failed(what: &str, error: &JsValue) -> DbError {
    DbError::Image {
        detail: format!(
            "could not {what} a copy of the database in the browser's private storage ({})",
            describe(error)
        ),
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.to_string()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

fn warn(what: &str, error: &JsValue) {
    web_sys::console::warn_1(&format!("{what}: {}", describe(error)).into());
}
