//! The steps of a Molto2 session and what happened to each.

use core::fmt;

use super::apdu::Command;
use super::profile::ProfileNumber;
use crate::token::TokenError;

/// What a session was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Serial and clock (GET INFO only).
    Identify,
    /// Serial, clock and every profile's public data.
    List,
    /// Seed, title and config into one profile.
    Burn,
    /// Delete one profile's seed.
    Delete,
    /// Set the clock (through one profile, or looping over all of them).
    SyncTime,
    /// Change the customer key (▲ press on the device).
    ChangeKey,
    /// Factory reset (▲ press on the device).
    FactoryReset,
}

/// One command of a session, in wire order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// GET INFO.
    ReadInfo,
    /// READ PROFILE of one profile.
    ReadProfile(ProfileNumber),
    /// DELETE SEED of one profile.
    DeleteSeed(ProfileNumber),
    /// GET CHALLENGE.
    GetChallenge,
    /// ANSWER CHALLENGE with the customer key.
    Authenticate,
    /// WRITE SEED.
    WriteSeed(ProfileNumber),
    /// WRITE TITLE.
    WriteTitle(ProfileNumber),
    /// WRITE CONFIG.
    WriteConfig(ProfileNumber),
    /// Time-only config of one profile.
    SyncTime(ProfileNumber),
    /// CHANGE CUSTOMER KEY.
    ChangeKey,
    /// FACTORY RESET.
    FactoryReset,
}

impl Step {
    /// True for the commands that change what the Molto2 stores.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Step::DeleteSeed(_)
                | Step::WriteSeed(_)
                | Step::WriteTitle(_)
                | Step::WriteConfig(_)
                | Step::SyncTime(_)
                | Step::ChangeKey
                | Step::FactoryReset
        )
    }

    /// True for the commands the device only commits after a ▲ press.
    pub fn needs_button(self) -> bool {
        matches!(self, Step::ChangeKey | Step::FactoryReset)
    }

    /// Stable machine-readable name (the CLI's `--json` vocabulary).
    pub fn code(self) -> &'static str {
        match self {
            Step::ReadInfo => "read_info",
            Step::ReadProfile(_) => "read_profile",
            Step::DeleteSeed(_) => "delete_seed",
            Step::GetChallenge => "get_challenge",
            Step::Authenticate => "authenticate",
            Step::WriteSeed(_) => "write_seed",
            Step::WriteTitle(_) => "write_title",
            Step::WriteConfig(_) => "write_config",
            Step::SyncTime(_) => "sync_time",
            Step::ChangeKey => "change_key",
            Step::FactoryReset => "factory_reset",
        }
    }

    /// The profile the step is about, if any.
    pub fn profile(self) -> Option<ProfileNumber> {
        match self {
            Step::ReadProfile(p)
            | Step::DeleteSeed(p)
            | Step::WriteSeed(p)
            | Step::WriteTitle(p)
            | Step::WriteConfig(p)
            | Step::SyncTime(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::ReadInfo => f.write_str("Read the Molto2's serial number and clock"),
            Step::ReadProfile(p) => write!(f, "Read profile {p}"),
            Step::DeleteSeed(p) => write!(f, "Delete the seed of profile {p}"),
            Step::GetChallenge => f.write_str("Ask the Molto2 for a challenge"),
            Step::Authenticate => f.write_str("Authenticate with the customer key"),
            Step::WriteSeed(p) => write!(f, "Write the seed of profile {p}"),
            Step::WriteTitle(p) => write!(f, "Write the title of profile {p}"),
            Step::WriteConfig(p) => write!(f, "Write the clock and settings of profile {p}"),
            Step::SyncTime(p) => write!(f, "Set the clock through profile {p}"),
            Step::ChangeKey => f.write_str("Change the customer key"),
            Step::FactoryReset => f.write_str("Factory reset"),
        }
    }
}

/// What happened to one step's command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// It never reached the device.
    NotSent,
    /// Sent, waiting for the reply (only while the session runs).
    Sending,
    /// Executed: `90 00`.
    Done,
    /// `6A 83` to DELETE SEED: the profile had no seed, nothing changed.
    AlreadyEmpty,
    /// `90 60`: accepted; the device commits only when its ▲ button is pressed, which the host
    /// cannot see. Never counted as done.
    AwaitingButton,
    /// Refused before executing: no effect.
    Refused(TokenError),
    /// Sent, but no reply said what became of it.
    Unknown,
}

impl StepStatus {
    /// Stable machine-readable name (the CLI's `--json` vocabulary).
    pub fn code(self) -> &'static str {
        match self {
            StepStatus::NotSent => "not_sent",
            StepStatus::Sending => "sending",
            StepStatus::Done => "done",
            StepStatus::AlreadyEmpty => "already_empty",
            StepStatus::AwaitingButton => "not_confirmed",
            StepStatus::Refused(_) => "refused",
            StepStatus::Unknown => "unknown",
        }
    }
}

/// What the caller must do next: send a command, or read the session's report.
pub type Next = crate::session_runner::Next<Command>;

/// Whether an occupied profile may be replaced (its seed deleted, then the new one written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// The user confirmed replacing what the profile holds.
    Confirmed,
    /// Stop before writing if the profile holds a seed.
    No,
}
