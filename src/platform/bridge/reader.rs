//! A reader reached through the bridge, and the [`Link`] to the token on it. Every operation
//! takes the reader (`connect`: the bridge checks the token and holds the reader), runs its
//! session APDU by APDU (`transmit`), and releases it (`disconnect`), so tokens can come and go
//! between operations (Batch) exactly as with a USB reader.

use kiln_core::link::{Link, LinkError, LinkFault};

use super::error::BridgeError;
use super::message::{ReaderEntry, Reply, Request, TokenKind};
use super::socket::{BridgeSocket, SocketFailure};

/// How long the bridge may take to list, connect or release (PC/SC calls on this computer).
const REQUEST_TIMEOUT_MS: i32 = 15_000;
/// How long one APDU may take: the bridge has its own, shorter, PC/SC timeouts.
const TRANSMIT_TIMEOUT_MS: i32 = 30_000;

/// A paired connection to the bridge, before a reader is chosen.
pub struct PairedBridge {
    socket: BridgeSocket,
}

impl PairedBridge {
    /// Pairs `socket` with the 6-digit `code` (spaces allowed, as the bridge prints it).
    pub async fn pair(mut socket: BridgeSocket, code: &str) -> Result<PairedBridge, PairFailure> {
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PairFailure {
                error: BridgeError::CodeFormat,
                socket: Some(socket),
            });
        }
        let reply = socket
            .request(Request::Pair { code: &digits }, REQUEST_TIMEOUT_MS)
            .await;
        let error = match reply {
            Ok(Reply::Paired { session, .. }) => {
                socket.set_session(session);
                return Ok(PairedBridge { socket });
            }
            Ok(Reply::Error { code, message, .. }) => BridgeError::from_code(&code, &message),
            Ok(_) => BridgeError::Other("an unexpected answer to the pairing code".into()),
            Err(_) => BridgeError::Closed,
        };
        // A wrong code leaves the connection open for another try (up to three).
        let keep = !error.ends_session() && !socket.is_closed();
        Err(PairFailure {
            error,
            socket: keep.then_some(socket),
        })
    }

    /// The bridge's readers, with what is on each.
    pub async fn readers(&mut self) -> Result<Vec<ReaderEntry>, BridgeError> {
        match self
            .socket
            .request(Request::Readers, REQUEST_TIMEOUT_MS)
            .await
        {
            Ok(Reply::Readers(list)) => Ok(list),
            Ok(Reply::Error { code, message, .. }) => Err(BridgeError::from_code(&code, &message)),
            Ok(_) => Err(BridgeError::Other(
                "an unexpected answer to the reader list".into(),
            )),
            Err(_) => Err(BridgeError::Closed),
        }
    }

    /// True once the bridge closed the connection.
    pub fn is_closed(&self) -> bool {
        self.socket.is_closed()
    }

    /// Uses `reader` for the page's operations from now on.
    pub fn choose(self, reader: String) -> BridgeReader {
        BridgeReader {
            socket: self.socket,
            reader,
            ended: false,
        }
    }
}

/// Why pairing failed; the socket comes back when another code may be tried on it.
pub struct PairFailure {
    /// What went wrong.
    pub error: BridgeError,
    /// The connection, still open, for another try.
    pub socket: Option<BridgeSocket>,
}

/// The reader the page uses through the bridge.
pub struct BridgeReader {
    socket: BridgeSocket,
    reader: String,
    /// The session is over (expired, or the bridge closed it): pair again.
    ended: bool,
}

impl BridgeReader {
    /// The reader's PC/SC name.
    pub fn name(&self) -> &str {
        &self.reader
    }

    /// True once the session is over: the page must connect and pair again.
    pub fn is_gone(&self) -> bool {
        self.ended || self.socket.is_closed()
    }

    /// Ends the session (the bridge releases the reader when the connection closes).
    pub async fn close(self) {
        self.socket.close();
    }

    /// Takes the reader and checks the token on it (the bridge sends GET INFO itself).
    pub async fn connect(&mut self) -> Result<BridgeLink<'_>, BridgeError> {
        self.connect_as(TokenKind::Token).await
    }

    /// Takes the reader for Molto2 commands: only when the bridge says a Molto2 is on it.
    pub async fn connect_molto2(&mut self) -> Result<BridgeLink<'_>, BridgeError> {
        self.connect_as(TokenKind::Molto2).await
    }

    /// Takes the reader when what is on it is `wanted`; anything else is released again, so
    /// a single-profile session never reaches a Molto2 and the other way round.
    async fn connect_as(&mut self, wanted: TokenKind) -> Result<BridgeLink<'_>, BridgeError> {
        let request = Request::Connect {
            reader: &self.reader,
        };
        let reply = self.socket.request(request, REQUEST_TIMEOUT_MS).await;
        let error = match reply {
            Ok(Reply::Connected { kind, .. }) if kind == wanted => {
                return Ok(BridgeLink { reader: self });
            }
            Ok(Reply::Connected { kind, .. }) => {
                let _ = self
                    .socket
                    .request(Request::Disconnect, REQUEST_TIMEOUT_MS)
                    .await;
                match kind {
                    TokenKind::Molto2 => BridgeError::Molto2,
                    TokenKind::Token => BridgeError::NotAMolto2,
                }
            }
            Ok(Reply::Error { code, message, .. }) => BridgeError::from_code(&code, &message),
            Ok(_) => BridgeError::Other("an unexpected answer when taking the reader".into()),
            Err(SocketFailure::NotSent | SocketFailure::Lost) => BridgeError::Closed,
        };
        if error.ends_session() {
            self.ended = true;
        }
        Err(error)
    }
}

/// The token on the bridge's reader, for one operation.
pub struct BridgeLink<'a> {
    reader: &'a mut BridgeReader,
}

impl Link for BridgeLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        let reply = self
            .reader
            .socket
            .request(Request::Transmit { apdu }, TRANSMIT_TIMEOUT_MS)
            .await;
        match reply {
            Ok(Reply::Apdu(bytes)) => Ok(bytes),
            Ok(Reply::Error {
                code,
                message,
                not_sent,
            }) => {
                if BridgeError::from_code(&code, &message).ends_session() {
                    self.reader.ended = true;
                }
                Err(BridgeError::during_transmit(&code, &message, not_sent))
            }
            // Sent, but what came back is not a reply: the command may have run.
            Ok(_) => Err(LinkError::NoReply(LinkFault::ReaderProtocol(
                "the bridge answered something else than the token's reply".into(),
            ))),
            Err(SocketFailure::NotSent) => Err(LinkError::NotSent(LinkFault::Reader(
                BridgeError::Closed.to_string(),
            ))),
            Err(SocketFailure::Lost) => Err(LinkError::NoReply(LinkFault::Reader(
                BridgeError::Closed.to_string(),
            ))),
        }
    }
}

impl BridgeLink<'_> {
    /// Releases the reader (best-effort: a closed connection releases it too).
    pub async fn close(self) {
        let _ = self
            .reader
            .socket
            .request(Request::Disconnect, REQUEST_TIMEOUT_MS)
            .await;
    }
}
