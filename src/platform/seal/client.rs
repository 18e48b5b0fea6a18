//! The page's side of the seal worker (`src/bin/seal_worker.rs`): one worker per file.
//!
//! The worker is started when an encrypted export is asked for, not at page load, so its wasm
//! (age, scrypt) is not part of the first-load transfer. It gets the plaintext and passphrase as
//! transferred buffers (the page keeps no copy of them) and is terminated after its reply, so
//! nothing it held stays in memory. One that fails to load, traps or times out fails the export
//! with [`SealFailure::WorkerStopped`].

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;

use super::SealFailure;
use super::protocol;
use crate::platform::worker_client::worker_url;
use crate::platform::worker_job::{WorkerJob, WorkerStopped};
use crate::platform::worker_message::{field, object};

/// The page names its build's worker start script in this meta tag (written by
/// scripts/post-build.mjs with the content-hashed name), so a page only ever starts the worker of
/// its own build.
const WORKER_URL_META: &str = r#"meta[name="kiln-seal-worker"]"#;
/// The start script's unhashed name, as trunk copies it (a page built without post-build).
const UNHASHED_WORKER_URL: &str = "./kiln-seal-worker-loader.js";
/// How long the worker may take to load and compile its wasm.
const START_TIMEOUT_MS: i32 = 30_000;
/// How long sealing may take: scrypt is meant to take about a second; a slow phone, a few more.
const JOB_TIMEOUT_MS: i32 = 60_000;

impl From<WorkerStopped> for SealFailure {
    fn from(_: WorkerStopped) -> Self {
        SealFailure::WorkerStopped
    }
}

/// Encrypts `plaintext` with `passphrase` as a binary age file, in a worker started for it.
pub async fn seal(plaintext: &[u8], passphrase: &str) -> Result<Vec<u8>, SealFailure> {
    let job = WorkerJob::start(&worker_url(WORKER_URL_META, UNHASHED_WORKER_URL))?;
    job.ready(START_TIMEOUT_MS).await?;
    let plaintext = transferable(plaintext);
    let passphrase = transferable(passphrase.as_bytes());
    let message = object(&[
        (protocol::PLAINTEXT, &plaintext),
        (protocol::PASSPHRASE, &passphrase),
    ]);
    if let Err(stopped) = job.send(&message, &Array::of2(&plaintext, &passphrase)) {
        blank(&plaintext);
        blank(&passphrase);
        return Err(stopped.into());
    }
    let reply = job.reply(JOB_TIMEOUT_MS).await?;
    drop(job);
    if let Some(advice) = field(&reply, protocol::ERROR).as_string() {
        return Err(SealFailure::Refused(advice));
    }
    let sealed = field(&reply, protocol::SEALED);
    let buffer = sealed
        .dyn_ref::<ArrayBuffer>()
        .ok_or(SealFailure::WorkerStopped)?;
    Ok(Uint8Array::new(buffer).to_vec())
}

/// A copy of `bytes` in a buffer of its own, to be handed over to the worker.
fn transferable(bytes: &[u8]) -> ArrayBuffer {
    let view = Uint8Array::new_with_length(bytes.len() as u32);
    view.copy_from(bytes);
    view.buffer()
}

/// Zeroes a buffer that was not handed over (a handed-over one is empty).
fn blank(buffer: &ArrayBuffer) {
    if buffer.byte_length() > 0 {
        let view = Uint8Array::new(buffer);
        view.fill(0, 0, view.length());
    }
}
