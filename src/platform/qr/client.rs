//! The page's side of the QR worker (`src/bin/qr_worker.rs`).
//!
//! The worker is started on the first decode, not at page load, so its wasm is not part of the
//! first-load transfer. Pixel buffers are transferred, not copied. A worker that crashes (a
//! panic traps), fails to start or stops answering is terminated, its jobs fail with
//! [`QrFailure::DecoderStopped`], and the next decode starts a fresh one. A worker idle for
//! [`IDLE_MS`] is terminated too, which frees its memory and everything a decode left in it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, Worker};

use super::QrFailure;
use super::protocol;
use crate::platform::worker_client::{Settle, deferred, wait, worker_url};
use crate::platform::worker_message::{FAILED, READY, field, object, u32_field};

/// The page names its build's worker start script in this meta tag (written by
/// scripts/post-build.mjs with the content-hashed name), so a page only ever starts the worker of
/// its own build, even after a newer version was deployed.
const WORKER_URL_META: &str = r#"meta[name="kiln-qr-worker"]"#;
/// The start script's unhashed name, as trunk copies it (a page built without post-build).
const UNHASHED_WORKER_URL: &str = "./kiln-qr-worker-loader.js";
/// How long the worker may take to load and compile its wasm.
const START_TIMEOUT_MS: i32 = 30_000;
/// How long one decode may take: a 16 MP photo needs a few seconds on a slow phone.
const JOB_TIMEOUT_MS: i32 = 60_000;
/// An idle worker is terminated after this long (a camera sends a frame every ~0.1 s).
const IDLE_MS: i32 = 10_000;

/// An RGBA image for the worker: `width × height × 4` bytes, handed over (transferred) when
/// decoded, so the page keeps no copy.
pub struct Pixels {
    /// The pixels, row by row.
    pub buffer: ArrayBuffer,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Drop for Pixels {
    /// Blanks the pixels if they were never handed over (after a transfer the buffer is empty).
    fn drop(&mut self) {
        // A transferred (detached) buffer has length 0 and cannot be viewed.
        if self.buffer.byte_length() > 0 {
            let view = Uint8Array::new(&self.buffer);
            view.fill(0, 0, view.length());
        }
    }
}

/// Finds the QR codes in `pixels` with the worker, starting one if needed.
pub async fn decode(pixels: Pixels) -> Result<Vec<String>, QrFailure> {
    cancel_idle_timer();
    let client = running_client()?;
    let generation = client.shared.generation;
    let outcome = async {
        wait(&client.shared.ready, START_TIMEOUT_MS)
            .await
            .map_err(|()| QrFailure::DecoderStopped)?;
        let reply = client.submit(pixels)?;
        wait(&reply, JOB_TIMEOUT_MS)
            .await
            .map_err(|()| QrFailure::DecoderStopped)
    }
    .await;
    let result = match outcome {
        Ok(reply) => read_reply(&reply),
        Err(failure) => {
            retire(generation);
            Err(failure)
        }
    };
    if client.shared.pending.borrow().is_empty() {
        start_idle_timer();
    }
    result
}

/// Terminates the worker now if it is idle (e.g. when the camera closes).
pub fn release_if_idle() {
    let idle = CLIENT.with(|slot| {
        slot.borrow().as_ref().map(|client| {
            (
                client.shared.generation,
                client.shared.pending.borrow().is_empty(),
            )
        })
    });
    if let Some((generation, true)) = idle {
        retire(generation);
    }
}

/// The worker's reply as payloads, or kiln-qr's advice.
fn read_reply(reply: &JsValue) -> Result<Vec<String>, QrFailure> {
    if let Some(advice) = field(reply, protocol::ERROR).as_string() {
        return Err(QrFailure::Unreadable(advice));
    }
    let payloads = field(reply, protocol::PAYLOADS);
    let list = payloads
        .dyn_ref::<Array>()
        .ok_or(QrFailure::DecoderStopped)?;
    Ok(list
        .iter()
        .filter_map(|payload| payload.as_string())
        .collect())
}

/// What the event handlers share with the page side.
struct Shared {
    /// Distinguishes this worker from its predecessors.
    generation: u64,
    /// Settles when the worker says it is ready (rejects if it dies first).
    ready: Promise,
    ready_settle: RefCell<Option<Settle>>,
    /// Jobs sent and not answered yet, by id (a camera has one at a time, so a list will do).
    pending: RefCell<Vec<(u32, Settle)>>,
}

impl Shared {
    /// The worker answered `message`: readiness, or the reply to a job.
    fn on_message(&self, message: &JsValue) {
        if field(message, FAILED).is_truthy() {
            return retire(self.generation);
        }
        if field(message, READY).is_truthy() {
            if let Some(settle) = self.ready_settle.borrow_mut().take() {
                let _ = settle.resolve.call0(&JsValue::NULL);
            }
            return;
        }
        let Some(id) = u32_field(message, protocol::ID) else {
            return;
        };
        let answered = {
            let mut pending = self.pending.borrow_mut();
            let index = pending.iter().position(|(job, _)| *job == id);
            index.map(|index| pending.swap_remove(index).1)
        };
        if let Some(settle) = answered {
            let _ = settle.resolve.call1(&JsValue::NULL, message);
        }
    }

