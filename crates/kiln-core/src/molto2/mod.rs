//! The Token2 Molto2 / Molto2v2 protocol (USB CCID, 50 or 100 profiles), as specified in
//! `docs/protocol.md` §2.7 and Kiln's Molto2 decisions there. Sans-IO, like [`crate::token`]:
//!
//! * [`key`] — the customer key and its SHA-1-derived SM4 key;
//! * [`apdu`] — one builder per command (P2 = profile);
//! * [`profile`] — profile numbers and the READ PROFILE record; [`settings`] — digits,
//!   per-profile settings, titles;
//! * [`detect`] — which reader is a Molto2;
//! * [`session`] — identify, list, burn, delete, time sync, change key, factory reset as
//!   state machines, [`report`] — what they did, [`session_runner`] — running one over a link.

pub mod account;
pub mod apdu;
pub mod detect;
pub mod key;
mod plan;
pub mod profile;
mod reply;
pub mod report;
pub mod session;
/// Runs a Molto2 session over a link: the loop shared with the single-profile token.
pub mod session_runner {
    pub use crate::session_runner::run_session;
}
pub mod settings;
pub mod step;

pub use detect::is_molto2_reader;
pub use key::{CustomerKey, DEFAULT_CUSTOMER_KEY, KeyError};
pub use plan::{BurnError, SyncTarget, V1_PROFILES};
pub use profile::{ProfileNumber, ProfileRecord, RecordError, parse_record};
pub use reply::attempts_left;
pub use report::{Failure, Outcome, Report};
pub use session::{Next, Replace, Session};
pub use settings::{Digits, ProfileSettings, Title, TitleError};
pub use step::{Operation, Step, StepStatus};
