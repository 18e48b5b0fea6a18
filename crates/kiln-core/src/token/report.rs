//! What a session did and what the token now holds, in words a user can act on.
//!
//! There is no command that reads a seed back, so the report reasons from what the token
//! acknowledged: a write is "done" only after `90 00`, "refused" only after a status word that
//! means "not executed" (`status.rs`), "not sent" when it certainly never reached the token, and
//! "unknown" when it was sent and no reply said what became of it.

use core::fmt;

use super::config::TokenSettings;
use super::info::{InfoError, TokenInfo};
use super::model::Model;
use super::status::TokenError;
use crate::link::LinkError;

/// What a session was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Read serial, model and clock.
    Identify,
    /// Write config and seed.
    Burn,
    /// Write config only (sets the clock).
    TimeSync,
    /// Write the seed only.
    SeedOnly,
}

/// One command of a session, in wire order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// GET INFO.
    ReadInfo,
    /// GET CHALLENGE.
    GetChallenge,
    /// ANSWER CHALLENGE.
    Authenticate,
    /// WRITE CONFIG.
    WriteConfig,
    /// WRITE SEED.
    WriteSeed,
}

impl Step {
    /// A short label for progress displays.
    pub fn label(self) -> &'static str {
        match self {
            Step::ReadInfo => "Read the token's serial number and clock",
            Step::GetChallenge => "Ask the token for a challenge",
            Step::Authenticate => "Authenticate",
            Step::WriteConfig => "Write clock and settings",
            Step::WriteSeed => "Write the seed",
        }
    }

    /// True for the commands that change what the token stores.
    pub fn is_write(self) -> bool {
        matches!(self, Step::WriteConfig | Step::WriteSeed)
    }
}

/// What happened to one step's command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// It never reached the token (not attempted, or the link certainly did not deliver it).
    NotSent,
    /// Handed out and waiting for a reply (only seen while the session runs).
    Sending,
    /// The token executed it and answered `90 00`.
    Done,
    /// The token refused it before executing (for a write, only the status words `status.rs`
    /// trusts to mean that): the command had no effect.
    Refused(TokenError),
    /// Sent, but no reply said what became of it (no answer, garbage, or for a write an error
    /// status that may come after executing): its effect is unknown.
    Unknown,
}

/// Why a session stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The reader or the link failed during a step.
    Link {
        /// The step that was running.
        step: Step,
        /// The link's error.
        error: LinkError,
    },
    /// The token answered a step with an error status.
    Refused {
        /// The refused step.
        step: Step,
        /// The token's error.
        error: TokenError,
    },
    /// The token answered a write with an error status that does not say whether the write
    /// happened (e.g. ISO 7816-4 `63 xx`/`65 xx`, which come with memory changed, or a word
    /// the protocol does not document).
    UnclearStatus {
        /// The write.
        step: Step,
        /// The status word the token answered.
        status: u16,
    },
    /// The token's reply to a step did not make sense.
    BadReply {
        /// The step.
        step: Step,
    },
    /// GET INFO answered, but the answer could not be read.
    UnreadableInfo(InfoError),
    /// The serial number is not one of the supported models.
    UnknownModel {
        /// The serial the token reported.
        serial: String,
    },
    /// A different token than the one identified is on the reader.
    DifferentToken {
        /// The serial the session was told to expect.
        expected: String,
        /// The serial on the reader.
        found: String,
    },
    /// A time sync on a model that erases its seed, without the user's acknowledgement.
    SeedWipeNotAcknowledged {
        /// The model.
        model: Model,
    },
    /// This computer's clock cannot be written to a token (before 1970 or after 2106).
    ClockOutOfRange,
    /// The session's API was used out of order (a bug in the caller).
    OutOfOrder,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Link { error, .. } => fmt::Display::fmt(error, f),
            Failure::Refused { error, .. } => fmt::Display::fmt(error, f),
            Failure::UnclearStatus { step, status } => write!(
                f,
                "The token answered \"{}\" with status {status:04X}, which does not say whether \
                 it was written: the token may have changed. Keep the token still on the reader \
                 and burn again.",
                step.label()
            ),
            // A garbled answer to the authentication may still have counted as a failed
            // attempt on the token: never invite an immediate second one.
            Failure::BadReply {
                step: Step::Authenticate,
            } => f.write_str(
                "The token's answer to \"Authenticate\" made no sense, and the token may have \
                 counted it as a failed attempt. Take the token off the reader, put it back, and \
                 read it again before burning.",
            ),
            Failure::BadReply { step } => write!(
                f,
                "The token's answer to \"{}\" made no sense. Keep the token still on the reader \
                 and try again.",
                step.label()
            ),
            Failure::UnreadableInfo(e) => fmt::Display::fmt(e, f),
            Failure::UnknownModel { serial } => write!(
                f,
                "This token (serial {serial}) is not a Token2 model Kiln knows how to program. \
                 Kiln only writes to OTPC-P1-i, OTPC-P2-i(-NB), miniOTP-2-i, miniOTP-3-i(-NB), \
                 C301-i and C302-i tokens, because a wrong command can damage a token. Nothing \
                 was written."
            ),
            Failure::DifferentToken { expected, found } => write!(
                f,
                "A different token is on the reader (serial {found}, expected {expected}). \
                 Nothing was written. Put the right token back, or identify this one first."
            ),
            Failure::SeedWipeNotAcknowledged { model } => write!(
                f,
                "Setting the clock of {} erases its seed. Confirm that you will burn the \
                 seed again afterwards, or burn the seed now (which also sets the clock). \
                 Nothing was written.",
                model.with_article()
            ),
            Failure::ClockOutOfRange => f.write_str(
                "This computer's clock is not set to a date a token can store. Set the correct \
                 date and time, then try again. Nothing was written.",
            ),
            Failure::OutOfOrder => f.write_str(
                "Kiln lost track of the conversation with the token (an internal error). Burn \
                 again.",
            ),
        }
    }
}

