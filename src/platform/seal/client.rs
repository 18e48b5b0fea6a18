//! The page's side of the seal worker (`src/bin/seal_worker.rs`): one worker per file.
//!
//! The worker is started when an encrypted export is asked for, not at page load, so its wasm
//! (age, scrypt) is not part of the first-load transfer. It gets the plaintext and passphrase as
//! transferred buffers (the page keeps no copy of them) and is terminated after its reply, so
//! nothing it held stays in memory. One that fails to load, traps or times out fails the export
//! with [`SealFailure::WorkerStopped`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, Worker};

use super::SealFailure;
use super::protocol;
use crate::platform::worker_client::{Settle, deferred, wait, worker_url};

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

/// Encrypts `plaintext` with `passphrase` as a binary age file, in a worker started for it.
pub async fn seal(plaintext: &[u8], passphrase: &str) -> Result<Vec<u8>, SealFailure> {
    let job = Job::start()?;
    wait(&job.ready, START_TIMEOUT_MS)
        .await
        .map_err(|()| SealFailure::WorkerStopped)?;
    let plaintext = transferable(plaintext);
    let passphrase = transferable(passphrase.as_bytes());
    let message = protocol::object(&[
        (protocol::PLAINTEXT, &plaintext),
        (protocol::PASSPHRASE, &passphrase),
    ]);
    let sent = job
        .worker
        .post_message_with_transfer(&message, &Array::of2(&plaintext, &passphrase));
    if sent.is_err() {
        blank(&plaintext);
        blank(&passphrase);
        return Err(SealFailure::WorkerStopped);
    }
    let reply = wait(&job.reply, JOB_TIMEOUT_MS)
        .await
        .map_err(|()| SealFailure::WorkerStopped)?;
    drop(job);
    if let Some(advice) = protocol::field(&reply, protocol::ERROR).as_string() {
        return Err(SealFailure::Refused(advice));
    }
    let sealed = protocol::field(&reply, protocol::SEALED);
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

/// A promise with its settling functions in a slot both event handlers can take them from.
fn shared_deferred() -> Option<(Promise, Rc<RefCell<Option<Settle>>>)> {
    deferred().map(|(promise, settle)| (promise, Rc::new(RefCell::new(Some(settle)))))
}

fn resolve(slot: &RefCell<Option<Settle>>, value: &JsValue) {
    if let Some(settle) = slot.borrow_mut().take() {
        let _ = settle.resolve.call1(&JsValue::NULL, value);
    }
}

fn reject(slot: &RefCell<Option<Settle>>) {
    if let Some(settle) = slot.borrow_mut().take() {
        let _ = settle.reject.call0(&JsValue::NULL);
    }
}

/// A worker started for one file; terminated when dropped.
struct Job {
    worker: Worker,
    /// Settles when the worker says it is ready (rejects if it dies first).
    ready: Promise,
    /// Settles with the worker's reply (rejects if it dies first).
    reply: Promise,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl Job {
    fn start() -> Result<Job, SealFailure> {
        let (ready, ready_settle) = shared_deferred().ok_or(SealFailure::WorkerStopped)?;
        let (reply, reply_settle) = shared_deferred().ok_or(SealFailure::WorkerStopped)?;
        let worker = Worker::new(&worker_url(WORKER_URL_META, UNHASHED_WORKER_URL))
            .map_err(|_| SealFailure::WorkerStopped)?;
        let (ready_on_message, reply_on_message) =
            (Rc::clone(&ready_settle), Rc::clone(&reply_settle));
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let message = event.data();
            if protocol::field(&message, protocol::FAILED).is_truthy() {
                reject(&ready_on_message);
                reject(&reply_on_message);
            } else if protocol::field(&message, protocol::READY).is_truthy() {
                resolve(&ready_on_message, &JsValue::TRUE);
            } else {
                resolve(&reply_on_message, &message);
            }
        });
        // A trap, an exception or a script that failed to load. preventDefault keeps the browser
        // from reporting it again on the page's console: it is handled here.
        let on_error = Closure::<dyn Fn(Event)>::new(move |event: Event| {
            event.prevent_default();
            reject(&ready_settle);
            reject(&reply_settle);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Job {
            worker,
            ready,
            reply,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

impl Drop for Job {
    /// Stops the worker: it served its one file, and its memory goes with it.
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
    }
}
