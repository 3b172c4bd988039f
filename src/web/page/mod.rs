//! The page: what runs on the tab's main thread. It shows the open database and sends the
//! worker typed requests; it never touches SQLite.
//!
//! - [`state`]: the page's state and the one reducer every change goes through (pure, tested
//!   natively). A new thing the page remembers or reacts to: a field and an [`state::Action`]
//!   there, with its test.
//! - [`chosen_migrations`]: migration files chosen for "Use other migrations…", read for the worker.
//! - Browser glue: `app.rs` (the root component: the effects, then the header over the four
//!   views), `components/` (one function component per file: the header, one per view, and the
//!   parts they are made of; a new piece of the page goes there), `handle.rs` (what every
//!   component reaches the page through: the state, and callbacks that dispatch actions or send
//!   requests, the one pattern of every callback), `hooks.rs` (the worker, the reads after every
//!   change, the view in the URL fragment), `bridge.rs` (spawns the worker, queues requests,
//!   turns messages into callbacks) and `download.rs` (saves a Blob or a text).

pub mod chosen_migrations;
pub mod state;

browser_only! {
    pub mod app;
    mod bridge;
    mod components;
    mod download;
    mod handle;
    mod hooks;

    /// The worker's loader script in `dist/` (`assets/worker-loader.js`). It can name the
    /// worker's files because Trunk names a worker's output after its bin, without a content hash.
    const WORKER_SCRIPT: &str = "./worker-loader.js";
}
