//! The bridge protocol's messages (docs/bridge.md, v1): what the page sends, what the
//! bridge answers, as plain values, with their JSON form.

use zeroize::Zeroizing;

use super::json::{self, Json, ObjectWriter};

/// A request from the page. `session` is added by the socket for everything but `Pair`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request<'a> {
    /// Pair with the 6-digit code the bridge printed.
    Pair {
        /// The digits only.
        code: &'a str,
    },
    /// List the PC/SC readers.
    Readers,
    /// Take the reader (exclusive) and check the token on it.
    Connect {
        /// The reader's PC/SC name, as listed.
        reader: &'a str,
    },
    /// Send one APDU to the connected token.
    Transmit {
        /// The command APDU.
        apdu: &'a [u8],
    },
    /// Release the reader.
    Disconnect,
}

impl Request<'_> {
    /// The request as one JSON text frame. Wiped when dropped: a WRITE SEED command is as secret
    /// as the seed.
    pub fn encode(&self, id: u64, session: Option<&str>) -> Zeroizing<String> {
        let base = ObjectWriter::new().number("id", id);
        let with_session = |writer: ObjectWriter| match session {
            Some(session) => writer.string("session", session),
            None => writer,
        };
        Zeroizing::new(match self {
            Request::Pair { code } => base.string("type", "pair").string("code", code).finish(),
            Request::Readers => with_session(base.string("type", "readers")).finish(),
            Request::Connect { reader } => with_session(base.string("type", "connect"))
                .string("reader", reader)
                .finish(),
            Request::Transmit { apdu } => {
                let hex = Zeroizing::new(to_hex(apdu));
                with_session(base.string("type", "transmit"))
                    .string("apdu", &hex)
                    .finish()
            }
            Request::Disconnect => with_session(base.string("type", "disconnect")).finish(),
        })
    }
}

/// One reader in the bridge's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderEntry {
    /// The PC/SC reader name.
    pub name: String,
    /// A card (or token) is on it.
    pub card_present: bool,
    /// Another program holds it.
    pub in_use: bool,
}

/// What the bridge found on the reader after `connect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A single-profile Token2 token (contactless).
    Token,
    /// A Token2 Molto2 (multi-profile, USB).
    Molto2,
}

/// A reply from the bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Paired: use `session` from now on.
    Paired {
        /// The session id (32 hex characters).
        session: String,
        /// After this many seconds without a message the bridge ends the session.
        idle_timeout_seconds: u64,
    },
    /// The reader list.
    Readers(Vec<ReaderEntry>),
    /// The reader is held and the token answered GET INFO.
    Connected {
        /// The reader's name.
        reader: String,
        /// What is on it.
        kind: TokenKind,
    },
    /// The token's reply to a transmitted APDU, status word included.
    Apdu(Vec<u8>),
    /// The reader was released.
    Disconnected,
    /// The bridge refused the request.
    Error {
        /// The protocol's error code (`wrong_code`, `card_removed`, …).
        code: String,
        /// The bridge's own sentence.
        message: String,
        /// A failed transmit that certainly did not reach the token (`"not_sent": true`).
        not_sent: bool,
    },
}

/// Reads one frame from the bridge: its request id and reply. `None` for anything that is not a
/// well-formed reply of protocol v1.
pub fn decode(text: &str) -> Option<(u64, Reply)> {
    let value = json::parse(text).ok()?;
    let id = value.get("id")?.as_u64()?;
    let text = |key: &str| value.get(key).and_then(Json::as_str).map(str::to_string);
    let reply = match value.get("type")?.as_str()? {
        "paired" => Reply::Paired {
            session: text("session")?,
            idle_timeout_seconds: value
                .get("idle_timeout_seconds")
                .and_then(Json::as_u64)
                .unwrap_or(600),
        },
        "readers" => Reply::Readers(
            value
                .get("readers")?
                .as_array()?
                .iter()
                .map(|entry| {
                    Some(ReaderEntry {
                        name: entry.get("name")?.as_str()?.to_string(),
                        card_present: entry.get("card_present")?.as_bool()?,
                        in_use: entry.get("in_use")?.as_bool()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        "connected" => Reply::Connected {
            reader: text("reader")?,
            kind: match value.get("kind")?.as_str()? {
                "token" => TokenKind::Token,
                "molto2" => TokenKind::Molto2,
                _ => return None,
            },
        },
        "reply" => {
            let bytes = from_hex(value.get("apdu")?.as_str()?)?;
            // A reply carries at least its status word.
            if bytes.len() < 2 {
                return None;
            }
            Reply::Apdu(bytes)
        }
        "disconnected" => Reply::Disconnected,
        "error" => Reply::Error {
            code: text("error")?,
            message: text("message").unwrap_or_default(),
            not_sent: value.get("not_sent").and_then(Json::as_bool) == Some(true),
        },
        _ => return None,
    };
    Some((id, reply))
}

/// Upper-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0F)]));
    }
    out
}

/// Hex of either case to bytes; `None` for an odd length or a non-hex character.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}
