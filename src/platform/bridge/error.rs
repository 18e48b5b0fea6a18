//! Why the bridge could not be used, in words a non-expert can act on.

use kiln_core::link::{LinkError, LinkFault};

/// Why connecting, pairing or choosing a reader through the bridge failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// Nothing answers on the bridge's port.
    NotRunning {
        /// The port the page tried.
        port: u16,
    },
    /// The browser's Local Network Access permission was declined for this site.
    LocalNetworkDeclined,
    /// The bridge runs but refuses pages from this origin.
    OriginNotAllowed {
        /// This page's origin, to add with `--allow-origin`.
        origin: String,
        /// The whole command that starts the bridge for this page (port included).
        command: String,
    },
    /// Something answers on the port, but not a Kiln bridge of this protocol version.
    NotABridge {
        /// The port the page tried.
        port: u16,
    },
    /// The pairing code is not 6 digits.
    CodeFormat,
    /// The bridge says the pairing code is wrong.
    WrongCode,
    /// Three wrong codes: the bridge closed the connection.
    TooManyAttempts,
    /// The bridge ended the pairing after too long without use.
    SessionExpired,
    /// The bridge lost the computer's smart-card service.
    NoPcsc,
    /// The reader is gone from the bridge's list.
    NoReader,
    /// Another program holds the reader.
    ReaderBusy,
    /// Nothing is on the reader.
    NoCard,
    /// The token left the reader.
    CardRemoved,
    /// What is on the reader is not a contactless token.
    NotContactless,
    /// The token's serial is not one Kiln supports.
    UnsupportedToken,
    /// A Molto2 where a single-profile token was expected: it has its own panel.
    Molto2,
    /// A single-profile token where a Molto2 was expected.
    NotAMolto2,
    /// The connection to the bridge closed (bridge stopped, or it closed this page's session).
    Closed,
    /// The bridge did not answer in time.
    NoAnswer,
    /// Anything else the bridge said, in its own words.
    Other(String),
}

impl BridgeError {
    /// The page's error for a protocol error code; `message` is the bridge's own sentence.
    pub fn from_code(code: &str, message: &str) -> BridgeError {
        match code {
            "wrong_code" => BridgeError::WrongCode,
            "too_many_attempts" => BridgeError::TooManyAttempts,
            "session_expired" | "not_paired" => BridgeError::SessionExpired,
            "no_pcsc" => BridgeError::NoPcsc,
            "no_reader" => BridgeError::NoReader,
            "reader_busy" => BridgeError::ReaderBusy,
            "no_card" => BridgeError::NoCard,
            "card_removed" => BridgeError::CardRemoved,
            "not_contactless" => BridgeError::NotContactless,
            "unsupported_token" => BridgeError::UnsupportedToken,
            _ if message.is_empty() => BridgeError::Other(format!("error {code}")),
            _ => BridgeError::Other(message.to_string()),
        }
    }

    /// True when the page must pair again (the session or the connection is over).
    pub fn ends_session(&self) -> bool {
        matches!(
            self,
            BridgeError::SessionExpired | BridgeError::TooManyAttempts | BridgeError::Closed
        )
    }

    /// A failed transmit as a link failure. Card removal and a failed exchange may have
    /// reached the token (`NoReply`: a write in progress becomes "state unknown") unless the
    /// bridge says the command was certainly not sent (`not_sent`, from PC/SC's own answer);
    /// the bridge checks everything else before sending anything.
    pub fn during_transmit(code: &str, message: &str, not_sent: bool) -> LinkError {
        let fault = match code {
            "card_removed" => LinkFault::TokenRemoved,
            "transmit_failed" => LinkFault::Reader(message.to_string()),
            _ => {
                return LinkError::NotSent(LinkFault::Reader(
                    BridgeError::from_code(code, message).to_string(),
                ));
            }
        };
        if not_sent {
            LinkError::NotSent(fault)
        } else {
            LinkError::NoReply(fault)
        }
    }
}

