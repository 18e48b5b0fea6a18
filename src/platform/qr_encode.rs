//! The account as a QR code for a phone app, drawn by a worker loaded on demand: kiln-qr-encode
//! runs only in that worker's wasm, so the page's first load does not carry a QR encoder.
//!
//! * `client` — starts the worker for one drawing and returns the SVG;
//! * `protocol` — the messages, shared with `src/bin/qr_encode_worker.rs`.

mod client;
pub mod protocol;

pub use client::draw;

use wasm_bindgen::JsValue;

/// Why the QR code could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrEncodeFailure {
    /// The drawing worker could not be started or stopped answering.
    WorkerStopped,
    /// kiln-qr-encode refused (the link is too long), with its advice.
    Refused(String),
}

impl std::fmt::Display for QrEncodeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QrEncodeFailure::WorkerStopped => f.write_str(
                "The QR code could not be drawn (its code did not load, or it ran out of time). \
                 Reload the page and try again, or type the secret into the phone app instead.",
            ),
            QrEncodeFailure::Refused(advice) => f.write_str(advice),
        }
    }
}

/// An SVG document of the QR code, as the browser's own string: it goes into the page without
/// a copy in WebAssembly memory. It draws the secret, so `Debug` shows nothing of it.
#[derive(Clone)]
pub struct QrSvg(JsValue);

impl std::fmt::Debug for QrSvg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QrSvg(…)")
    }
}

impl QrSvg {
    /// Puts the drawing into `container` (replacing what it held), as inline SVG: no image
    /// file, nothing to save with a right click.
    pub fn draw_into(&self, container: &web_sys::Element) {
        let _ = js_sys::Reflect::set(container, &JsValue::from_str("innerHTML"), &self.0);
    }
}
