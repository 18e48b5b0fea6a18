//! After the burn: is the token's clock still close enough, and how is it repaired on this model?
//!
//! A token's crystal drifts by minutes over the years, and services accept a code only a few
//! steps away from their own clock. The check compares the token with *this computer's* clock,
//! which may itself be wrong: Kiln cannot know true time, so every sentence says what it was
//! compared with, and before changing the token it asks the user to check the computer.
//!
//! The thresholds, in time steps of the account's period:
//!
//! * `ok` — at most [`OK_WITHIN_STEPS`] (1) step either way: every service that follows
//!   RFC 6238 §5.2 (one step of network delay) accepts the codes.
//! * `fix` — more than one step, up to [`ENTRA_SIGN_IN_STEPS`] (2): Microsoft Entra still
//!   accepts the codes, stricter services do not; worth setting the clock.
//! * `refused` — more than two steps: beyond Entra's window for hardware tokens, so its codes
//!   are refused (at some moments of each step, then always as the drift grows).

use crate::params::Period;

use super::clock_offset::{IN_SYNC_WITHIN_SECONDS, duration_words};
use super::model::Model;

/// Offsets up to this many time steps either way are fine: RFC 6238 §5.2 recommends that a
/// verifier accept one step of delay, and nearly every service does.
pub const OK_WITHIN_STEPS: u64 = 1;

/// Microsoft Entra ID's sign-in window for hardware OATH tokens, in time steps either way.
///
/// Microsoft documents, under "Time drift correction" in *Authentication methods in Microsoft
/// Entra ID – OATH tokens* (learn.microsoft.com/entra/identity/authentication/
/// concept-authentication-oath-tokens, MicrosoftDocs/entra-docs, 2025-03-04): "Microsoft Entra
/// ID adjusts time drift of the tokens during activation and every authentication", with an
/// authentication time range of ±1 minute for 30-second tokens and ±2 minutes for 60-second
/// tokens (activation: ±1 day and ±2 days). Both are two steps of the token's period. Entra
/// re-centres on the token at every sign-in, so this bounds the drift since the last use.
pub const ENTRA_SIGN_IN_STEPS: u64 = 2;

/// What a clock offset means for the account's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DriftVerdict {
    /// Within one step: the codes are accepted; nothing to do.
    Ok,
    /// More than one step, within Entra's window: worth setting the clock.
    Fix,
    /// Beyond Entra's window: its codes will be refused.
    Refused,
}

impl DriftVerdict {
    /// Stable machine-readable name: `ok`, `fix` or `refused`.
    pub fn code(self) -> &'static str {
        match self {
            DriftVerdict::Ok => "ok",
            DriftVerdict::Fix => "fix",
            DriftVerdict::Refused => "refused",
        }
    }
}

/// The verdict for `offset` (token minus this computer, seconds) and the account's `period`.
pub fn drift_verdict(offset: i64, period: Period) -> DriftVerdict {
    let off = offset.unsigned_abs();
    if off <= OK_WITHIN_STEPS * period.seconds() {
        DriftVerdict::Ok
    } else if off <= ENTRA_SIGN_IN_STEPS * period.seconds() {
        DriftVerdict::Fix
    } else {
        DriftVerdict::Refused
    }
}

/// A measured offset judged for one period: the verdict and the sentence that explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriftCheck {
    /// Token minus this computer, in seconds.
    pub offset_seconds: i64,
    /// The account's time step the verdict is for.
    pub period: Period,
    /// See [`drift_verdict`].
    pub verdict: DriftVerdict,
}

impl DriftCheck {
    /// Judges `offset` (token minus this computer, seconds) for `period`.
    pub fn new(offset_seconds: i64, period: Period) -> DriftCheck {
        DriftCheck {
            offset_seconds,
            period,
            verdict: drift_verdict(offset_seconds, period),
        }
    }

