//! The page's side of the QR encoding worker (`src/bin/qr_encode_worker.rs`): one worker per
//! drawing, started when the user asks, terminated after its reply.

use js_sys::{Array, ArrayBuffer, Uint8Array};

use super::{QrEncodeFailure, QrSvg, protocol};
use crate::platform::worker_client::worker_url;
use crate::platform::worker_job::{WorkerJob, WorkerStopped};
use crate::platform::worker_message::{field, object};

/// The page names its build's worker start script in this meta tag (scripts/post-build.mjs).
const WORKER_URL_META: &str = r#"meta[name="kiln-qr-encode-worker"]"#;
/// The start script's unhashed name, as trunk copies it (a page built without post-build).
const UNHASHED_WORKER_URL: &str = "./kiln-qr-encode-worker-loader.js";
/// How long the worker may take to load and compile its wasm.
const START_TIMEOUT_MS: i32 = 30_000;
/// Encoding one link takes milliseconds; this only catches a worker that hangs.
const JOB_TIMEOUT_MS: i32 = 10_000;

impl From<WorkerStopped> for QrEncodeFailure {
    fn from(_: WorkerStopped) -> Self {
        QrEncodeFailure::WorkerStopped
    }
}

/// Draws `uri` (an otpauth link, a secret) as a QR code, in a worker started for it.
pub async fn draw(uri: &str) -> Result<QrSvg, QrEncodeFailure> {
    let job = WorkerJob::start(&worker_url(WORKER_URL_META, UNHASHED_WORKER_URL))?;
    job.ready(START_TIMEOUT_MS).await?;
    let bytes = Uint8Array::new_with_length(uri.len() as u32);
    bytes.copy_from(uri.as_bytes());
    let buffer: ArrayBuffer = bytes.buffer();
    let message = object(&[(protocol::URI, &buffer)]);
    if let Err(stopped) = job.send(&message, &Array::of1(&buffer)) {
        // Not handed over: wipe the page's copy.
        if buffer.byte_length() > 0 {
            bytes.fill(0, 0, bytes.length());
        }
        return Err(stopped.into());
    }
    let reply = job.reply(JOB_TIMEOUT_MS).await?;
    drop(job);
    if let Some(advice) = field(&reply, protocol::ERROR).as_string() {
        return Err(QrEncodeFailure::Refused(advice));
    }
    let svg = field(&reply, protocol::SVG);
    if !svg.is_string() {
        return Err(QrEncodeFailure::WorkerStopped);
    }
    Ok(QrSvg(svg))
}
