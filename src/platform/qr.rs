//! QR codes from images, the screen and the camera. Pixels are decoded by the browser
//! (`createImageBitmap`, canvas `getImageData`) and the QR decoding runs in a Web Worker (kiln-qr
//! compiled to its own wasm, `src/bin/qr_worker.rs`), started on first use so the page loads
//! without it. Camera frames go to the browser's `BarcodeDetector` where it reads QR codes.
//!
//! Payloads are secrets: nothing here logs them, pixel buffers are handed to the worker
//! (transferred, not copied) and the worker wipes what it held once it has replied.

pub mod camera;
mod client;
mod detector;
mod failure;
mod media;
mod pixels;
pub mod protocol;
mod screen;

pub use failure::QrFailure;
pub use screen::capture_screen;

/// Decodes every QR code in an image file or pasted image. `Ok(vec![])`: no code was found.
pub async fn decode_blob(blob: web_sys::Blob) -> Result<Vec<String>, QrFailure> {
    let pixels = pixels::from_blob(&blob).await?;
    client::decode(pixels).await
}
