//! A Token2 Molto2 (multi-profile token) through the Kiln bridge: its profile table, burning
//! the wizard's account into a free profile, deleting a profile and setting the clock. The
//! protocol is kiln-core's Molto2 sessions (the same the `kiln molto2` commands run); this
//! module only runs them over the bridge and keeps each result bound to what it is about.
//!
//! * [`device`] — one session over the bridge's reader;
//! * [`table`] — the profile table as read from one Molto2;
//! * [`outcome`] — what an operation did, and the device and account it is about;
//! * [`panel`] — the panel's state and its operations; [`view`] — the components.

pub mod device;
pub mod outcome;
pub mod panel;
pub mod table;
pub mod view;

pub use view::Molto2Panel;
