//! The wire format of [`super::protocol`]: a JS object `{ message, bytes }` where `message` is
//! the serde value and `bytes` an optional `ArrayBuffer` listed in `postMessage`'s transfer
//! list, so a file image moves between page and worker without a copy.

use js_sys::{Array, ArrayBuffer, Object, Reflect};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};

const MESSAGE_KEY: &str = "message";
const BYTES_KEY: &str = "bytes";

/// A message ready for `postMessage(value, transfer)`.
pub struct Envelope {
    /// The object to post.
    pub value: JsValue,
    /// The buffers to transfer (empty or the one `bytes` buffer).
    pub transfer: Array,
}

/// Wraps `message` and, when given, the buffer to transfer with it.
pub fn pack<T: Serialize>(message: &T, bytes: Option<&ArrayBuffer>) -> Result<Envelope, String> {
    let object = Object::new();
    let value = serde_wasm_bindgen::to_value(message)
        .map_err(|error| format!("could not encode a message for the worker: {error}"))?;
    set(&object, MESSAGE_KEY, &value)?;
    let transfer = Array::new();
    if let Some(buffer) = bytes {
        set(&object, BYTES_KEY, buffer)?;
        transfer.push(buffer);
    }
    Ok(Envelope {
        value: object.into(),
        transfer,
    })
}

/// Reads a posted envelope back: the message and the buffer, if one came with it.
pub fn unpack<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Option<ArrayBuffer>), String> {
    let message = Reflect::get(data, &JsValue::from_str(MESSAGE_KEY))
        .map_err(|_| "a message without a `message` field arrived".to_string())?;
    let message = serde_wasm_bindgen::from_value(message)
        .map_err(|error| format!("a message of an unknown shape arrived: {error}"))?;
    let bytes = Reflect::get(data, &JsValue::from_str(BYTES_KEY))
        .ok()
        .and_then(|value| value.dyn_into::<ArrayBuffer>().ok());
    Ok((message, bytes))
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| format!("could not set `{key}` on a message"))
}
