//! The Token2 single-profile protocol (OTPC-P1-i, OTPC-P2-i(-NB), miniOTP-2-i, miniOTP-3-i(-NB),
//! C301-i, C302-i), as specified in `docs/protocol.md`.
//!
//! * [`crypto`] — SM4 padding, ECB and the 4-byte MAC;
//! * [`apdu`] — one builder per command;
//! * [`info`] — the GET INFO reply; [`model`] — which serials may be programmed;
//! * [`drift`] — after the burn: the clock's verdict for an account's period and the repair
//!   per model;
//! * [`status`] — status words as typed errors, and which of them mean "nothing written";
//! * [`session`] — Identify / Burn / Time sync / Seed only as sans-IO state machines, and
//!   [`report`] — what they did and what the token now holds.

pub mod apdu;
mod clock_offset;
pub mod config;
pub mod crypto;
pub mod drift;
pub mod info;
pub mod model;
mod reply;
pub mod report;
pub mod seed;
pub mod session;
pub mod status;

pub use apdu::{Command, CommandKind};
pub use clock_offset::{IN_SYNC_WITHIN_SECONDS, describe_clock_offset};
pub use config::TokenSettings;
pub use drift::{DriftCheck, DriftVerdict, Repair, RepairPlan, drift_verdict, repair_plan};
pub use info::{InfoError, TokenInfo, parse_info};
pub use model::Model;
pub use report::{Failure, Operation, Outcome, Report, SeedState, SettingsState, Step, StepStatus};
pub use seed::SeedError;
pub use session::{Next, SeedWipe, Session};
pub use status::TokenError;
