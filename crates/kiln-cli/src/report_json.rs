//! A session [`Report`] as JSON and as a failure exit: the stable names scripts rely on.

use kiln_core::link::LinkFault;
use kiln_core::token::{
    Failure, Outcome, Report, SeedState, SettingsState, Step, StepStatus, TokenError,
};
use serde_json::{Value, json};

use crate::clock;
use crate::exit::Exit;

/// Stable identifier of a step.
pub fn step_id(step: Step) -> &'static str {
    match step {
        Step::ReadInfo => "read_info",
        Step::GetChallenge => "get_challenge",
        Step::Authenticate => "authenticate",
        Step::WriteConfig => "write_config",
        Step::WriteSeed => "write_seed",
    }
}

/// Stable name of a step status.
pub fn status_name(status: StepStatus) -> &'static str {
    match status {
        StepStatus::NotSent => "not_sent",
        StepStatus::Sending => "sending",
        StepStatus::Done => "done",
        StepStatus::Refused(_) => "refused",
        StepStatus::Unknown => "unknown",
    }
}

/// `success`, `failed` or `unknown`.
pub fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "success",
        Outcome::Failed => "failed",
        Outcome::Unknown => "unknown",
    }
}

fn seed_state_name(state: SeedState) -> &'static str {
    match state {
        SeedState::Unchanged => "unchanged",
        SeedState::New => "new",
        SeedState::Erased => "erased",
        SeedState::NewOrUnchanged => "new_or_unchanged",
        SeedState::NewOrErased => "new_or_erased",
        SeedState::ErasedOrUnchanged => "erased_or_unchanged",
    }
}

fn settings_state_name(state: SettingsState) -> &'static str {
    match state {
        SettingsState::Unchanged => "unchanged",
        SettingsState::Updated => "updated",
        SettingsState::UpdatedOrUnchanged => "updated_or_unchanged",
    }
}

/// The exit status a finished session deserves: 0, 4 (failed, the token state is known) or 5.
pub fn exit_for(report: &Report) -> Exit {
    match report.outcome() {
        Outcome::Success => Exit::Success,
        Outcome::Failed => Exit::Device,
        Outcome::Unknown => Exit::Unknown,
    }
}

/// Everything a script needs to know about a session: outcome, per-step status, what the token
/// holds now, and the summary a person would read.
pub fn report_json(report: &Report) -> Value {
    let steps: Vec<Value> = report
        .steps
        .iter()
        .map(|&(step, status)| {
            let mut entry = json!({
                "step": step_id(step),
                "label": step.label(),
                "status": status_name(status),
            });
            if let StepStatus::Refused(error) = status {
                entry["status_word"] = json!(format!("{:04X}", error.status_word()));
            }
            if let Some(Failure::UnclearStatus {
                step: failed,
                status: sw,
            }) = &report.failure
                && *failed == step
            {
                entry["status_word"] = json!(format!("{sw:04X}"));
            }
            entry
        })
        .collect();
    json!({
        "outcome": outcome_name(report.outcome()),
        "serial": report.info.as_ref().map(|i| i.serial.clone()),
        "model": report.model.map(|m| m.name()),
        "restricted_sync": report.model.map(|m| m.restricted_sync()),
        "steps": steps,
        "seed_state": seed_state_name(report.seed_state()),
        "settings_state": settings_state_name(report.settings_state()),
        "written_clock": report.written_clock,
        "written_clock_utc": report.written_clock.map(|t| clock::iso8601(u64::from(t))),
        "failure": report.failure.as_ref().map(ToString::to_string),
        "summary": report.summary(),
    })
}

/// A stable code for why a session did not succeed.
pub fn failure_code(report: &Report) -> &'static str {
    if report.outcome() == Outcome::Unknown {
        return "outcome_unknown";
    }
    match &report.failure {
        None => "failed",
        Some(Failure::Link { error, .. }) => match error.fault() {
            LinkFault::TokenRemoved => "token_removed",
            LinkFault::TokenMute => "token_mute",
            LinkFault::NoToken => "no_card",
            LinkFault::ReaderGone => "reader_gone",
            LinkFault::NotAToken { .. } => "not_a_token",
            LinkFault::Radio(_) | LinkFault::ReaderProtocol(_) | LinkFault::Reader(_) => {
                "reader_error"
            }
        },
        Some(Failure::Refused { error, .. }) => match error {
            TokenError::AuthRefused | TokenError::AuthFailed { .. } => "auth_refused",
            TokenError::UnknownInstruction | TokenError::UnknownClass => "not_a_token",
            _ => "token_refused",
        },
        Some(Failure::BadReply { .. }) => "bad_reply",
        // Only ever on a write, so the outcome is unknown and the early return above applies.
        Some(Failure::UnclearStatus { .. }) => "outcome_unknown",
        Some(Failure::UnreadableInfo(_)) => "not_a_token",
        Some(Failure::UnknownModel { .. }) => "unknown_model",
        Some(Failure::DifferentToken { .. }) => "different_token",
        Some(Failure::SeedWipeNotAcknowledged { .. }) => "seed_wipe_not_acknowledged",
        Some(Failure::ClockOutOfRange) => "clock_out_of_range",
        Some(Failure::OutOfOrder) => "internal_error",
    }
}
