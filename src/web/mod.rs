//! The browser app: a Yew page and a Web Worker that owns the [`crate::Database`].
//!
//! The page never touches SQLite: it sends typed [`protocol::Request`]s to the worker and
//! renders the [`protocol::Response`]s through one reducer ([`state`]). Files travel as Blobs
//! beside the serde message (see [`protocol`]): the chosen `File` goes to the worker, which reads
//! it as a stream, and downloads come back as disk-backed `File`s of the origin-private file
//! system (or Blobs); no whole file image is copied between them.
//!
//! The pure parts (protocol, the worker's [`session`], the reducer) also compile natively, so
//! their unit tests run with `cargo test --no-default-features --features web --lib`; the
//! browser glue only exists on wasm32.

pub mod demo;
pub mod error;
pub mod inspect;
pub mod limits;
pub mod protocol;
pub mod session;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod blob_vault;
#[cfg(target_arch = "wasm32")]
mod bridge;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod download;
#[cfg(target_arch = "wasm32")]
mod envelope;
#[cfg(target_arch = "wasm32")]
mod handle;
#[cfg(target_arch = "wasm32")]
mod hooks;
#[cfg(target_arch = "wasm32")]
mod opfs_vault;
#[cfg(target_arch = "wasm32")]
mod stream_read;
#[cfg(target_arch = "wasm32")]
pub mod worker;

/// The worker's loader script in `dist/` (`assets/worker-loader.js`). It can name the worker's
/// files because Trunk names a worker's output after its bin, without a content hash.
pub const WORKER_SCRIPT: &str = "./worker-loader.js";
