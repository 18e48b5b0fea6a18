//! What a Molto2 reply to one step means. The status words of §2.6 that are Molto2's own
//! (`63 NN`, `90 60`, `6A 83` to DELETE SEED) are judged here; the others as for the
//! single-profile token (`token::status`): for a write only the words that mean "checked and
//! refused before executing" count as "nothing written".

use super::step::Step;
use crate::token::TokenError;
use crate::token::status::{
    SW_OK, StatusEffect, read_status_refusal, split_status, write_status_effect,
};

/// `90 60`: accepted, waiting for the ▲ button.
pub const SW_AWAITING_BUTTON: u16 = 0x9060;
/// `6A 83`: referenced data not found (DELETE SEED on an empty profile).
pub const SW_NOT_FOUND: u16 = 0x6A83;

pub(super) enum Reply<'a> {
    /// `90 00` with data of the expected shape (GET INFO and READ PROFILE are parsed later).
    Ok(&'a [u8]),
    /// `90 60` to a command committed by the ▲ button.
    AwaitingButton,
    /// `6A 83` to DELETE SEED.
    AlreadyEmpty,
    /// `63 NN` to ANSWER CHALLENGE.
    WrongKey(u8),
    /// Refused before executing.
    Refused(TokenError),
    /// A write answered with a status that leaves its effect open.
    MayHaveChanged(u16),
    /// Anything else.
    Unreadable,
}

/// Attempts left in a `63 NN` reply. ISO 7816-4 writes the counter as `63 Cx`; the Molto2
/// tools read the whole byte. Both are honoured: `C0`–`CF` give the low nibble, anything else
/// the byte.
pub fn attempts_left(sw2: u8) -> u8 {
    if sw2 & 0xF0 == 0xC0 { sw2 & 0x0F } else { sw2 }
}

pub(super) fn classify(step: Step, reply: &[u8]) -> Reply<'_> {
    let Some((data, sw)) = split_status(reply) else {
        return Reply::Unreadable;
    };
    if sw == SW_OK {
        let shape_ok = match step {
            Step::ReadInfo | Step::ReadProfile(_) => true,
            Step::GetChallenge => data.len() == 8,
            _ => data.is_empty(),
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
    match (step, sw) {
        (step, SW_AWAITING_BUTTON) if step.needs_button() => return Reply::AwaitingButton,
        (Step::DeleteSeed(_), SW_NOT_FOUND) => return Reply::AlreadyEmpty,
        (Step::Authenticate, sw) if sw >> 8 == 0x63 => {
            return Reply::WrongKey(attempts_left(sw as u8));
        }
        _ => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::molto2::ProfileNumber;

    #[test]
    fn molto2_status_words_mean_what_the_spec_says() {
        let p = ProfileNumber::new(3).unwrap();
        assert!(matches!(
            classify(Step::FactoryReset, &[0x90, 0x60]),
            Reply::AwaitingButton
        ));
        assert!(matches!(
            classify(Step::ChangeKey, &[0x90, 0x60]),
            Reply::AwaitingButton
        ));
        // 90 60 anywhere else is not a documented answer: a write's effect is then unknown.
        assert!(matches!(
            classify(Step::WriteSeed(p), &[0x90, 0x60]),
            Reply::MayHaveChanged(0x9060)
        ));
        assert!(matches!(
            classify(Step::DeleteSeed(p), &[0x6A, 0x83]),
            Reply::AlreadyEmpty
        ));
        assert!(matches!(
            classify(Step::WriteSeed(p), &[0x6A, 0x83]),
            Reply::MayHaveChanged(0x6A83)
        ));
        assert!(matches!(
            classify(Step::Authenticate, &[0x63, 0x04]),
            Reply::WrongKey(4)
        ));
        assert!(matches!(
            classify(Step::Authenticate, &[0x63, 0xC2]),
            Reply::WrongKey(2)
        ));
        assert!(matches!(
            classify(Step::GetChallenge, &[1, 2, 0x90, 0x00]),
            Reply::Unreadable
        ));
        assert!(matches!(
            classify(Step::ReadInfo, &[0x90]),
            Reply::Unreadable
        ));
    }
}
