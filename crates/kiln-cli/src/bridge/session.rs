//! One page's conversation with the bridge, over one WebSocket: pairing, the session token and
//! its idle timeout, the reader it holds, and the command filter in front of every transmit.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use kiln_core::command_filter;
use kiln_core::link::LinkError;
use kiln_pcsc::Pcsc;
use serde_json::{Value, json};

use super::log;
use super::messages::{BridgeError, Envelope, Request, error_reply, parse};
use super::origin::Origin;
use super::pairing::{Attempt, Pairing, SessionToken};
use super::reader::{self, HeldCard, Registry};

/// Wrong pairing codes after which a connection is closed.
pub const WRONG_CODES_PER_CONNECTION: u32 = 3;

/// What every connection shares.
pub struct Shared {
    /// The port the bridge listens on (for the Host check).
    pub port: u16,
    /// The pages allowed to connect.
    pub origins: Vec<Origin>,
    /// How long a session may be idle.
    pub session_timeout: Duration,
    /// Print APDUs (seed and key bodies hidden).
    pub debug: bool,
    /// The current pairing code.
    pub pairing: Mutex<Pairing>,
    /// The readers pages hold.
    pub registry: Arc<Registry>,
}

/// Whether a session was established, and whether it is still alive.
enum Pairedness {
    Unpaired,
    Paired {
        token: SessionToken,
        last_seen: Instant,
    },
    Expired {
        since: Instant,
    },
}

/// What to do with the connection after a message.
pub enum Outcome {
    /// Send this reply and keep listening.
    Reply(Value),
    /// Send this reply, then close the connection.
    ReplyAndClose(Value),
}

/// One page's state.
pub struct PageSession {
    shared: Arc<Shared>,
    origin: Origin,
    paired: Pairedness,
    wrong_codes: u32,
    pcsc: Option<Pcsc>,
    card: Option<HeldCard>,
    opened: Instant,
}

impl PageSession {
    /// A new, unpaired page from `origin`.
    pub fn new(shared: Arc<Shared>, origin: Origin) -> PageSession {
        PageSession {
            shared,
            origin,
            paired: Pairedness::Unpaired,
            wrong_codes: 0,
            pcsc: None,
            card: None,
            opened: Instant::now(),
        }
    }

    /// Answers one text frame.
    pub fn handle(&mut self, text: &str) -> Outcome {
        let Envelope {
            id,
            session,
            request,
        } = match parse(text) {
            Ok(envelope) => envelope,
            Err((id, error)) => return Outcome::Reply(error_reply(&id, &error)),
        };
        // Everything but pairing needs this connection's live session.
        if !matches!(request, Request::Pair { .. })
            && let Err(error) = self.check_session(session.as_deref())
        {
            return Outcome::Reply(error_reply(&id, &error));
        }
        let result = match request {
            Request::Pair { code } => return self.pair(&id, &code),
            Request::Readers => self.readers(),
            Request::Connect { reader } => self.connect(&reader),
            Request::Transmit { apdu } => return Outcome::Reply(self.transmit(&id, &apdu)),
            Request::Disconnect => {
                self.release("the page disconnected");
                Ok(json!({"type": "disconnected"}))
            }
        };
        Outcome::Reply(match result {
            Ok(mut reply) => {
                reply["id"] = id;
                reply
            }
            Err(error) => error_reply(&id, &error),
        })
    }

    /// Called when the page has been quiet for a while: ends an idle session and frees its
    /// reader for other pages. False when the connection should close: it never paired, or
    /// stayed expired, for a whole session timeout (so idle sockets cannot use up the bridge's
    /// connections).
    pub fn tick(&mut self) -> bool {
        let timeout = self.shared.session_timeout;
        match &self.paired {
            Pairedness::Paired { last_seen, .. } if last_seen.elapsed() > timeout => {
                self.expire();
                true
            }
            Pairedness::Paired { .. } => true,
            Pairedness::Unpaired => self.opened.elapsed() <= timeout,
            Pairedness::Expired { since } => since.elapsed() <= timeout,
        }
    }

    fn expire(&mut self) {
        self.paired = Pairedness::Expired {
            since: Instant::now(),
        };
        log::event(&format!(
            "The pairing with a page from {} ended: idle for {} s.",
            self.origin,
            self.shared.session_timeout.as_secs()
        ));
        self.release("the pairing ended");
    }

    fn pair(&mut self, id: &Value, code: &str) -> Outcome {
        let attempt = self
            .shared
            .pairing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .attempt(code);
        let token = match attempt {
            Ok(Attempt::Paired { next }) => SessionToken::generate().map(|token| (token, next)),
            Ok(Attempt::Wrong { replaced }) => return self.wrong_code(id, replaced),
            Err(no_randomness) => Err(no_randomness),
        };
        let Ok((token, next)) = token else {
            let error = BridgeError::TransmitFailed(
                "This computer's random number generator failed, so the bridge cannot pair \
                 safely. Restart `kiln bridge`."
                    .to_string(),
            );
            return Outcome::ReplyAndClose(error_reply(id, &error));
        };
        let reply = json!({
            "id": id,
            "type": "paired",
            "session": token.as_str(),
            "idle_timeout_seconds": self.shared.session_timeout.as_secs(),
        });
        self.paired = Pairedness::Paired {
            token,
            last_seen: Instant::now(),
        };
        log::event(&format!("Paired a page from {}.", self.origin));
        log::event(&format!(
            "Pairing code for the next page: {}",
            next.spaced()
        ));
        Outcome::Reply(reply)
    }

