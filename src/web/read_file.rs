//! Reads a chosen file into an `ArrayBuffer` with a `FileReader`, reporting progress (the
//! promise-based `File.arrayBuffer()` gives none, and a large file takes a while).

use js_sys::ArrayBuffer;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{File, FileReader, ProgressEvent};
use yew::Callback;

/// Starts reading `file`; `on_progress` gets (read, total) bytes, `on_done` the contents or why
/// the browser could not read it.
pub fn read_with_progress(
    file: &File,
    on_progress: Callback<(u64, u64)>,
    on_done: Callback<Result<ArrayBuffer, String>>,
) {
    let name = file.name();
    let reader = match FileReader::new() {
        Ok(reader) => reader,
        Err(error) => {
            on_done.emit(Err(format!(
                "the browser cannot read files here ({error:?})"
            )));
            return;
        }
    };
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        on_progress.emit((event.loaded() as u64, event.total() as u64));
    });
    let done_reader = reader.clone();
    let load_end = Closure::once(move |_: ProgressEvent| {
        let result = done_reader
            .result()
            .ok()
            .and_then(|value| value.dyn_into::<ArrayBuffer>().ok())
            .ok_or_else(|| {
                format!("the browser could not read {name}; check that the file is still there and choose it again")
            });
        on_done.emit(result);
    });
    reader.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    reader.set_onloadend(Some(load_end.as_ref().unchecked_ref()));
    // Both closures must outlive this call; they are small and each read makes one pair.
    progress.forget();
    load_end.forget();
    if let Err(error) = reader.read_as_array_buffer(file) {
        web_sys::console::error_1(&error);
    }
}
