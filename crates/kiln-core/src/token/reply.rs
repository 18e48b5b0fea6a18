//! What a reply to one step means: success with the expected data, a refusal that left the token
//! as it was, an error status after which a write may have happened, or garbage. The status
//! words themselves are judged in `status.rs`.

use super::report::Step;
use super::status::{
    SW_OK, StatusEffect, TokenError, read_status_refusal, split_status, write_status_effect,
};

pub(super) enum Reply<'a> {
    /// `90 00` with the data this step expects.
    Ok(&'a [u8]),
    /// A refusal the token sends before executing: the command had no effect.
    Refused(TokenError),
    /// An error status after which a write may have happened (see `status::write_status_effect`).
    MayHaveChanged(u16),
    /// Anything else: the effect of a write is unknown.
    Unreadable,
}

/// Sorts a reply into success, a real refusal, a status that leaves a write's effect open, or
/// garbage.
///
/// A refusal must look like one: exactly two bytes, and for a write one of the status words that
/// mean "not executed" (`status.rs` decides which). Treating anything else as "refused, nothing
/// written" could hide a write that happened.
pub(super) fn classify_reply(step: Step, reply: &[u8]) -> Reply<'_> {
    let Some((data, sw)) = split_status(reply) else {
        return Reply::Unreadable;
    };
    if sw == SW_OK {
        let shape_ok = match step {
            Step::ReadInfo => true, // parse_info judges the data
            Step::GetChallenge => data.len() == 8,
            Step::Authenticate | Step::WriteConfig | Step::WriteSeed => data.is_empty(),
        };
        return if shape_ok {
            Reply::Ok(data)
        } else {
            Reply::Unreadable
        };
    }
    if !data.is_empty() {
        return Reply::Unreadable;
    }
    if step.is_write() {
        return match write_status_effect(sw) {
            StatusEffect::Refused(error) => Reply::Refused(error),
            StatusEffect::MayHaveChanged(status) => Reply::MayHaveChanged(status),
        };
    }
    match read_status_refusal(sw) {
        Some(error) => Reply::Refused(error),
        None => Reply::Unreadable,
    }
}
