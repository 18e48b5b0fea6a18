//! CCID (USB class 0x0B) smart-card readers, sans-IO.
//!
//! * [`message`] — the 10-byte-header message codec; [`reply`] — `bStatus`/`bError` and the
//!   [`LinkError`](crate::link::LinkError) each failure means; [`atr`] — historical bytes;
//! * [`Exchange`] — one command for the answer with the same `bSeq`, through time extensions;
//! * [`Connect`], [`Transmit`], [`Close`] — the reader sessions, as [`Machine`](crate::link::machine::Machine)s (the same
//!   contract as the PN53x sessions);
//! * [`CcidLink`] — the thin async adapter over a [`BulkPipe`](crate::link::BulkPipe);
//! * [`abandon`] — after a timeout: no further command on the slot, the late answer is
//!   collected ([`Drain`]) before the card is powered off.
//!
//! ```text
//! connect:  GetSlotStatus → IccPowerOn (ATR)
//! transmit: XfrBlock → [time extension …] → DataBlock (chained: empty XfrBlock 0x0010 …)
//! close:    [after a timeout: read until the late answer] → IccPowerOff
//! ```

pub mod abandon;
pub mod atr;
mod exchange;
mod link;
pub mod message;
pub mod reply;
mod session;

pub use abandon::Drain;
pub use exchange::{Exchange, MAX_TIME_EXTENSIONS};
pub use link::{CCID_BULK_PACKET, CCID_CLASS, CCID_READ_LEN, CcidLink};
pub use message::{Message, MessageError};
pub use reply::{CommandStatus, IccStatus, Reply, ReplyError, ReplyKind, SlotError};
pub use session::{
    Close, Connect, MAX_REPLY, POWER_ON_TIMEOUT_MS, STATUS_TIMEOUT_MS, Transmit, XFR_TIMEOUT_MS,
};
