//! Kiln's seal worker: kiln-seal (age with a passphrase) compiled to its own wasm and run in a
//! dedicated Web Worker. Only this bin links kiln-seal, so age, scrypt and ChaCha20-Poly1305 are
//! never part of the page's first load: the page (`src/platform/seal`) starts the worker when
//! the operator asks for an encrypted export, and terminates it after the one reply.
//!
//! The plaintext and the passphrase are secrets: nothing here logs, the transferred buffers are
//! blanked once copied in, and the copies in wasm memory are wiped after sealing. A panic traps
//! (panic = "abort"); the page sees the worker's `error` event.

#[allow(dead_code)]
#[path = "../platform/seal/protocol.rs"]
mod protocol;

#[allow(dead_code)]
#[path = "../platform/worker_message.rs"]
mod worker_message;

use js_sys::{ArrayBuffer, Uint8Array};
use kiln_seal::{Passphrase, seal};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
use zeroize::Zeroizing;

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return; // not started as a dedicated worker: nothing to serve
    };
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = answer(&event.data());
        let sealed = worker_message::field(&reply, protocol::SEALED);
        let _ = match sealed.dyn_ref::<ArrayBuffer>() {
            Some(buffer) => {
                reply_to.post_message_with_transfer(&reply, &js_sys::Array::of1(buffer))
            }
            None => reply_to.post_message(&reply),
        };
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&worker_message::object(&[(
        worker_message::READY,
        &JsValue::TRUE,
    )]));
}

/// Seals one job message into its reply message.
fn answer(message: &JsValue) -> JsValue {
    let plaintext = take_bytes(&worker_message::field(message, protocol::PLAINTEXT));
    let passphrase = take_bytes(&worker_message::field(message, protocol::PASSPHRASE));
    let (Some(plaintext), Some(passphrase)) = (plaintext, passphrase) else {
        return error("The file did not reach the encryption step. Please export again.");
    };
    let text = match String::from_utf8(passphrase.to_vec()) {
        Ok(text) => Zeroizing::new(text),
        Err(not_text) => {
            drop(Zeroizing::new(not_text.into_bytes()));
            return error("The passphrase could not be read. Please type it again.");
        }
    };
    drop(passphrase);
    let passphrase = match Passphrase::new(text) {
        Ok(passphrase) => passphrase,
        Err(refused) => return error(&refused.to_string()),
    };
    match seal(&plaintext, &passphrase) {
        Ok(sealed) => {
            let out = Uint8Array::new_with_length(sealed.len() as u32);
            out.copy_from(&sealed);
            worker_message::object(&[(protocol::SEALED, &out.buffer())])
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
    worker_message::object(&[(protocol::ERROR, &JsValue::from_str(advice))])
}
