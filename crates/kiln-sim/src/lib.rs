//! Simulated devices for Kiln's tests, written from the protocol documents (never by calling
//! kiln-core): a Token2 single-profile token ([`token`]), USB NFC readers around it ([`pn533`],
//! [`ccid`]), a PN532 serial board ([`pn532`]), and fault injection for every step.
//!
//! The simulators are deterministic given a seed for their random challenges, keep a record of
//! everything they received, and can say what the token now holds and displays.

mod apdu;
pub mod bridge;
pub mod card;
pub mod ccid;
pub mod molto2;
pub mod pn532;
pub mod pn533;
pub mod serial;
pub mod token;
pub mod totp;
pub mod usb;
pub mod vpcd;

pub use card::{Card, CardReply};
pub use serial::SimSerialDevice;
pub use usb::{SimIn, SimUsbDevice, SimUsbError};
