//! PN533 USB readers (StickID 04cc:2533, SCL3711 04e6:5591), sans-IO.
//!
//! * [`frame`] — the frame codec: normal/extended information frames, ACK/NACK/error frames,
//!   LCS/DCS checksums;
//! * [`command`] — the commands a burn needs and their response parsers; [`status`] — the status
//!   byte and its errors;
//! * [`Exchange`] — one command: frame, ACK, response, NACK recovery, cancel by ACK;
//! * [`Connect`], [`Transmit`], [`Close`] — the reader sessions, as [`Machine`](crate::link::machine::Machine)s that say what to
//!   write and read next;
//! * [`Pn533Link`] — the thin async adapter over a [`BulkPipe`](crate::link::BulkPipe).
//!
//! ```text
//! connect:  GetFirmwareVersion → SetParameters 14 → RF on → retries → InListPassiveTarget
//! transmit: InDataExchange (Tg|MI fragments) → … → status, reply (MI: ask for more)
//! close:    InRelease 0 → RF off
//! ```

mod close;
pub mod command;
mod connect;
mod exchange;
pub mod frame;
pub mod line;
mod link;
pub mod status;
mod transmit;

pub use close::Close;
pub use command::{Command, FirmwareVersion, RfConfig, Target};
pub use connect::{Connect, Connected, LIST_TIMEOUT_MS, RETRIES, SETUP_TIMEOUT_MS};
pub use exchange::{ACK_TIMEOUT_MS, Exchange};
pub use frame::{Frame, FrameError};
pub use line::Line;
pub use link::{
    PN533_BULK_PACKET, PN533_CONFIGURATION, PN533_ENDPOINT_IN, PN533_ENDPOINT_OUT, PN533_INTERFACE,
    PN533_READ_LEN, PN533_READERS, Pn533Link, UsbId,
};
pub use status::{Status, StatusError};
pub use transmit::{EXCHANGE_TIMEOUT_MS, FRAGMENT, MAX_APDU, MAX_UNCHAINED, Transmit};