    /// One plain paragraph: how far off, against this computer's clock, what it means, what
    /// to do. The CLI's wording; see [`DriftCheck::sentence_against`].
    pub fn sentence(&self) -> String {
        self.sentence_against("computer")
    }

    /// The same paragraph against the clock of "this `reference`" ("computer" for the CLI,
    /// "device" for the web app, which may run on a phone).
    pub fn sentence_against(&self, reference: &str) -> String {
        let step = self.period.seconds();
        let off = self.offset_seconds.unsigned_abs();
        let how_far = if off <= IN_SYNC_WITHIN_SECONDS {
            format!("in sync (within {IN_SYNC_WITHIN_SECONDS} s)")
        } else if self.offset_seconds > 0 {
            format!("{} ahead", duration_words(off))
        } else {
            format!("{} behind", duration_words(off))
        };
        let entra = duration_words(ENTRA_SIGN_IN_STEPS * step);
        let opening = format!("Against this {reference}'s clock, the token is {how_far}");
        match self.verdict {
            DriftVerdict::Ok => format!(
                "{opening}: within one {step} s step, so its codes are accepted. Nothing to fix."
            ),
            DriftVerdict::Fix => format!(
                "{opening}: more than one {step} s step, so stricter services refuse its codes \
                 (Microsoft Entra still accepts up to {entra} either way for {step} s tokens). \
                 Worth fixing: first check that this {reference}'s clock is right, then set the \
                 token's clock."
            ),
            DriftVerdict::Refused => format!(
                "{opening}: beyond the {entra} either way that Microsoft Entra accepts for {step} \
                 s hardware tokens, so its codes will be refused. Check this {reference}'s clock \
                 first (is it set automatically?): if the {reference} is wrong, fix the \
                 {reference}, not the token."
            ),
        }
    }
}

/// How a token's clock is put right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repair {
    /// Write the clock (with the settings); the seed stays. Unrestricted models.
    SetClock,
    /// Set the clock and write the same secret again: the clock write erases the seed on
    /// restricted models, and Kiln never kept the secret, so the user gives it again.
    Reburn,
}

impl Repair {
    /// Stable machine-readable name: `set_clock` or `reburn`.
    pub fn code(self) -> &'static str {
        match self {
            Repair::SetClock => "set_clock",
            Repair::Reburn => "reburn",
        }
    }
}

/// The repair for one model, with the consequence in one sentence that names the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepairPlan {
    /// The token's model.
    pub model: Model,
    /// What the repair is on this model.
    pub repair: Repair,
}

impl RepairPlan {
    /// One sentence for the confirmation: the model and what the repair does to its seed.
    pub fn consequence(&self) -> String {
        let model = self.model.with_article();
        match self.repair {
            Repair::SetClock => format!(
                "Setting the clock of {model} keeps its seed: the token goes on showing the same \
                 account's codes, now on time."
            ),
            Repair::Reburn => format!(
                "Setting the clock of {model} erases its seed, so the repair is a re-burn: set \
                 the clock and write the same secret again (scan or paste it; Kiln never kept \
                 it), or the token ends with no seed and shows no valid codes."
            ),
        }
    }
}

