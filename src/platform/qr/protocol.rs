//! The messages between the page and the QR worker (`src/bin/qr_worker.rs`), in one place so both
//! sides agree. This file is compiled into both: the app includes it as a module, the worker bin
//! with `#[path]` (so the worker does not link the app).
//!
//! * worker → page, once its wasm runs: `{ready: true}` (or `{failed: true}` from the loader
//!   script, `kiln-qr-worker-loader.js`, when the wasm could not be loaded), the signals and
//!   plain-object helpers of `worker_message.rs`;
//! * page → worker: `{id, width, height, pixels}` with `pixels` an RGBA `ArrayBuffer`,
//!   transferred (not copied);
//! * worker → page: `{id, payloads: [text…], ms}` or `{id, error: "advice", ms}`, where `ms` is
//!   the decoder's own time (the benchmark reads it).

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
