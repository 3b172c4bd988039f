//! The browser app: a Yew page and a Web Worker that owns the [`crate::Database`], in three
//! folders by where the code runs.
//!
//! - [`page`]: the tab's main thread. The Yew app, its components, the one reducer ([`page::state`]),
//!   the hooks and the bridge that talks to the worker, downloads. It never touches SQLite.
//! - [`worker`]: the Web Worker. The [`worker::session::Session`] that owns the open database and
//!   carries out each request, the storage of file images (private file system or Blobs) and the
//!   reading of the chosen file.
//! - [`protocol`]: what both sides share, the typed messages ([`protocol::Request`],
//!   [`protocol::Response`], the inspect messages) and their wire format.
//!
//! Files travel as Blobs beside the serde message: the chosen `File` goes to the worker, which
//! reads it as a stream, and downloads come back as disk-backed `File`s of the origin-private
//! file system (or Blobs); no whole file image is copied between them.
//!
//! Each folder compiles its pure parts everywhere, so their unit tests run natively; what needs the
//! browser (web-sys, Yew, wasm-bindgen) sits in one [`browser_only!`] block per folder.
//! The two wasm entry points are `src/web/main.rs` (the page) and `src/web/worker_main.rs`.

/// Declares the items of a folder that only exist in the browser (wasm32): the one `cfg` of
/// each folder, so a reader sees at a glance what is browser glue and what is tested natively.
macro_rules! browser_only {
    ($($item:item)*) => { $( #[cfg(all(target_arch = "wasm32", feature = "web"))] $item )* };
}

pub mod page;
pub mod protocol;
pub mod worker;
