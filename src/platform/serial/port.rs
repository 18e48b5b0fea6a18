//! An open serial port as kiln-core's [`SerialPipe`]: bytes out through the port's writable
//! stream, bytes in from its readable stream, "unplugged" from its `disconnect` event.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use kiln_core::link::PipeError;
use kiln_core::link::pn532::SerialPipe;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, SerialPort, WritableStreamDefaultWriter};

use crate::platform::js::{error_message, error_name, sleep};

/// An open serial port with a PN532 board (as far as the user said). Implements [`SerialPipe`].
pub struct SerialReader {
    port: SerialPort,
    reader: Option<ReadableStreamDefaultReader>,
    writer: Option<WritableStreamDefaultWriter>,
    name: String,
    /// A `read()` still pending after a read timed out: a stream read cannot be cancelled
    /// without closing the stream, so the next read waits on it instead of starting another.
    pending_read: Option<JsFuture>,
    gone: Rc<Cell<bool>>,
    _disconnect_listener: DisconnectListener,
}

/// Locks the port's current readable stream, if it has one (none once the device is lost).
pub(super) fn lock_readable(port: &SerialPort) -> Option<ReadableStreamDefaultReader> {
    let stream = js_sys::Reflect::get(port, &JsValue::from_str("readable")).ok()?;
    if stream.is_null() || stream.is_undefined() {
        return None;
    }
    ReadableStreamDefaultReader::new(stream.unchecked_ref()).ok()
}

/// Locks the port's writable stream, if it has one.
pub(super) fn lock_writable(port: &SerialPort) -> Option<WritableStreamDefaultWriter> {
    let stream = js_sys::Reflect::get(port, &JsValue::from_str("writable")).ok()?;
    if stream.is_null() || stream.is_undefined() {
        return None;
    }
    WritableStreamDefaultWriter::new(stream.unchecked_ref()).ok()
}

impl SerialReader {
    /// Wraps a port opened at 115 200 8N1 whose streams are locked to `reader` and `writer`.
    /// `on_unplugged` runs if the port disappears later.
    pub(super) fn new(
        port: SerialPort,
        reader: ReadableStreamDefaultReader,
        writer: WritableStreamDefaultWriter,
        name: String,
        on_unplugged: impl Fn() + 'static,
    ) -> SerialReader {
        let gone = Rc::new(Cell::new(false));
        let listener = DisconnectListener::install(&port, gone.clone(), on_unplugged);
        SerialReader {
            port,
            reader: Some(reader),
            writer: Some(writer),
            name,
            pending_read: None,
            gone,
            _disconnect_listener: listener,
        }
    }

    /// The board's name for display.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True once the port was unplugged.
    pub fn is_gone(&self) -> bool {
        self.gone.get()
    }

    /// Unlocks the streams and closes the port (best-effort: an unplugged port has nothing
    /// left to close).
    pub async fn close(mut self) {
        if let Some(reader) = self.reader.take() {
            // Cancelling ends a pending read (it resolves as done) and unlocks nothing by
            // itself: the lock is released after.
            let _ = JsFuture::from(reader.cancel()).await;
            reader.release_lock();
        }
        if let Some(writer) = self.writer.take() {
            let _ = JsFuture::from(writer.close()).await;
            writer.release_lock();
        }
        self.pending_read = None;
        let _ = JsFuture::from(self.port.close()).await;
    }

    fn lost(&self) -> PipeError {
        self.gone.set(true);
        PipeError::Disconnected
    }

    /// A rejected read or write: `NetworkError` means the device is lost; other errors
    /// (framing, parity, overrun, break) leave the port open with a fresh readable stream.
    fn stream_error(&mut self, error: &JsValue) -> PipeError {
        if self.gone.get() || error_name(error) == "NetworkError" {
            return self.lost();
        }
        PipeError::Io(error_message(error))
    }
}

impl SerialPipe for SerialReader {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        if self.gone.get() {
            return Err(PipeError::Disconnected);
        }
        let Some(writer) = self.writer.as_ref() else {
            return Err(self.lost());
        };
        // The chunk is a copy: the wasm memory under `data` may move while the write runs.
        let chunk = js_sys::Uint8Array::from(data);
        match JsFuture::from(writer.write_with_chunk(&chunk)).await {
            Ok(_) => Ok(()),
            Err(error) => Err(self.stream_error(&error)),
        }
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        if self.gone.get() {
            return Err(PipeError::Disconnected);
        }
        let mut read = match self.pending_read.take() {
            Some(pending) => pending,
            None => {
                if self.reader.is_none() {
                    self.reader = lock_readable(&self.port);
                }
                let Some(reader) = self.reader.as_ref() else {
                    return Err(self.lost());
                };
                JsFuture::from(reader.read())
            }
        };
        let mut timer = sleep(timeout_ms);
        let outcome = std::future::poll_fn(|cx| {
            if let Poll::Ready(result) = Pin::new(&mut read).poll(cx) {
                return Poll::Ready(Some(result));
            }
            if Pin::new(&mut timer).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            Poll::Pending
        })
        .await;
        let Some(result) = outcome else {
            if self.gone.get() {
                return Err(PipeError::Disconnected);
            }
            self.pending_read = Some(read);
            return Err(PipeError::Timeout);
        };
        let chunk = match result {
            Ok(chunk) => chunk,
            Err(error) => {
                // The errored stream is finished; a non-fatal error leaves a new one.
                if let Some(reader) = self.reader.take() {
                    reader.release_lock();
                }
                return Err(self.stream_error(&error));
            }
        };
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Err(self.lost());
        }
        let value =
            js_sys::Reflect::get(&chunk, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        match value.dyn_into::<js_sys::Uint8Array>() {
            Ok(bytes) if bytes.length() > 0 => Ok(bytes.to_vec()),
            _ => Err(PipeError::Timeout),
        }
    }
}

/// Watches the port for its `disconnect` event while it is open.
struct DisconnectListener {
    port: SerialPort,
    callback: Closure<dyn Fn(web_sys::Event)>,
}

impl DisconnectListener {
    fn install(port: &SerialPort, gone: Rc<Cell<bool>>, on_unplugged: impl Fn() + 'static) -> Self {
        let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |_event: web_sys::Event| {
            if !gone.replace(true) {
                on_unplugged();
            }
        });
        let _ =
            port.add_event_listener_with_callback("disconnect", callback.as_ref().unchecked_ref());
        DisconnectListener {
            port: port.clone(),
            callback,
        }
    }
}

impl Drop for DisconnectListener {
    fn drop(&mut self) {
        let _ = self.port.remove_event_listener_with_callback(
            "disconnect",
            self.callback.as_ref().unchecked_ref(),
        );
    }
}
