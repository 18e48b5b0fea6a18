//! The messages between the page and the QR worker (`src/bin/qr_worker.rs`), in one place so both
//! sides agree. This file is compiled into both: the app includes it as a module, the worker bin
//! with `#[path]` (so the worker does not link the app).
//!
//! * worker → page, once its wasm runs: `{ready: true}` (or `{failed: true}` from the loader
//!   script, `kiln-qr-worker-loader.js`, when the wasm could not be loaded);
//! * page → worker: `{id, width, height, pixels}` with `pixels` an RGBA `ArrayBuffer`,
//!   transferred (not copied);
//! * worker → page: `{id, payloads: [text…], ms}` or `{id, error: "advice", ms}`, where `ms` is
//!   the decoder's own time (the benchmark reads it).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// `{ready: true}`: the worker's handler is installed.
pub const READY: &str = "ready";
/// `{failed: true}`: the worker's wasm could not be loaded (sent by its loader script).
pub const FAILED: &str = "failed";
/// The job number a reply answers.
pub const ID: &str = "id";
/// Image width in pixels.
pub const WIDTH: &str = "width";
/// Image height in pixels.
pub const HEIGHT: &str = "height";
/// The RGBA pixels (`width × height × 4` bytes), transferred.
pub const PIXELS: &str = "pixels";
/// The decoded texts (an array of strings, maybe empty).
pub const PAYLOADS: &str = "payloads";
/// kiln-qr's advice when it could not look for codes (too large, binary content…).
pub const ERROR: &str = "error";
/// Milliseconds the decoder itself took.
pub const MILLISECONDS: &str = "ms";

/// A plain object with the given fields.
pub fn object(fields: &[(&str, &JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

/// Field `name` of `message` (`undefined` when missing or when `message` is not an object).
pub fn field(message: &JsValue, name: &str) -> JsValue {
    if !message.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(message, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Field `name` as a whole number that fits `u32`.
pub fn u32_field(message: &JsValue, name: &str) -> Option<u32> {
    let value = field(message, name).as_f64()?;
    let whole = value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value);
    whole.then_some(value as u32)
}
