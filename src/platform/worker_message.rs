//! Plain-object messages between the page and its on-demand workers, and the readiness signals
//! every worker sends. Compiled into both sides: the app includes it as a module, each worker
//! bin with `#[path]` (so no worker links the app). Each worker's own fields are in its
//! `protocol.rs`.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// `{ready: true}`: the worker's handler is installed.
pub const READY: &str = "ready";
/// `{failed: true}`: the worker's wasm could not be loaded (sent by its loader script).
pub const FAILED: &str = "failed";

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