    fn wrong_code(&mut self, id: &Value, replaced: Option<super::pairing::PairingCode>) -> Outcome {
        self.wrong_codes += 1;
        log::refusal(&format!("wrong pairing code from {}", self.origin));
        if let Some(code) = replaced {
            log::event(&format!(
                "Too many wrong pairing codes: the old code no longer works. Pairing code: {}",
                code.spaced()
            ));
        }
        if self.wrong_codes >= WRONG_CODES_PER_CONNECTION {
            log::refusal(&format!(
                "closed a connection from {} after {} wrong pairing codes",
                self.origin, self.wrong_codes
            ));
            return Outcome::ReplyAndClose(error_reply(id, &BridgeError::TooManyAttempts));
        }
        Outcome::Reply(error_reply(id, &BridgeError::WrongCode))
    }

    /// The request's session must be this connection's live one; it then counts as activity.
    fn check_session(&mut self, given: Option<&str>) -> Result<(), BridgeError> {
        let _still_open = self.tick();
        match &mut self.paired {
            Pairedness::Unpaired => Err(BridgeError::NotPaired),
            Pairedness::Expired { .. } => Err(BridgeError::SessionExpired),
            Pairedness::Paired { token, last_seen } => {
                if !given.is_some_and(|given| token.matches(given)) {
                    return Err(BridgeError::NotPaired);
                }
                *last_seen = Instant::now();
                Ok(())
            }
        }
    }

    /// The PC/SC context, established on first use (and again after the service restarted).
    fn pcsc(&mut self) -> Result<&Pcsc, BridgeError> {
        if self.pcsc.is_none() {
            self.pcsc = Some(Pcsc::establish().map_err(reader::of_pcsc)?);
        }
        self.pcsc.as_ref().ok_or(BridgeError::NoPcsc)
    }

    fn readers(&mut self) -> Result<Value, BridgeError> {
        let own = self.card.as_ref().map(|c| c.reader().to_string());
        let registry = Arc::clone(&self.shared.registry);
        let listed = reader::list(self.pcsc()?, &registry, own.as_deref());
        if matches!(listed, Err(BridgeError::NoPcsc)) {
            self.pcsc = None;
        }
        Ok(json!({"type": "readers", "readers": listed?}))
    }

    fn connect(&mut self, name: &str) -> Result<Value, BridgeError> {
        self.release("the page connects to a reader again");
        let registry = Arc::clone(&self.shared.registry);
        let connected = reader::connect(self.pcsc()?, &registry, name);
        let card = match connected {
            Ok(card) => card,
            Err(error) => {
                if error == BridgeError::NoPcsc {
                    self.pcsc = None;
                }
                log::refusal(&format!(
                    "did not connect \"{name}\" for {}: {}",
                    self.origin,
                    error.code()
                ));
                return Err(error);
            }
        };
        log::event(&format!(
            "Connected \"{}\" for {}: {} {}",
            card.reader(),
            self.origin,
            card.kind(),
            card.serial
        ));
        let reply = json!({
            "type": "connected",
            "reader": card.reader(),
            "atr": hex::encode(&card.atr),
            "kind": card.kind(),
        });
        self.card = Some(card);
        Ok(reply)
    }

    fn transmit(&mut self, id: &Value, apdu: &[u8]) -> Value {
        let Some(card) = self.card.as_mut() else {
            return error_reply(id, &BridgeError::NotConnected);
        };
        let allowed = match command_filter::check(card.protocol, apdu) {
            Ok(allowed) => allowed,
            Err(refused) => {
                let byte = |b: Option<u8>| b.map_or("--".to_string(), |b| format!("{b:02X}"));
                log::refusal(&format!(
                    "refused command CLA={} INS={} from {}",
                    byte(refused.cla),
                    byte(refused.ins),
                    self.origin
                ));
                return not_sent(error_reply(id, &BridgeError::RefusedCommand));
            }
        };
        if self.shared.debug {
            log::event(&format!("> {}", log::command_for_debug(apdu, allowed)));
        }
        match card.transmit(apdu) {
            Ok(reply) => {
                if self.shared.debug {
                    log::event(&format!("< {}", hex::encode_upper(&reply)));
                }
                json!({"id": id, "type": "reply", "apdu": hex::encode(&reply)})
            }
            Err(link_error) => {
                let error = reader::of_link(&link_error);
                if error == BridgeError::CardRemoved {
                    self.release("the token left the reader");
                }
                let reply = error_reply(id, &error);
                match link_error {
                    LinkError::NotSent(_) => not_sent(reply),
                    LinkError::NoReply(_) => reply,
                }
            }
        }
    }

    /// Lets go of the card and the reader, if this page holds one.
    fn release(&mut self, why: &str) {
        if let Some(card) = self.card.take() {
            let reader = card.reader().to_string();
            drop(card);
            log::event(&format!("Released \"{reader}\" ({why})."));
        }
    }
}

impl Drop for PageSession {
    fn drop(&mut self) {
        self.release("the page closed the connection");
    }
}

/// Marks an error reply as "the command certainly did not reach the token" (docs/bridge.md:
/// the optional `not_sent` field).
fn not_sent(mut reply: Value) -> Value {
    reply["not_sent"] = Value::Bool(true);
    reply
}
