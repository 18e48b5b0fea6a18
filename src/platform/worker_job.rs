//! One on-demand worker for one job: started when asked, waited for with time limits, and
//! terminated when dropped, so whatever it held (a secret, a drawing of one) goes with it.
//! The protocol around it: the worker says `{ready: true}` once its wasm runs (its loader script
//! says `{failed: true}` if the wasm cannot load), then answers one message with one reply.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, Worker};

use crate::platform::worker_client::{Settle, deferred, wait};
use crate::platform::worker_message::{FAILED, READY, field};

/// The job could not be done: the worker did not start, died, or ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerStopped;

/// A worker started for one job; terminated when dropped.
pub struct WorkerJob {
    worker: Worker,
    /// Settles when the worker says it is ready (rejects if it dies first).
    ready: Promise,
    /// Settles with the worker's reply (rejects if it dies first).
    reply: Promise,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

type Slot = Rc<RefCell<Option<Settle>>>;

/// A promise with its settling functions in a slot both event handlers can take them from.
fn shared_deferred() -> Option<(Promise, Slot)> {
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

impl WorkerJob {
    /// Starts the worker whose start script is at `url`.
    pub fn start(url: &str) -> Result<WorkerJob, WorkerStopped> {
        let (ready, ready_settle) = shared_deferred().ok_or(WorkerStopped)?;
        let (reply, reply_settle) = shared_deferred().ok_or(WorkerStopped)?;
        let worker = Worker::new(url).map_err(|_| WorkerStopped)?;
        let (ready_on_message, reply_on_message) =
            (Rc::clone(&ready_settle), Rc::clone(&reply_settle));
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let message = event.data();
            if field(&message, FAILED).is_truthy() {
                reject(&ready_on_message);
                reject(&reply_on_message);
            } else if field(&message, READY).is_truthy() {
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
        Ok(WorkerJob {
            worker,
            ready,
            reply,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Waits up to `timeout_ms` for the worker's wasm to run.
    pub async fn ready(&self, timeout_ms: i32) -> Result<(), WorkerStopped> {
        wait(&self.ready, timeout_ms)
            .await
            .map(|_| ())
            .map_err(|()| WorkerStopped)
    }

    /// Sends the job, handing over the buffers in `transfer` (the page keeps no copy of them).
    pub fn send(&self, message: &JsValue, transfer: &Array) -> Result<(), WorkerStopped> {
        self.worker
            .post_message_with_transfer(message, transfer)
            .map_err(|_| WorkerStopped)
    }

    /// Waits up to `timeout_ms` for the reply.
    pub async fn reply(&self, timeout_ms: i32) -> Result<JsValue, WorkerStopped> {
        wait(&self.reply, timeout_ms)
            .await
            .map_err(|()| WorkerStopped)
    }
}

impl Drop for WorkerJob {
    /// Stops the worker: it served its one job, and its memory goes with it.
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
    }
}
