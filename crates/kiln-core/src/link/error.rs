//! Link failures, with messages a non-expert can act on.

use core::fmt;

/// Why an APDU exchange produced no usable reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The command certainly did not reach the token, so it was not executed.
    NotSent(LinkFault),
    /// The command may have reached the token, but no usable reply came back: its effect is
    /// unknown.
    NoReply(LinkFault),
}

impl LinkError {
    /// The underlying fault.
    pub fn fault(&self) -> &LinkFault {
        match self {
            LinkError::NotSent(f) | LinkError::NoReply(f) => f,
        }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.fault(), f)
    }
}

/// What went wrong between the computer and the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkFault {
    /// The USB reader was unplugged or stopped answering the computer.
    ReaderGone,
    /// No token answered in the reader's field.
    NoToken,
    /// The token left the reader's field during an exchange.
    TokenRemoved,
    /// The token did not answer in time.
    TokenMute,
    /// Something is on the reader, but it is not an ISO 14443-4 (smart-card) token.
    NotAToken {
        /// What the reader saw, for the curious (e.g. "MIFARE Classic (SAK 08)").
        seen: String,
    },
    /// The radio link to the token was disturbed: the reader received a damaged answer (CRC,
    /// parity or framing error). Usually the token is not lying flat or moved.
    Radio(String),
    /// The reader answered with bytes that do not follow its protocol.
    ReaderProtocol(String),
    /// The reader reported an error of its own.
    Reader(String),
}

impl fmt::Display for LinkFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkFault::ReaderGone => f.write_str(
                "The reader was unplugged or stopped responding. Plug it back in and connect again.",
            ),
            LinkFault::NoToken => f.write_str(
                "No token was found on the reader. Switch the token on (hold its button until the \
                 display lights up) and lay it flat on the reader.",
            ),
            LinkFault::TokenRemoved => f.write_str(
                "The token left the reader. Keep it still on the reader until Kiln says it is done.",
            ),
            LinkFault::TokenMute => f.write_str(
                "The token stopped answering. It may have switched itself off: press its button \
                 until the display lights up and keep it on the reader.",
            ),
            LinkFault::NotAToken { seen } => write!(
                f,
                "Something is on the reader, but it is not a programmable token ({seen}). Remove \
                 other cards and put only the token on the reader."
            ),
            LinkFault::Radio(detail) => write!(
                f,
                "The radio link to the token was disturbed ({detail}). Lay the token flat and \
                 still on the middle of the reader, away from other cards and metal, and try \
                 again."
            ),
            LinkFault::ReaderProtocol(detail) => write!(
                f,
                "The reader sent an answer Kiln could not understand ({detail}). Unplug the \
                 reader, plug it back in and try again."
            ),
            LinkFault::Reader(detail) => write!(
                f,
                "The reader reported an error ({detail}). Unplug the reader, plug it back in and \
                 try again."
            ),
        }
    }
}
