//! The wire format of [`super`] (the messages): a JS object `{ message, bytes }` where `message` is
//! the serde value and `bytes` an optional `Blob` (the chosen `File`, or a download). Posting a
//! Blob passes a reference to its data, so a file image moves between page and worker without
//! a copy (and without a transfer list: Blobs are not transferable, they need not be).

use js_sys::{Array, Object, Reflect};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

const MESSAGE_KEY: &str = "message";
const BYTES_KEY: &str = "bytes";

/// A message ready for `postMessage(value, transfer)`.
pub struct Envelope {
    /// The object to post.
    pub value: JsValue,
    /// The objects to transfer (none: Blobs are passed by reference).
    pub transfer: Array,
}

/// Wraps `message` and, when given, the Blob to send with it.
pub fn pack<T: Serialize>(message: &T, bytes: Option<&Blob>) -> Result<Envelope, String> {
    let object = Object::new();
    let value = serde_wasm_bindgen::to_value(message)
        .map_err(|error| format!("could not encode a message for the worker: {error}"))?;
    set(&object, MESSAGE_KEY, &value)?;
    let transfer = Array::new();
    if let Some(blob) = bytes {
        set(&object, BYTES_KEY, blob)?;
    }
    Ok(Envelope {
        value: object.into(),
        transfer,
    })
}

/// Reads a posted envelope back: the message and the Blob (or `File`), if one came with it.
pub fn unpack<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Option<Blob>), String> {
    let message = Reflect::get(data, &JsValue::from_str(MESSAGE_KEY))
        .map_err(|_| "a message without a `message` field arrived".to_string())?;
    let message = serde_wasm_bindgen::from_value(message)
        .map_err(|error| format!("a message of an unknown shape arrived: {error}"))?;
    let bytes = Reflect::get(data, &JsValue::from_str(BYTES_KEY))
        .ok()
        .and_then(|value| value.dyn_into::<Blob>().ok());
    Ok((message, bytes))
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| format!("could not set `{key}` on a message"))
}
