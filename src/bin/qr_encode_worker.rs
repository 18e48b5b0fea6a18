//! Kiln's QR encoding worker: kiln-qr-encode compiled to its own wasm and run in a dedicated Web
//! Worker. Only this bin links kiln-qr-encode, so the page's first load carries no QR encoder:
//! the page (`src/platform/qr_encode`) starts the worker when the user asks to see the account
//! as a QR code for a phone app, and terminates it after the one reply.
//!
//! The link holds the secret: nothing here logs, the transferred buffer is blanked once copied
//! in, and the link, the module matrix and the SVG text in wasm memory are wiped after drawing.
//! A panic traps (panic = "abort"); the page sees the worker's `error` event.

#[path = "../platform/qr_encode/protocol.rs"]
mod protocol;
#[allow(dead_code)]
#[path = "../platform/worker_message.rs"]
mod worker_message;

use js_sys::{ArrayBuffer, Uint8Array};
use kiln_qr_encode::{QUIET_ZONE, encode, to_svg};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use worker_message::{READY, field, object};
use zeroize::Zeroizing;

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return; // not started as a dedicated worker: nothing to serve
    };
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let _ = reply_to.post_message(&answer(&event.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&object(&[(READY, &JsValue::TRUE)]));
}

/// Draws one job message's link into its reply message.
fn answer(message: &JsValue) -> JsValue {
    let Some(bytes) = take_bytes(&field(message, protocol::URI)) else {
        return error("The account did not reach the QR code step. Please try again.");
    };
    let uri = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => Zeroizing::new(text),
        Err(not_text) => {
            drop(Zeroizing::new(not_text.into_bytes()));
            return error("The account could not be read. Please try again.");
        }
    };
    drop(bytes);
    match encode(&uri) {
        Ok(matrix) => {
            let svg = to_svg(&matrix, QUIET_ZONE);
            drop(matrix);
            object(&[(protocol::SVG, &JsValue::from_str(&svg))])
        }
        Err(refused) => error(&refused.to_string()),
    }
}

/// The bytes of a transferred buffer, copied into wiped-on-drop memory; the buffer is blanked,
/// so only wasm memory holds them.
fn take_bytes(value: &JsValue) -> Option<Zeroizing<Vec<u8>>> {
    let buffer = value.dyn_ref::<ArrayBuffer>()?;
    let view = Uint8Array::new(buffer);
    let mut bytes = Zeroizing::new(vec![0_u8; view.length() as usize]);
    view.copy_to(&mut bytes);
    view.fill(0, 0, view.length());
    Some(bytes)
}

fn error(advice: &str) -> JsValue {
    object(&[(protocol::ERROR, &JsValue::from_str(advice))])
}
