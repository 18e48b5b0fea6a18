//! Kiln's QR worker: kiln-qr compiled to its own small wasm and run in a dedicated Web Worker, so
//! the ~100 ms a camera frame can take never freezes the page. The page (`src/platform/qr`)
//! creates it on the first decode and talks to it with the messages of `protocol.rs`.
//!
//! Payloads are secrets: nothing here logs, the pixels and texts held in wasm memory are wiped
//! after each reply, and the transferred pixel buffer is zeroed once copied in. A panic traps
//! (panic = "abort"); the page sees the worker's `error` event and starts a fresh worker.

#[allow(dead_code)]
#[path = "../platform/qr/protocol.rs"]
mod protocol;

#[allow(dead_code)]
#[path = "../platform/worker_message.rs"]
mod worker_message;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use zeroize::{Zeroize, Zeroizing};

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return; // not started as a dedicated worker: nothing to serve
    };
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = answer(&event.data());
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&worker_message::object(&[(
        worker_message::READY,
        &JsValue::TRUE,
    )]));
}

/// Decodes one job message into its reply message.
fn answer(message: &JsValue) -> JsValue {
    let id = worker_message::field(message, protocol::ID);
    let width = worker_message::u32_field(message, protocol::WIDTH);
    let height = worker_message::u32_field(message, protocol::HEIGHT);
    let pixels = worker_message::field(message, protocol::PIXELS);
    let (Some(width), Some(height), Some(buffer)) =
        (width, height, pixels.dyn_ref::<js_sys::ArrayBuffer>())
    else {
        let advice =
            JsValue::from_str("The picture did not reach the QR reader. Please try again.");
        return worker_message::object(&[(protocol::ID, &id), (protocol::ERROR, &advice)]);
    };

    let view = Uint8Array::new(buffer);
    let mut rgba = Zeroizing::new(vec![0_u8; view.length() as usize]);
    view.copy_to(&mut rgba);
    // The transferred copy belongs to this worker now; blank it so only wasm memory holds it.
    view.fill(0, 0, view.length());

    let started = now_ms();
    let result = kiln_qr::decode_rgba(&rgba, width, height);
    let elapsed = JsValue::from_f64(now_ms() - started);
    drop(rgba);

    match result {
        Ok(mut payloads) => {
            let list = Array::new();
            for payload in &payloads {
                list.push(&JsValue::from_str(payload));
            }
            payloads.iter_mut().for_each(Zeroize::zeroize);
            worker_message::object(&[
                (protocol::ID, &id),
                (protocol::PAYLOADS, &list),
                (protocol::MILLISECONDS, &elapsed),
            ])
        }
        Err(error) => {
            let advice = JsValue::from_str(&error.to_string());
            worker_message::object(&[
                (protocol::ID, &id),
                (protocol::ERROR, &advice),
                (protocol::MILLISECONDS, &elapsed),
            ])
        }
    }
}

/// `performance.now()` of the worker, or 0 where it is missing.
fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .and_then(|performance| performance.dyn_into::<web_sys::Performance>().ok())
        .map_or(0.0, |performance| performance.now())
}
