//! The truthful account of a Molto2 session: per step "done", "not sent", "refused",
//! "unknown" or "not confirmed" (waiting for the ▲ button), and what the device now holds.

use core::fmt;

use super::profile::{ProfileNumber, ProfileRecord, RecordError};
use super::step::{Operation, Step, StepStatus};
use crate::link::LinkError;
use crate::token::{InfoError, TokenError, TokenInfo};

/// Why a session stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The reader or the link failed during a step.
    Link {
        /// The step.
        step: Step,
        /// The link's error.
        error: LinkError,
    },
    /// The device refused a step before executing it.
    Refused {
        /// The step.
        step: Step,
        /// Its status word.
        error: TokenError,
    },
    /// `63 NN`: the customer key is wrong; NN attempts are left before the key locks.
    WrongKey {
        /// Attempts left.
        remaining: u8,
    },
    /// A write was answered with a status that does not say whether it happened.
    UnclearStatus {
        /// The step.
        step: Step,
        /// The status word.
        status: u16,
    },
    /// The reply to a step made no sense.
    BadReply {
        /// The step.
        step: Step,
    },
    /// GET INFO's answer could not be read: not a device Kiln knows.
    UnreadableInfo(InfoError),
    /// GET INFO gave the serial of a single-profile token, not a Molto2.
    NotAMolto2 {
        /// The serial.
        serial: String,
    },
    /// A profile's public data could not be read.
    UnreadableRecord {
        /// The profile.
        profile: ProfileNumber,
        /// What was wrong.
        error: RecordError,
    },
    /// The profile does not exist on this device (a Molto2 v1 has profiles 0–49).
    NoSuchProfile {
        /// The profile.
        profile: ProfileNumber,
    },
    /// The profile holds a seed; Kiln never overwrites one silently.
    ProfileOccupied {
        /// The profile.
        profile: ProfileNumber,
        /// Its title.
        title: String,
    },
    /// A different device than the one expected is on the reader.
    DifferentToken {
        /// Expected serial.
        expected: String,
        /// Serial found.
        found: String,
    },
    /// This computer's clock cannot be written (before 1970 or after 2106).
    ClockOutOfRange,
    /// The session's API was used out of order (a bug in the caller).
    OutOfOrder,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Link { error, .. } => fmt::Display::fmt(error, f),
            Failure::Refused { step, error } => write!(
                f,
                "The Molto2 refused \"{step}\" (status {:04X}); that command changed nothing.",
                error.status_word()
            ),
            Failure::WrongKey { remaining } => write!(
                f,
                "The Molto2 did not accept the customer key. It says {remaining} attempt(s) are \
                 left before the key locks for good. Kiln will not try again on its own: check \
                 the key (the factory key is TOKEN2MOLTO1-KEY) before the next attempt."
            ),
            Failure::UnclearStatus { step, status } => write!(
                f,
                "The Molto2 answered \"{step}\" with status {status:04X}, which does not say \
                 whether it was written. Run the command again."
            ),
            Failure::BadReply { step } => write!(
                f,
                "The Molto2's answer to \"{step}\" made no sense. Unplug it, plug it in and try \
                 again."
            ),
            Failure::UnreadableInfo(error) => write!(
                f,
                "{error} (Kiln only sends GET INFO to a device it does not recognise.)"
            ),
            Failure::NotAMolto2 { serial } => write!(
                f,
                "This device (serial {serial}) is a single-profile Token2 token, not a Molto2. \
                 Use `kiln burn` for it. Nothing was written."
            ),
            Failure::UnreadableRecord { profile, error } => {
                write!(f, "Profile {profile}: {error}")
            }
            Failure::NoSuchProfile { profile } => write!(
                f,
                "This Molto2 has no profile {profile} (a Molto2 v1 has profiles 0 to 49). \
                 Nothing was written."
            ),
            Failure::ProfileOccupied { profile, title } => write!(
                f,
                "Profile {profile} (\"{title}\") already holds a seed. Kiln never overwrites a \
                 seed silently: delete it first, or confirm the replacement (--replace). \
                 Nothing was written."
            ),
            Failure::DifferentToken { expected, found } => write!(
                f,
                "A different Molto2 is connected (serial {found}, expected {expected}). Nothing \
                 was written."
            ),
            Failure::ClockOutOfRange => f.write_str(
                "This computer's clock is not set to a date the Molto2 can store. Set the date \
                 and time, then try again. Nothing was written.",
            ),
            Failure::OutOfOrder => {
                f.write_str("Kiln lost track of the conversation (an internal error). Try again.")
            }
        }
    }
}

