//! The page's wasm entry point (Trunk builds this bin from `index.html`).

#[cfg(target_arch = "wasm32")]
fn main() {
    content_db::web::page::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("web-app only runs in a browser: build it with `trunk build --release`.");
    std::process::exit(2);
}
