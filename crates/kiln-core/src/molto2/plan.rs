//! Which commands each Molto2 operation sends, in order, and the checks on a burn's input.
//!
//! A Molto2 (v1) has 50 profiles, a Molto2v2 100, and GET INFO does not say which (§1.2). So
//! the operations that go over "every profile" (list, sync all) plan 0–99 and end cleanly when
//! the device refuses profile 50: that device is a v1.

use core::fmt;

use super::profile::ProfileNumber;
use super::report::Failure;
use super::step::{Operation, Step};
use crate::secret::Secret;
use crate::token::seed::{SeedBytes, SeedError};
use crate::token::{Model, TokenInfo};

/// Profiles of a Molto2 v1 (0–49).
pub const V1_PROFILES: u8 = 50;

/// Which profiles a time sync goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncTarget {
    /// One profile.
    One(ProfileNumber),
    /// Every profile, in turn (the vendor tools' "sync all").
    All,
}

#[derive(Debug)]
pub(super) struct Plan {
    pub(super) operation: Operation,
    pub(super) steps: Vec<Step>,
    sweeps_all_profiles: bool,
}

impl Plan {
    fn new(operation: Operation, steps: Vec<Step>) -> Plan {
        Plan {
            operation,
            steps,
            sweeps_all_profiles: false,
        }
    }

    pub(super) fn identify() -> Plan {
        Plan::new(Operation::Identify, vec![Step::ReadInfo])
    }

    pub(super) fn list() -> Plan {
        let mut steps = vec![Step::ReadInfo];
        steps.extend(ProfileNumber::all().map(Step::ReadProfile));
        Plan {
            sweeps_all_profiles: true,
            ..Plan::new(Operation::List, steps)
        }
    }

    pub(super) fn burn(p: ProfileNumber) -> Plan {
        Plan::new(
            Operation::Burn,
            vec![
                Step::ReadInfo,
                Step::ReadProfile(p),
                Step::GetChallenge,
                Step::Authenticate,
                Step::WriteSeed(p),
                Step::WriteTitle(p),
                Step::WriteConfig(p),
            ],
        )
    }

    pub(super) fn delete(p: ProfileNumber) -> Plan {
        Plan::new(
            Operation::Delete,
            vec![Step::ReadInfo, Step::ReadProfile(p), Step::DeleteSeed(p)],
        )
    }

    pub(super) fn sync_time(target: SyncTarget) -> Plan {
        let mut steps = vec![Step::ReadInfo, Step::GetChallenge, Step::Authenticate];
        match target {
            SyncTarget::One(p) => steps.push(Step::SyncTime(p)),
            SyncTarget::All => steps.extend(ProfileNumber::all().map(Step::SyncTime)),
        }
        Plan {
            sweeps_all_profiles: target == SyncTarget::All,
            ..Plan::new(Operation::SyncTime, steps)
        }
    }

    pub(super) fn change_key() -> Plan {
        Plan::new(
            Operation::ChangeKey,
            vec![
                Step::ReadInfo,
                Step::GetChallenge,
                Step::Authenticate,
                Step::ChangeKey,
            ],
        )
    }

    pub(super) fn factory_reset() -> Plan {
        Plan::new(
            Operation::FactoryReset,
            vec![Step::ReadInfo, Step::FactoryReset],
        )
    }

    /// True when a refusal of `step` only means "this is a v1 with 50 profiles": the first
    /// profile past 49 in an all-profiles sweep.
    pub(super) fn ends_at_v1_boundary(&self, step: Step) -> bool {
        self.sweeps_all_profiles
            && matches!(step, Step::ReadProfile(p) | Step::SyncTime(p) if p.get() == V1_PROFILES)
    }
}

/// A burn input the Molto2 cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BurnError {
    /// Empty or longer than 63 bytes.
    Seed(SeedError),
    /// Only zero bytes: the Molto2 reads an all-zero seed as "clear the slot" (§2.7).
    AllZeroSeed,
}

impl fmt::Display for BurnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BurnError::Seed(e) => fmt::Display::fmt(e, f),
            BurnError::AllZeroSeed => f.write_str(
                "The secret is all zero bytes, which a Molto2 takes as \"clear this profile\". \
                 This is not a real secret: scan or paste the account's secret again.",
            ),
        }
    }
}

/// The seed in its wire form: zero-extended to 20 bytes like the single-profile burn (codes are
/// unchanged, RFC 2104), never all zero.
pub(super) fn checked_seed(secret: &Secret) -> Result<SeedBytes, BurnError> {
    let seed = SeedBytes::new(secret).map_err(BurnError::Seed)?;
    if seed.wire_bytes().iter().all(|&b| b == 0) {
        return Err(BurnError::AllZeroSeed);
    }
    Ok(seed)
}

/// The checks that must pass before anything but GET INFO is sent: not a single-profile serial
/// (those tokens speak another command set), and the expected device when one was named.
pub(super) fn check_device(info: &TokenInfo, expected: Option<&str>) -> Option<Failure> {
    if Model::from_serial(&info.serial).is_some() {
        return Some(Failure::NotAMolto2 {
            serial: info.serial.clone(),
        });
    }
    match expected {
        Some(expected) if expected != info.serial => Some(Failure::DifferentToken {
            expected: expected.to_string(),
            found: info.serial.clone(),
        }),
        _ => None,
    }
}