/// The overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every command was acknowledged with `90 00` (or `6A 83` for an already empty profile).
    Success,
    /// The device accepted a command that it commits only on a ▲ press (`90 60`), which Kiln
    /// cannot observe.
    NotConfirmed,
    /// The session stopped, and Kiln knows what the device holds.
    Failed,
    /// A write got no usable reply: what the device holds is not known.
    Unknown,
}

impl Outcome {
    /// Stable machine-readable name.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::NotConfirmed => "not_confirmed",
            Outcome::Failed => "failed",
            Outcome::Unknown => "unknown",
        }
    }
}

/// What a session did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// What was asked.
    pub operation: Operation,
    /// Every planned step with what happened to it.
    pub steps: Vec<(Step, StepStatus)>,
    /// Serial and clock, when GET INFO was answered.
    pub info: Option<TokenInfo>,
    /// Profiles read, in order.
    pub profiles: Vec<(ProfileNumber, ProfileRecord)>,
    /// The clock value put into a config or time command, if one was built.
    pub written_clock: Option<u32>,
    /// Why the session stopped early.
    pub failure: Option<Failure>,
    /// False while the session runs.
    pub finished: bool,
}

impl Report {
    /// The status of a step, if planned.
    pub fn status_of(&self, step: Step) -> Option<StepStatus> {
        self.steps
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, st)| *st)
    }

    /// Success only when every step was acknowledged.
    pub fn outcome(&self) -> Outcome {
        let any = |want: StepStatus| {
            self.steps
                .iter()
                .any(|(step, status)| step.is_write() && *status == want)
        };
        if any(StepStatus::Unknown) {
            Outcome::Unknown
        } else if any(StepStatus::AwaitingButton) {
            Outcome::NotConfirmed
        } else if self.finished
            && self.failure.is_none()
            && self
                .steps
                .iter()
                .all(|(_, s)| matches!(s, StepStatus::Done | StepStatus::AlreadyEmpty))
        {
            Outcome::Success
        } else {
            Outcome::Failed
        }
    }

    /// The writes that reached the device, and the ones whose effect is unknown.
    fn writes(&self, want: StepStatus) -> Vec<Step> {
        self.steps
            .iter()
            .filter(|(step, status)| step.is_write() && *status == want)
            .map(|(step, _)| *step)
            .collect()
    }

    /// Plain sentences: the outcome, why, and what the device now holds.
    pub fn summary(&self) -> String {
        let mut out = String::from(match self.outcome() {
            Outcome::Success => "Done.",
            Outcome::NotConfirmed => {
                "The Molto2 accepted the command and waits for its ▲ button. Kiln cannot see the \
                 button: if you pressed it within the time the display allowed, the change is \
                 made; if not, nothing changed. Not confirmed."
            }
            Outcome::Failed => "The operation did not complete.",
            Outcome::Unknown => "Kiln cannot tell whether the last write changed the Molto2.",
        });
        if let Some(failure) = &self.failure {
            out.push(' ');
            out.push_str(&failure.to_string());
        }
        let done = self.writes(StepStatus::Done);
        let unknown = self.writes(StepStatus::Unknown);
        if !done.is_empty() {
            out.push_str(" Written: ");
            out.push_str(&join(&done));
            out.push('.');
        }
        if !unknown.is_empty() {
            out.push_str(" Sent without a clear answer (may or may not have changed): ");
            out.push_str(&join(&unknown));
            out.push('.');
        }
        let is_writer = !matches!(self.operation, Operation::Identify | Operation::List);
        if is_writer && done.is_empty() && unknown.is_empty() && self.outcome() == Outcome::Failed {
            out.push_str(" Nothing was written: the Molto2 is as it was.");
        }
        out
    }
}

/// Lists the steps; a long run (sync all) is shortened to its first and last.
fn join(steps: &[Step]) -> String {
    let label = |s: &Step| s.to_string().to_lowercase();
    match steps {
        [first, .., last] if steps.len() > 4 => {
            format!(
                "{} … {} ({} commands)",
                label(first),
                label(last),
                steps.len()
            )
        }
        _ => steps.iter().map(label).collect::<Vec<_>>().join(", "),
    }
}
