//! Kiln's PC/SC link (like openpgp-card's card-backend-pcsc): the readers the smart-card service
//! knows, a connection to the card on one of them, and kiln-core's [`Link`] over that
//! connection; and a [`Watcher`] that waits for a card to arrive on a reader or to leave it.
//!
//! Failures come back as [`PcscError`] (service, reader, connection) or as kiln-core's
//! [`LinkError`] (an APDU exchange); turning them into words for people is the caller's job.
//!
//! [`Link`]: kiln_core::link::Link
//! [`LinkError`]: kiln_core::link::LinkError

mod atr;
mod error;
mod link;
mod service;
mod watch;

pub use atr::CardKind;
pub use error::PcscError;
pub use link::PcscLink;
pub use service::{Connection, Pcsc, ReaderStatus};
pub use watch::{StopHandle, WAKE_UP, Waited, Watcher};