    /// The worker is gone: every waiting decode fails.
    fn fail_all(&self) {
        if let Some(settle) = self.ready_settle.borrow_mut().take() {
            let _ = settle.reject.call0(&JsValue::NULL);
        }
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        for (_, settle) in pending {
            let _ = settle.reject.call0(&JsValue::NULL);
        }
    }
}

/// A running worker and its event handlers.
struct Client {
    worker: Worker,
    shared: Rc<Shared>,
    next_id: Cell<u32>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl Client {
    fn start(generation: u64) -> Result<Client, QrFailure> {
        let worker = Worker::new(&worker_url(WORKER_URL_META, UNHASHED_WORKER_URL))
            .map_err(|_| QrFailure::DecoderStopped)?;
        let (ready, ready_settle) = deferred().ok_or(QrFailure::DecoderStopped)?;
        let shared = Rc::new(Shared {
            generation,
            ready,
            ready_settle: RefCell::new(Some(ready_settle)),
            pending: RefCell::new(Vec::new()),
        });
        let for_messages = Rc::clone(&shared);
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            for_messages.on_message(&event.data());
        });
        // A trap, an exception or a script that failed to load. preventDefault keeps the browser
        // from reporting it again on the page's console: it is handled here.
        let on_error = Closure::<dyn Fn(Event)>::new(move |event: Event| {
            event.prevent_default();
            retire(generation);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Client {
            worker,
            shared,
            next_id: Cell::new(1),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `pixels` (transferred) and returns the promise of the reply.
    fn submit(&self, pixels: Pixels) -> Result<Promise, QrFailure> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let message = object(&[
            (protocol::ID, &JsValue::from(id)),
            (protocol::WIDTH, &JsValue::from(pixels.width)),
            (protocol::HEIGHT, &JsValue::from(pixels.height)),
            (protocol::PIXELS, &pixels.buffer),
        ]);
        let (reply, settle) = deferred().ok_or(QrFailure::DecoderStopped)?;
        self.shared.pending.borrow_mut().push((id, settle));
        let transfer = Array::of1(&pixels.buffer);
        if self
            .worker
            .post_message_with_transfer(&message, &transfer)
            .is_err()
        {
            self.shared
                .pending
                .borrow_mut()
                .retain(|(job, _)| *job != id);
            return Err(QrFailure::DecoderStopped);
        }
        Ok(reply)
    }

    /// Stops the worker for good and fails whatever waits on it.
    fn shut_down(&self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
        self.shared.fail_all();
    }
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    static IDLE_TIMER: Cell<Option<i32>> = const { Cell::new(None) };
    static IDLE_CALLBACK: Closure<dyn Fn()> = Closure::new(release_if_idle);
}

/// The running worker, started now if there is none.
fn running_client() -> Result<Rc<Client>, QrFailure> {
    if let Some(client) = CLIENT.with(|slot| slot.borrow().clone()) {
        return Ok(client);
    }
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let client = Rc::new(Client::start(generation)?);
    CLIENT.with(|slot| *slot.borrow_mut() = Some(Rc::clone(&client)));
    Ok(client)
}

/// Shuts down worker `generation` if it is still the current one. Called from its own event
/// handlers too, so the handlers themselves are dropped later, not while they run.
fn retire(generation: u64) {
    let client = CLIENT.with(|slot| {
        let mut slot = slot.borrow_mut();
        let current = slot
            .as_ref()
            .is_some_and(|client| client.shared.generation == generation);
        if current { slot.take() } else { None }
    });
    if let Some(client) = client {
        client.shut_down();
        wasm_bindgen_futures::spawn_local(async move { drop(client) });
    }
}

fn start_idle_timer() {
    cancel_idle_timer();
    let Some(window) = web_sys::window() else {
        return;
    };
    let timer = IDLE_CALLBACK.with(|callback| {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                IDLE_MS,
            )
            .ok()
    });
    IDLE_TIMER.with(|slot| slot.set(timer));
}

fn cancel_idle_timer() {
    if let (Some(timer), Some(window)) = (IDLE_TIMER.with(Cell::take), web_sys::window()) {
        window.clear_timeout_with_handle(timer);
    }
}
