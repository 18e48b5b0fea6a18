//! Small JavaScript helpers the device adapters share (USB, serial): DOMException names and
//! messages, and a timer.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The name of a DOMException (e.g. "NetworkError"), or "" for other values.
pub(crate) fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The browser's message for an error, for the "anything else" case.
pub(crate) fn error_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// A future that resolves after `ms` milliseconds.
pub(crate) fn sleep(ms: u32) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u32) as i32,
            );
        }
    });
    JsFuture::from(promise)
}