/// The overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every command was acknowledged with `90 00`.
    Success,
    /// The session stopped, and Kiln knows what the token holds.
    Failed,
    /// A write was sent without a usable reply: what the token holds is not known.
    Unknown,
}

/// What the token's seed slot holds after the session, as far as Kiln can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedState {
    /// Whatever seed it had before is still there.
    Unchanged,
    /// The new seed.
    New,
    /// No seed: the config write erased it and no new seed was written.
    Erased,
    /// Either the new seed or the old one (seed write unanswered).
    NewOrUnchanged,
    /// Either the new seed or none (restricted model; seed write unanswered).
    NewOrErased,
    /// Either the old seed or none (restricted model; config write unanswered).
    ErasedOrUnchanged,
}

/// What the token's clock and settings are after the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsState {
    /// As before.
    Unchanged,
    /// The new clock and settings.
    Updated,
    /// Either, the config write was unanswered.
    UpdatedOrUnchanged,
}

/// The truthful account of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// What was asked.
    pub operation: Operation,
    /// Every planned step with what happened to it.
    pub steps: Vec<(Step, StepStatus)>,
    /// Serial and clock, when GET INFO was answered.
    pub info: Option<TokenInfo>,
    /// The model, when the serial is a known one.
    pub model: Option<Model>,
    /// The settings the session writes (burn and time sync).
    pub settings: Option<TokenSettings>,
    /// The clock value put into the config command, if it was built.
    pub written_clock: Option<u32>,
    /// Why the session stopped early.
    pub failure: Option<Failure>,
    /// False while the session is still running.
    pub finished: bool,
}

impl Report {
    fn status_of(&self, step: Step) -> Option<StepStatus> {
        self.steps
            .iter()
            .find(|(s, _)| *s == step)
            .map(|(_, st)| *st)
    }

    /// Success only when every step was acknowledged with `90 00`.
    pub fn outcome(&self) -> Outcome {
        let write_unknown = self
            .steps
            .iter()
            .any(|(step, status)| step.is_write() && *status == StepStatus::Unknown);
        if write_unknown {
            Outcome::Unknown
        } else if self.finished
            && self.failure.is_none()
            && self.steps.iter().all(|(_, s)| *s == StepStatus::Done)
        {
            Outcome::Success
        } else {
            Outcome::Failed
        }
    }

    /// True when a config write erases the seed on this token. Unknown models count as
    /// restricted, but no write ever reaches them.
    fn restricted(&self) -> bool {
        self.model.is_none_or(Model::restricted_sync)
    }