/// The repair for `model`: [`Repair::SetClock`] when its clock can be set without losing the
/// seed ([`Model::restricted_sync`] is false), else [`Repair::Reburn`].
pub fn repair_plan(model: Model) -> RepairPlan {
    let repair = if model.restricted_sync() {
        Repair::Reburn
    } else {
        Repair::SetClock
    };
    RepairPlan { model, repair }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_steps_of_the_period() {
        use DriftVerdict::*;
        let cases: [(i64, Period, DriftVerdict); 16] = [
            (0, Period::S30, Ok),
            (30, Period::S30, Ok),
            (-30, Period::S30, Ok),
            (31, Period::S30, Fix),
            (-40, Period::S30, Fix),
            (60, Period::S30, Fix),
            (61, Period::S30, Refused),
            (-200, Period::S30, Refused),
            (40, Period::S60, Ok),
            (-60, Period::S60, Ok),
            (61, Period::S60, Fix),
            (-120, Period::S60, Fix),
            (121, Period::S60, Refused),
            (200, Period::S60, Refused),
            (i64::MIN, Period::S60, Refused),
            (i64::MAX, Period::S30, Refused),
        ];
        for (offset, period, verdict) in cases {
            assert_eq!(
                drift_verdict(offset, period),
                verdict,
                "{offset} at {period}"
            );
        }
    }

    #[test]
    fn the_entra_window_is_the_documented_one_and_two_minutes() {
        assert_eq!(ENTRA_SIGN_IN_STEPS * Period::S30.seconds(), 60);
        assert_eq!(ENTRA_SIGN_IN_STEPS * Period::S60.seconds(), 120);
    }

    #[test]
    fn every_sentence_names_the_reference_clock() {
        for offset in [0, 40, -40, 200, -200] {
            for period in [Period::S30, Period::S60] {
                let sentence = DriftCheck::new(offset, period).sentence();
                assert!(
                    sentence.contains("against this computer's clock")
                        || sentence.starts_with("Against this computer's clock"),
                    "{sentence}"
                );
            }
        }
    }

    #[test]
    fn sentences_say_what_the_verdict_means() {
        assert_eq!(
            DriftCheck::new(-1, Period::S30).sentence(),
            "Against this computer's clock, the token is in sync (within 2 s): within one 30 s \
             step, so its codes are accepted. Nothing to fix."
        );
        let fix = DriftCheck::new(40, Period::S30).sentence();
        assert!(fix.contains("40 s ahead"), "{fix}");
        assert!(fix.contains("up to 1 min either way"), "{fix}");
        assert!(
            fix.contains("check that this computer's clock is right"),
            "{fix}"
        );
        let refused = DriftCheck::new(-200, Period::S60).sentence();
        assert!(refused.contains("3 min 20 s behind"), "{refused}");
        assert!(refused.contains("2 min either way"), "{refused}");
        assert!(refused.contains("will be refused"), "{refused}");
        assert!(
            refused.contains("Check this computer's clock first"),
            "{refused}"
        );
    }

    #[test]
    fn the_web_app_names_this_device_instead() {
        for offset in [0, 40, -200] {
            let check = DriftCheck::new(offset, Period::S30);
            let device = check.sentence_against("device");
            assert!(
                device.starts_with("Against this device's clock"),
                "{device}"
            );
            assert!(!device.contains("computer"), "{device}");
            assert_eq!(check.sentence_against("computer"), check.sentence());
        }
        let refused = DriftCheck::new(-200, Period::S30).sentence_against("device");
        assert!(
            refused.contains("if the device is wrong, fix the device"),
            "{refused}"
        );
    }

    #[test]
    fn the_repair_follows_the_model() {
        for model in Model::ALL {
            let plan = repair_plan(model);
            let sentence = plan.consequence();
            assert!(sentence.contains(&model.with_article()), "{sentence}");
            if model.restricted_sync() {
                assert_eq!(plan.repair, Repair::Reburn, "{model}");
                assert!(sentence.contains("erases its seed"), "{sentence}");
                assert!(sentence.contains("same secret"), "{sentence}");
            } else {
                assert_eq!(plan.repair, Repair::SetClock, "{model}");
                assert!(sentence.contains("keeps its seed"), "{sentence}");
            }
        }
        assert_eq!(
            repair_plan(Model::OtpcP2I).consequence(),
            "Setting the clock of an OTPC-P2-i erases its seed, so the repair is a re-burn: set \
             the clock and write the same secret again (scan or paste it; Kiln never kept it), \
             or the token ends with no seed and shows no valid codes."
        );
        assert_eq!(repair_plan(Model::MiniOtp2I).repair.code(), "set_clock");
        assert_eq!(repair_plan(Model::C301I).repair.code(), "reburn");
    }
}
