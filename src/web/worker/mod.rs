//! The worker: what runs in the Web Worker that owns the open [`crate::Database`].
//!
//! - [`session`]: the worker's state and what each request does to it (pure, no browser APIs,
//!   tested natively). A new request's behaviour goes there, one file per kind of request.
//! - [`demo`]: the built-in demo database; [`error`]: the session's errors, worded for the page;
//!   [`advice`]: what to click to get out of a state the library explains; [`storage_speed`]:
//!   whether the private storage is on disk (a private window's is not: the worker then keeps
//!   to memory and Blobs).
//! - Browser glue: `request_loop.rs` (receives envelopes, runs requests in arrival order, posts
//!   replies; a chosen `File` is opened lazily through `blob_vault.rs`'s `BlobSource`, a large
//!   one read through its copy in the private storage, `file_mirror.rs`, its undo kept in files
//!   there too, `spill_files.rs`, its downloads' written pages from 32 MiB of them in one,
//!   `pieces_image.rs`), and the
//!   storage of file images outside WebAssembly memory: `opfs_vault.rs` (the origin-private file system) and
//!   `blob_vault.rs` (Blobs, the fallback). A new place to keep images implements
//!   [`session::Vault`].

pub mod advice;
pub mod demo;
pub mod error;
pub mod session;
pub mod storage_speed;

/// A number of bytes set under `name` on the worker's global scope before the app starts (the
/// end-to-end tests set the worker's thresholds and memory this way); `None` when unset or not
/// a number of bytes.
#[cfg(target_arch = "wasm32")]
pub(crate) fn byte_setting(name: &str) -> Option<u64> {
    js_sys::Reflect::get(&js_sys::global(), &wasm_bindgen::JsValue::from_str(name))
        .ok()
        .and_then(|value| value.as_f64())
        .filter(|bytes| *bytes >= 0.0)
        .map(|bytes| bytes as u64)
}

browser_only! {
    mod blob_vault;
    mod checker;
    mod file_mirror;
    mod opfs_vault;
    mod pieces_image;
    mod request_loop;
    mod spill_files;

    pub use request_loop::run;
}