    /// What the seed slot holds now.
    pub fn seed_state(&self) -> SeedState {
        let after_config = match self.status_of(Step::WriteConfig) {
            Some(StepStatus::Done) if self.restricted() => SeedState::Erased,
            Some(StepStatus::Unknown) if self.restricted() => SeedState::ErasedOrUnchanged,
            _ => SeedState::Unchanged,
        };
        match (self.status_of(Step::WriteSeed), after_config) {
            (Some(StepStatus::Done), _) => SeedState::New,
            (Some(StepStatus::Unknown), SeedState::Erased) => SeedState::NewOrErased,
            (Some(StepStatus::Unknown), _) => SeedState::NewOrUnchanged,
            (_, state) => state,
        }
    }

    /// What the clock and settings are now.
    pub fn settings_state(&self) -> SettingsState {
        match self.status_of(Step::WriteConfig) {
            Some(StepStatus::Done) => SettingsState::Updated,
            Some(StepStatus::Unknown) => SettingsState::UpdatedOrUnchanged,
            _ => SettingsState::Unchanged,
        }
    }

    /// Plain sentences for the user: the outcome, why, and what the token now holds.
    pub fn summary(&self) -> String {
        let outcome = self.outcome();
        match outcome {
            Outcome::Success if self.operation == Operation::Identify => {
                return "The token was identified.".to_string();
            }
            Outcome::Success if self.operation == Operation::Burn => {
                return "Burn complete: the token now holds the new seed, its settings, and a \
                        clock set to this device's time."
                    .to_string();
            }
            // On success, what the token holds says it all.
            Outcome::Success => return self.holds(),
            _ => {}
        }
        let unclear_status = matches!(self.failure, Some(Failure::UnclearStatus { .. }));
        let mut out = String::from(if outcome == Outcome::Unknown && unclear_status {
            "Kiln cannot tell whether the last write changed the token."
        } else if outcome == Outcome::Unknown {
            "Kiln cannot tell whether the last write reached the token: the reader gave no usable \
             answer after it was sent."
        } else {
            "The operation did not complete."
        });
        if let Some(failure) = &self.failure {
            out.push(' ');
            out.push_str(&failure.to_string());
        }
        if self.operation != Operation::Identify {
            out.push(' ');
            out.push_str(&self.holds());
        }
        out
    }

    /// One sentence on what the token now holds.
    pub fn holds(&self) -> String {
        let model = self.model.map_or("token", Model::name);
        let a_model = self
            .model
            .map_or_else(|| "a token".to_string(), Model::with_article);
        match (self.seed_state(), self.settings_state()) {
            (SeedState::Unchanged, SettingsState::Unchanged) => {
                "Nothing was written: the token is exactly as it was.".to_string()
            }
            (SeedState::Unchanged, SettingsState::Updated) => {
                "The token's clock was set to this device's time, its settings were written, and \
                 it kept its seed."
                    .to_string()
            }
            (SeedState::New, SettingsState::Updated) => {
                "The token now holds the new seed, its settings, and a clock set to this \
                 device's time."
                    .to_string()
            }
            (SeedState::New, _) => {
                "The token now holds the new seed; its clock and settings are as before."
                    .to_string()
            }
            (SeedState::Erased, _) if self.operation == Operation::TimeSync => format!(
                "The clock was set, and as you accepted, the {model} erased its seed: it shows no \
                 valid codes until you burn a seed into it."
            ),
            (SeedState::Erased, _) => format!(
                "The clock and settings were written, which made the {model} erase its old seed, \
                 but the new seed was not written. The token has no seed now and shows no valid \
                 codes: burn it again."
            ),
            (SeedState::NewOrErased, _) => format!(
                "The {model} erased its old seed when its clock was set, and the new seed was \
                 sent without a clear answer, so the token holds either the new seed or no seed. Burn \
                 again to be sure."
            ),
            (SeedState::NewOrUnchanged, _) => {
                "The new seed was sent without a clear answer, so the token holds either the new seed \
                 or its old one. Burn again to be sure."
                    .to_string()
            }
            (SeedState::ErasedOrUnchanged, _) => format!(
                "The clock and settings were sent without a clear answer. On {a_model} that may \
                 have erased the seed. Burn again to be sure."
            ),
            (SeedState::Unchanged, SettingsState::UpdatedOrUnchanged) => {
                "The clock and settings were sent without a clear answer: they may or may not have \
                 changed. The seed was kept."
                    .to_string()
            }
        }
    }
}
