//! PN532 boards over a serial line (HSU mode, 115 200 8N1, behind a CH340/CP210x/PL2303/FTDI
//! USB-serial adapter), sans-IO, on the PN53x codec and sessions of [`super::pn53x`]
//! (docs/readers.md §6).
//!
//! * [`SerialPipe`] — the byte stream the adapter provides (no packets, no zero-length
//!   packets; the adapter opens the port at 115 200 baud, 8 data bits, no parity, 1 stop bit,
//!   no flow control);
//! * [`Connect`] — wake-up preamble, `SAMConfiguration` (normal mode), then the PN533 connect;
//! * [`Pn532Link`] — the thin async adapter, a [`Link`](crate::link::Link).
//!
//! Exchanges run over [`Line::Serial`](super::pn53x::Line::Serial): bounded by bytes and
//! waiting time instead of reads, because a serial read returns whatever bytes have arrived.
//!
//! ```text
//! connect:  55 55 00×14 → SAMConfiguration 01 14 01 → GetFirmwareVersion → SetParameters 14
//!           → RF on → retries → InListPassiveTarget
//! transmit: InDataExchange, as on the PN533
//! close:    InRelease 0 → RF off
//! ```

mod connect;
mod link;
mod pipe;

pub use connect::{Connect, SAM_CONFIGURATION, WAKE_UP};
pub use link::{PN532_BAUD, Pn532Link};
pub use pipe::SerialPipe;
