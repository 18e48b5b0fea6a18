//! Kiln's protocol core. **It does no I/O**: no USB, no sockets, no clock, no randomness.
//!
//! Everything a burn needs is here as plain functions and sans-IO state machines that say which
//! bytes to send next and take the reply:
//!
//! * [`otp`] — what the user scanned or pasted: tolerant `otpauth://` parsing, Base32/hex secrets,
//!   a classifier for wrong QR codes, Google Authenticator exports, and the TOTP preview.
//! * [`token`] — the Token2 single-profile protocol: SM4 crypto, one builder per command of
//!   `docs/protocol.md`, the GET INFO parser, the model table and the burn/identify/time-sync
//!   sessions.
//! * [`link`] — how APDUs reach the token: the [`link::Link`] trait every reader adapter
//!   implements, and the PN53x and CCID codecs for USB readers, whose reader sessions
//!   [`link::machine::run_reader_machine`] runs over a USB pipe.
//! * [`fleet`] — many tokens in a row for organisations: seed lists and user lists, the batch
//!   ledger, Entra CSV / Microsoft Graph exports and the audit log (randomness passed in).
//! * [`session_runner`] — [`session_runner::run_session`], the loop that runs a token session
//!   (either protocol) over a `Link`: where protocol and transport meet. [`command`] — the
//!   command APDU type and the frames both protocols build alike; [`command_filter`] — which
//!   APDUs a relay (the CLI's loopback bridge) may pass on, per protocol.
//!
//! Adapters (WebUSB in the web app, PC/SC in the CLI, simulators in tests) live elsewhere and only
//! move bytes.

pub mod command;
pub mod command_filter;
pub mod fleet;
pub mod link;
pub mod molto2;
pub mod otp;
pub mod params;
pub mod secret;
pub mod session_runner;
pub mod token;

pub use params::{Algorithm, DisplayTimeout, Period};
pub use secret::Secret;
