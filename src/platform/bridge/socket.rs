//! The WebSocket to the bridge: numbered requests, each answered by the reply with its id.
//! One request at a time is the normal case (a session is a strict send/reply loop), but the
//! bookkeeping does not assume it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{MessageEvent, WebSocket};

use super::message::{self, Reply, Request};
use crate::platform::worker_client::{Settle, deferred, wait};

/// How long opening the WebSocket may take (the bridge is on this computer).
const OPEN_TIMEOUT_MS: i32 = 10_000;

/// Why a request got no reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketFailure {
    /// The request was never sent (the connection was already closed).
    NotSent,
    /// It was sent, but the connection closed or no reply came in time: its effect is unknown.
    Lost,
}

#[derive(Default)]
struct Shared {
    /// Settles `open`: resolved on open, rejected on close.
    opening: Option<Settle>,
    /// Requests waiting for their reply.
    pending: Vec<(u64, Settle)>,
    /// Replies that arrived for a pending request, until it takes them.
    arrived: Vec<(u64, Reply)>,
    closed: bool,
}

/// An open connection to the bridge, and the session once paired.
pub struct BridgeSocket {
    ws: WebSocket,
    shared: Rc<RefCell<Shared>>,
    next_id: u64,
    session: Option<String>,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl BridgeSocket {
    /// Opens `ws://host:port/`. `None` when the connection is refused or closed before it
    /// opened (the bridge refuses a page whose origin it does not allow this way).
    pub async fn open(host: &str, port: u16) -> Option<BridgeSocket> {
        let ws = WebSocket::new(&format!("ws://{host}:{port}/")).ok()?;
        let shared = Rc::new(RefCell::new(Shared::default()));
        let (opened, settle) = deferred()?;
        shared.borrow_mut().opening = Some(settle);

        let on_open = {
            let shared = Rc::clone(&shared);
            Closure::<dyn FnMut()>::new(move || {
                if let Some(settle) = shared.borrow_mut().opening.take() {
                    let _ = settle.resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
                }
            })
        };
        let on_message = {
            let shared = Rc::clone(&shared);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                let Some((id, reply)) = message::decode(&text) else {
                    return;
                };
                let mut shared = shared.borrow_mut();
                if let Some(index) = shared
                    .pending
                    .iter()
                    .position(|(waiting, _)| *waiting == id)
                {
                    let (_, settle) = shared.pending.swap_remove(index);
                    shared.arrived.push((id, reply));
                    let _ = settle.resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
                }
            })
        };
        let on_close = {
            let shared = Rc::clone(&shared);
            Closure::<dyn FnMut()>::new(move || {
                let mut shared = shared.borrow_mut();
                shared.closed = true;
                let mut waiting: Vec<Settle> = shared.opening.take().into_iter().collect();
                waiting.extend(shared.pending.drain(..).map(|(_, settle)| settle));
                drop(shared);
                for settle in waiting {
                    let _ = settle.reject.call0(&wasm_bindgen::JsValue::UNDEFINED);
                }
            })
        };
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let socket = BridgeSocket {
            ws,
            shared,
            next_id: 1,
            session: None,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        };
        match wait(&opened, OPEN_TIMEOUT_MS).await {
            Ok(_) if !socket.is_closed() => Some(socket),
            _ => None, // dropping it closes the socket
        }
    }

    /// True once the bridge closed the connection (or it was never usable).
    pub fn is_closed(&self) -> bool {
        self.shared.borrow().closed
    }

    /// Uses `session` for every request from now on.
    pub fn set_session(&mut self, session: String) {
        self.session = Some(session);
    }

    /// Sends `request` and waits up to `timeout_ms` for its reply. A reply that never comes
    /// leaves the connection in doubt, so it is closed.
    pub async fn request(
        &mut self,
        request: Request<'_>,
        timeout_ms: i32,
    ) -> Result<Reply, SocketFailure> {
        if self.is_closed() {
            return Err(SocketFailure::NotSent);
        }
        let id = self.next_id;
        self.next_id += 1;
        let (answered, settle) = deferred().ok_or(SocketFailure::NotSent)?;
        self.shared.borrow_mut().pending.push((id, settle));
        let frame = request.encode(id, self.session.as_deref());
        if self.ws.send_with_str(&frame).is_err() {
            self.forget(id);
            return Err(SocketFailure::NotSent);
        }
        drop(frame);
        let outcome = wait(&answered, timeout_ms).await;
        let reply = {
            let mut shared = self.shared.borrow_mut();
            let index = shared.arrived.iter().position(|(done, _)| *done == id);
            index.map(|index| shared.arrived.swap_remove(index).1)
        };
        match (outcome, reply) {
            (Ok(_), Some(reply)) => Ok(reply),
            _ => {
                self.forget(id);
                self.close();
                Err(SocketFailure::Lost)
            }
        }
    }

    fn forget(&self, id: u64) {
        self.shared
            .borrow_mut()
            .pending
            .retain(|(waiting, _)| *waiting != id);
    }

    /// Closes the connection (the bridge releases the reader and ends the session).
    pub fn close(&self) {
        self.shared.borrow_mut().closed = true;
        let _ = self.ws.close();
    }
}

impl Drop for BridgeSocket {
    fn drop(&mut self) {
        // The handlers are dropped with the socket: the browser must not call them afterwards.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