impl std::fmt::Display for BridgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BridgeError::NotRunning { port } => write!(
                f,
                "The Kiln bridge is not running on this computer (nothing answers on port {port}). \
                 Start it with the command above, leave its window open, then click “Connect to \
                 the bridge” again."
            ),
            BridgeError::LocalNetworkDeclined => f.write_str(
                "This browser keeps the page from reaching the bridge on this computer: the \
                 permission to use devices on your local network was declined. Open the site \
                 settings (the icon left of the address bar), allow “Local network access”, \
                 reload the page and connect again.",
            ),
            BridgeError::OriginNotAllowed { origin, command } => write!(
                f,
                "The bridge is running but does not accept this page ({origin}). Stop it \
                 (Ctrl+C in its window) and start it again with: {command}"
            ),
            BridgeError::NotABridge { port } => write!(
                f,
                "Something else answers on port {port}, not the Kiln bridge (or a different \
                 version of it). Check the port the bridge printed when it started, and that \
                 kiln is up to date."
            ),
            BridgeError::CodeFormat => {
                f.write_str("Type the 6 digits of the pairing code the bridge shows in its window.")
            }
            BridgeError::WrongCode => f.write_str(
                "That is not the pairing code. Type the 6 digits the bridge shows in its window \
                 (the latest “Pairing code” line).",
            ),
            BridgeError::TooManyAttempts => f.write_str(
                "Three wrong pairing codes: the bridge closed the connection. Click “Connect to \
                 the bridge” again and type the code its window shows now.",
            ),
            BridgeError::SessionExpired => f.write_str(
                "The pairing with the bridge has expired (the bridge forgets a page it has not \
                 heard from for a while). In the Reader step, connect to the bridge again and \
                 type the new pairing code its window shows.",
            ),
            BridgeError::NoPcsc => f.write_str(
                "The bridge cannot reach this computer’s smart-card service. On Linux, install \
                 and start pcscd; on Windows, start the “Smart Card” service. Then try again.",
            ),
            BridgeError::NoReader => f.write_str(
                "The reader is no longer there. Plug it in again, then refresh the list of \
                 readers and choose it.",
            ),
            BridgeError::ReaderBusy => f.write_str(
                "The reader is in use by another program (another Kiln page, kiln in a terminal, \
                 or a smart-card tool). Close that program, then try again.",
            ),
            BridgeError::NoCard => f.write_str(
                "No token is on the reader. Switch the token on (hold its button until the \
                 display lights up), lay it flat on the reader and try again.",
            ),
            BridgeError::CardRemoved => f.write_str(
                "The token left the reader. Lay it flat on the reader, keep it still and try \
                 again.",
            ),
            BridgeError::NotContactless => f.write_str(
                "The card on the reader is not a programmable token (a bank or ID card?). Remove \
                 it and put only the token on the reader.",
            ),
            BridgeError::UnsupportedToken => f.write_str(
                "The token on the reader is not a model Kiln can program (its serial number is \
                 not in Kiln’s list). Nothing was written to it.",
            ),
            BridgeError::Molto2 => f.write_str(
                "This is a Token2 Molto2 (multi-profile token), which has its own page: in the \
                 Reader step, pair with the bridge again and choose \"Manage this Molto2\" next \
                 to its reader (or use `kiln molto2` in a terminal). Nothing was written to it.",
            ),
            BridgeError::NotAMolto2 => f.write_str(
                "The token on this reader is a single-profile token, not a Molto2. Use \
                 \"Use this reader\" for it instead. Nothing was written to it.",
            ),
            BridgeError::Closed => f.write_str(
                "The connection to the bridge closed (its window was closed, or it was stopped). \
                 Start it again, then in the Reader step connect and pair with the new code it \
                 shows.",
            ),
            BridgeError::NoAnswer => f.write_str(
                "The bridge did not answer in time. Check its window for errors, restart it if \
                 needed, then connect and pair again.",
            ),
            BridgeError::Other(message) => write!(f, "The bridge said: {message}"),
        }
    }
}
