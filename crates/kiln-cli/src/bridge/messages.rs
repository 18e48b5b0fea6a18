//! The wire protocol's messages (docs/bridge.md, "Protocol"): one JSON object per text frame.
//! Requests carry a numeric `id` that the reply echoes; every failure is an `error` reply with
//! a code the page switches on and a sentence for the user.

use serde_json::{Value, json};
use zeroize::Zeroizing;

/// A request from the page, its `id` aside.
pub enum Request {
    /// `{"type":"pair","code":"482913"}`.
    Pair {
        /// The code the user typed.
        code: Zeroizing<String>,
    },
    /// `{"type":"readers","session":S}`.
    Readers,
    /// `{"type":"connect","session":S,"reader":NAME}`.
    Connect {
        /// The reader's name as `readers` gave it.
        reader: String,
    },
    /// `{"type":"transmit","session":S,"apdu":HEX}`.
    Transmit {
        /// The command APDU.
        apdu: Zeroizing<Vec<u8>>,
    },
    /// `{"type":"disconnect","session":S}`.
    Disconnect,
}

/// A parsed frame: the echoed id, the session it names (if any) and the request.
pub struct Envelope {
    /// The request's `id`, echoed in the reply.
    pub id: Value,
    /// The `session` field, when present.
    pub session: Option<String>,
    /// What is asked.
    pub request: Request,
}

/// Reads one text frame. On failure, the id to answer with (null when there was none) and the
/// error.
pub fn parse(text: &str) -> Result<Envelope, (Value, BridgeError)> {
    let bad = |id: Value, what: &str| (id, BridgeError::BadRequest(what.to_string()));
    let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
        return Err(bad(Value::Null, "the message is not a JSON object"));
    };
    let id = match object.get("id") {
        Some(id @ Value::Number(_)) => id.clone(),
        _ => return Err(bad(Value::Null, "the message has no numeric \"id\"")),
    };
    let text_field = |name: &str| object.get(name).and_then(Value::as_str);
    let session = text_field("session").map(str::to_string);
    let request = match text_field("type") {
        Some("pair") => Request::Pair {
            code: Zeroizing::new(text_field("code").unwrap_or_default().to_string()),
        },
        Some("readers") => Request::Readers,
        Some("connect") => match text_field("reader") {
            Some(reader) => Request::Connect {
                reader: reader.to_string(),
            },
            None => return Err(bad(id, "\"connect\" needs a \"reader\"")),
        },
        Some("transmit") => match text_field("apdu").map(hex::decode) {
            Some(Ok(apdu)) => Request::Transmit {
                apdu: Zeroizing::new(apdu),
            },
            _ => return Err(bad(id, "\"transmit\" needs an \"apdu\" in hex")),
        },
        Some("disconnect") => Request::Disconnect,
        _ => return Err(bad(id, "unknown message \"type\"")),
    };
    Ok(Envelope {
        id,
        session,
        request,
    })
}

/// Why a request was not carried out. Each has the protocol's error code and a sentence that
/// says what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// The frame is not a request of the protocol (what is wrong with it).
    BadRequest(String),
    /// No pairing yet on this connection, or a session that is not this connection's.
    NotPaired,
    /// The pairing code was wrong.
    WrongCode,
    /// Three wrong codes on this connection: it is closed.
    TooManyAttempts,
    /// The session was idle for too long.
    SessionExpired,
    /// The smart-card service is not running.
    NoPcsc,
    /// No such reader (or none at all).
    NoReader,
    /// Another page or program is using the reader.
    ReaderBusy,
    /// Nothing is on the reader.
    NoCard,
    /// The card is not an ISO 14443-4 contactless card (nor a Molto2).
    NotContactless,
    /// GET INFO failed, or the serial is not one Kiln supports (the serial, when read).
    UnsupportedToken(Option<String>),
    /// The command is not one of the Token2 commands for this device.
    RefusedCommand,
    /// The card left the reader.
    CardRemoved,
    /// A transmit or disconnect without a connected card.
    NotConnected,
    /// The reader or card failed during an exchange: the link's own sentence, which says what
    /// to do.
    TransmitFailed(String),
}

