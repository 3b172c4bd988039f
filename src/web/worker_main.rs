//! The Web Worker's wasm entry point (Trunk builds this bin as `data-type="worker"`; the page
//! starts it from `web-worker_loader.js`).

#[cfg(target_arch = "wasm32")]
fn main() {
    content_db::web::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("web-worker only runs in a browser: build it with `trunk build --release`.");
    std::process::exit(2);
}
