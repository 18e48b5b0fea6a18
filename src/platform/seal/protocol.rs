//! The messages between the page and the seal worker (`src/bin/seal_worker.rs`), in one place so
//! both sides agree. Compiled into both: the app includes it as a module, the worker bin with
//! `#[path]` (so the worker does not link the app, and the app does not link age).
//!
//! * worker → page, once its wasm runs: `{ready: true}` (or `{failed: true}` from the loader
//!   script, `kiln-seal-worker-loader.js`, when the wasm could not be loaded), the signals and
//!   plain-object helpers of `worker_message.rs`;
//! * page → worker, once: `{plaintext, passphrase}`, both UTF-8 bytes in `ArrayBuffer`s that are
//!   transferred (not copied) and blanked by the worker once read;
//! * worker → page: `{sealed}` (the age file, an `ArrayBuffer`, transferred) or
//!   `{error: "advice"}`. The page then terminates the worker, which frees its memory.

/// The file to encrypt (bytes).
pub const PLAINTEXT: &str = "plaintext";
/// The passphrase (UTF-8 bytes).
pub const PASSPHRASE: &str = "passphrase";
/// The encrypted file (bytes of a binary age file).
pub const SEALED: &str = "sealed";
/// Why there is no encrypted file, in words for the operator.
pub const ERROR: &str = "error";