impl BridgeError {
    /// The protocol's error code.
    pub fn code(&self) -> &'static str {
        match self {
            BridgeError::BadRequest(_) => "bad_request",
            BridgeError::NotPaired => "not_paired",
            BridgeError::WrongCode => "wrong_code",
            BridgeError::TooManyAttempts => "too_many_attempts",
            BridgeError::SessionExpired => "session_expired",
            BridgeError::NoPcsc => "no_pcsc",
            BridgeError::NoReader => "no_reader",
            BridgeError::ReaderBusy => "reader_busy",
            BridgeError::NoCard => "no_card",
            BridgeError::NotContactless => "not_contactless",
            BridgeError::UnsupportedToken(_) => "unsupported_token",
            BridgeError::RefusedCommand => "refused_command",
            BridgeError::CardRemoved => "card_removed",
            BridgeError::NotConnected => "not_connected",
            BridgeError::TransmitFailed(_) => "transmit_failed",
        }
    }

    /// What happened and what to do next, for the user.
    pub fn message(&self) -> String {
        match self {
            BridgeError::BadRequest(what) => format!(
                "The bridge did not understand the page ({what}). Reload the page; if it keeps \
                 happening, the page and the bridge are different versions of Kiln."
            ),
            BridgeError::NotPaired => "This page is not paired with the bridge. Type the pairing \
                 code that `kiln bridge` printed."
                .to_string(),
            BridgeError::WrongCode => "That is not the pairing code. Type the code `kiln bridge` \
                 printed last (each code works for one page only)."
                .to_string(),
            BridgeError::TooManyAttempts => "Three wrong pairing codes: the bridge closed this \
                 connection. Connect again and type the code `kiln bridge` printed last."
                .to_string(),
            BridgeError::SessionExpired => "The pairing ended because the page was idle for too \
                 long. Pair again with the code `kiln bridge` printed last."
                .to_string(),
            BridgeError::NoPcsc => "The smart-card service is not running, so the bridge sees no \
                 reader. On Linux start it with `sudo systemctl start pcscd`; on Windows start the \
                 \"Smart Card\" service; on macOS it starts when a reader is plugged in."
                .to_string(),
            BridgeError::NoReader => "No such smart-card reader. Plug in the NFC reader and pick \
                 it from the list again."
                .to_string(),
            BridgeError::ReaderBusy => "Another page or program is using this reader. Close it \
                 (another Kiln tab, a smart-card tool) and try again."
                .to_string(),
            BridgeError::NoCard => "No token is on the reader. Switch the token on (hold its \
                 button until the display lights up), lay it flat on the reader and try again."
                .to_string(),
            BridgeError::NotContactless => "The card on this reader is not a contactless token \
                 (a contact smart card or a memory card). Kiln does not talk to it; put the token \
                 on an NFC reader instead."
                .to_string(),
            BridgeError::UnsupportedToken(Some(serial)) => format!(
                "The device on the reader (serial {serial}) is not a Token2 model Kiln can \
                 program. Nothing was written to it."
            ),
            BridgeError::UnsupportedToken(None) => "The card on the reader did not answer like a \
                 Token2 programmable token. Nothing was written to it; put the token on the \
                 reader on its own."
                .to_string(),
            BridgeError::RefusedCommand => "The bridge refused a command that is not one of the \
                 Token2 programming commands. Nothing was sent to the token."
                .to_string(),
            BridgeError::CardRemoved => "The token left the reader. Keep it still on the reader \
                 until Kiln says it is done, then connect again."
                .to_string(),
            BridgeError::NotConnected => "No token is connected through the bridge. Pick the \
                 reader and connect first."
                .to_string(),
            BridgeError::TransmitFailed(sentence) => sentence.clone(),
        }
    }
}

/// The error reply for `id`.
pub fn error_reply(id: &Value, error: &BridgeError) -> Value {
    json!({"id": id, "type": "error", "error": error.code(), "message": error.message()})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> (Value, &'static str) {
        match parse(text) {
            Ok(_) => panic!("{text} parsed"),
            Err((id, error)) => (id, error.code()),
        }
    }

    #[test]
    fn requests_parse_with_their_id_and_session() {
        let envelope =
            parse(r#"{"id":4,"type":"transmit","session":"ab","apdu":"80410000020211"}"#)
                .unwrap_or_else(|_| panic!("parses"));
        assert_eq!(envelope.id, json!(4));
        assert_eq!(envelope.session.as_deref(), Some("ab"));
        let Request::Transmit { apdu } = envelope.request else {
            panic!("a transmit");
        };
        assert_eq!(apdu.as_slice(), [0x80, 0x41, 0, 0, 2, 2, 0x11]);
    }

    #[test]
    fn malformed_frames_are_bad_requests_echoing_what_id_there_is() {
        assert_eq!(error_of("not json"), (Value::Null, "bad_request"));
        assert_eq!(
            error_of(r#"{"type":"readers"}"#),
            (Value::Null, "bad_request")
        );
        assert_eq!(
            error_of(r#"{"id":"1","type":"readers"}"#),
            (Value::Null, "bad_request")
        );
        assert_eq!(
            error_of(r#"{"id":2,"type":"format"}"#),
            (json!(2), "bad_request")
        );
        assert_eq!(
            error_of(r#"{"id":3,"type":"transmit","apdu":"8G"}"#),
            (json!(3), "bad_request")
        );
        assert_eq!(
            error_of(r#"{"id":5,"type":"connect"}"#),
            (json!(5), "bad_request")
        );
    }
}
