//! Saves a file image as a download: a Blob, an object URL, and a click on a temporary
//! `<a download>` (no network involved). Database images arrive from the worker as Blobs
//! already (a disk-backed `File` of the origin-private file system, or a Blob), so their bytes
//! are never copied in the page.

use js_sys::{Array, ArrayBuffer};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// How long the object URL stays valid after the click (the browser reads it asynchronously).
const REVOKE_AFTER_MS: i32 = 60_000;

/// Offers `blob` (a database image from the worker, or the chosen file) as a download named
/// `file_name`.
pub fn save_blob(blob: &Blob, file_name: &str) -> Result<(), String> {
    offer(blob, file_name)
}

/// Saves `text` (e.g. the migration log) as a plain-text file named `file_name`.
pub fn save_text(text: &str, file_name: &str) -> Result<(), String> {
    let bytes = js_sys::Uint8Array::from(text.as_bytes()).buffer();
    save_as(&bytes, file_name, "text/plain;charset=utf-8")
}

/// Saves `text` as a file named `file_name` of type `media_type` (SVG, CSV, JSON, SQL).
pub fn save_text_as(text: &str, file_name: &str, media_type: &str) -> Result<(), String> {
    let bytes = js_sys::Uint8Array::from(text.as_bytes()).buffer();
    save_as(&bytes, file_name, media_type)
}

fn save_as(bytes: &ArrayBuffer, file_name: &str, media_type: &str) -> Result<(), String> {
    let failed = |what: &str| format!("could not start the download of {file_name}: {what}");
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = Blob::new_with_buffer_source_sequence_and_options(&Array::of1(bytes), &options)
        .map_err(|_| failed("the browser refused to make a Blob"))?;
    offer(&blob, file_name)
}

fn offer(blob: &Blob, file_name: &str) -> Result<(), String> {
    let failed = |what: &str| format!("could not start the download of {file_name}: {what}");
    let url = Url::create_object_url_with_blob(blob).map_err(|_| failed("no object URL"))?;
    let window = web_sys::window().ok_or_else(|| failed("no window"))?;
    let document = window.document().ok_or_else(|| failed("no document"))?;
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
    let revoke = Closure::once_into_js(move || {
        // Failing to revoke only keeps a little memory until the page closes.
        let _ = Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            REVOKE_AFTER_MS,
        )
        .map_err(|_| failed("could not schedule clean-up"))?;
    Ok(())
}
