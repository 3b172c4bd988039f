//! Saves a file image as a download: an object URL of its Blob and a click on a temporary
//! `<a download>` (no network involved). Database images arrive from the worker as Blobs
//! already (a disk-backed `File` of the origin-private file system, or a Blob), so their bytes
//! are never copied in the page.

use gloo::file::{Blob, ObjectUrl};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlAnchorElement;

/// How long the object URL stays valid after the click (the browser reads it asynchronously).
const REVOKE_AFTER_MS: u32 = 60_000;

/// Offers `blob` (a database image from the worker, or the chosen file) as a download named
/// `file_name`.
pub fn save_blob(blob: &web_sys::Blob, file_name: &str) -> Result<(), String> {
    offer(ObjectUrl::from(blob.clone()), file_name)
}

/// Saves `text` (e.g. the migration log) as a plain-text file named `file_name`.
pub fn save_text(text: &str, file_name: &str) -> Result<(), String> {
    save_text_as(text, file_name, "text/plain;charset=utf-8")
}

/// Saves `text` as a file named `file_name` of type `media_type` (SVG, CSV, JSON, SQL).
pub fn save_text_as(text: &str, file_name: &str, media_type: &str) -> Result<(), String> {
    let blob = Blob::new_with_options(text, Some(media_type));
    offer(ObjectUrl::from(blob), file_name)
}

/// Clicks a hidden link to `url`; the URL is revoked (dropped) [`REVOKE_AFTER_MS`] later.
fn offer(url: ObjectUrl, file_name: &str) -> Result<(), String> {
    let failed = |what: &str| format!("could not start the download of {file_name}: {what}");
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| failed("no document"))?;
    let body = document.body().ok_or_else(|| failed("no document body"))?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| failed("could not create a link"))?
        .dyn_into()
        .map_err(|_| failed("not a link element"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    body.append_child(&anchor)
        .map_err(|_| failed("could not add the link"))?;
    anchor.click();
    anchor.remove();
    Timeout::new(REVOKE_AFTER_MS, move || drop(url)).forget();
    Ok(())
}
