//! The messages between the page and the QR encoding worker (`src/bin/qr_encode_worker.rs`), in
//! one place so both sides agree (readiness: `worker_message::READY`/`FAILED`).
//!
//! * page → worker, once: `{uri}`, the otpauth link's UTF-8 bytes in an `ArrayBuffer` that is
//!   transferred (not copied) and blanked by the worker once read;
//! * worker → page: `{svg: "<svg …>"}` or `{error: "advice"}`. The page then terminates the
//!   worker, which frees its memory.

/// The otpauth link to draw (UTF-8 bytes).
pub const URI: &str = "uri";
/// The QR code as an SVG document (a string).
pub const SVG: &str = "svg";
/// Why there is no drawing, in words for the user.
pub const ERROR: &str = "error";
