//! The optional quick check after a burn: the operator types the code the token shows, judged
//! with the wizard's verify logic (kiln-core), and the row is marked checked.

use kiln_core::fleet::{AttemptId, CodeCheck};
use kiln_core::otp::{CodeVerdict, judge_typed_code};

use leptos::prelude::*;

use super::BatchState;

/// What the check found, for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckResult {
    /// The code is the token's: row checked.
    Matched,
    /// It is not; the row is marked mismatched. The sentence says what to do.
    Mismatched(String),
    /// What was typed is not a code (nothing recorded).
    NotACode,
}

/// Judges `typed` for attempt `id` at `unix_time` and records the result in the ledger.
pub fn check_code(batch: BatchState, id: AttemptId, typed: &str, unix_time: u64) -> CheckResult {
    let verdict = batch.ledger.with_value(|ledger| {
        let attempt = ledger.as_ref()?.attempt(id)?;
        judge_typed_code(
            &attempt.secret,
            attempt.settings.algorithm,
            attempt.settings.period,
            unix_time,
            typed,
        )
    });
    let (check, result) = match verdict {
        None => return CheckResult::NotACode,
        Some(CodeVerdict::Works { .. }) => (CodeCheck::Matched, CheckResult::Matched),
        Some(CodeVerdict::ClockOff { .. }) => (
            CodeCheck::Mismatched,
            CheckResult::Mismatched(
                "The seed is right but the token's clock did not take. Check this computer's \
                 clock and burn the token again."
                    .into(),
            ),
        ),
        Some(CodeVerdict::Mismatch) => (
            CodeCheck::Mismatched,
            CheckResult::Mismatched(
                "This is not the code of the seed Kiln burned. Check that the right token is in \
                 your hand (its serial is on the back), switch it off and on, and type the new \
                 code; if it still differs, burn it again."
                    .into(),
            ),
        ),
    };
    batch.ledger.update_value(|ledger| {
        if let Some(ledger) = ledger {
            let _ = ledger.set_check(id, check);
        }
    });
    batch.refresh();
    result
}
