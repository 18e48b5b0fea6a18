//! The Kiln bridge: `kiln bridge` (the CLI) on 127.0.0.1 lends the page this computer's PC/SC
//! readers (ACR122U, ACR1252U, Identiv, …), which browsers keep from ordinary pages. The page
//! speaks the bridge protocol (docs/bridge.md) over a WebSocket and runs the same
//! kiln-core sessions over it as over USB: the bridge only moves APDUs after its own checks.
//!
//! Order of things: [`say_hello`] (is it running, does it accept this origin), open the
//! [`BridgeSocket`], [`PairedBridge::pair`] with the code the bridge printed, list the readers,
//! choose one ([`BridgeReader`]); every operation then connects, transmits and disconnects.

mod error;
mod hello;
pub mod json;
pub mod message;
mod reader;
mod socket;

pub use error::BridgeError;
pub use hello::{page_origin, say_hello};
pub use message::{ReaderEntry, TokenKind};
pub use reader::{BridgeLink, BridgeReader, PairFailure, PairedBridge};
pub use socket::BridgeSocket;

/// The bridge's port unless it was started with another one.
pub const DEFAULT_PORT: u16 = 47231;

/// The origins the bridge accepts without `--allow-origin` (the README's local serve URL).
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// The command that starts the bridge for this page: `--allow-origin` when the page is not on a
/// default origin, `--port` when another port is used.
pub fn start_command(origin: &str, port: u16) -> String {
    let mut command = String::from("kiln bridge");
    if !DEFAULT_ORIGINS
        .iter()
        .any(|default| default.eq_ignore_ascii_case(origin))
    {
        command.push_str(" --allow-origin ");
        command.push_str(origin);
    }
    if port != DEFAULT_PORT {
        command.push_str(&format!(" --port {port}"));
    }
    command
}
