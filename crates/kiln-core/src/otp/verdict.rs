//! What a code typed from the token says about a burn that happened seconds ago.
//!
//! The clock was written moments before, so a token that took the burn shows the code of this
//! step or, across a step boundary or with a slow reader, the one before or after. A code a few
//! steps away means the seed is right but the clock did not take (or this computer's clock is
//! off); further away is not evidence of anything: the seed is wrong or it is another account.

use crate::params::{Algorithm, Period};
use crate::secret::Secret;

use super::totp::find_step_offset;

/// Up to this many steps off (either way), the token works: ±1 step.
pub const WORKS_WITHIN_STEPS: u32 = 1;
/// Up to this many steps off, the seed is right but the clock is not: ±10 steps (5 minutes at
/// 30 s, 10 at 60 s). Beyond it a match would be chance or another account: a mismatch.
pub const CLOCK_OFF_WITHIN_STEPS: u32 = 10;

/// The verdict on a typed code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    /// The code belongs to the current step or one next to it: the token works.
    Works {
        /// Steps the token is ahead (positive) or behind (negative): −1, 0 or +1.
        offset: i64,
    },
    /// The seed is right but the token's clock is 2–10 steps off: the clock write did not take,
    /// or this computer's clock is wrong. Burn again after checking the computer's clock.
    ClockOff {
        /// Steps the token is ahead (positive) or behind (negative).
        offset: i64,
    },
    /// No step within ±10 produces this code: wrong seed, another account, or a typo.
    Mismatch,
}

impl CodeVerdict {
    /// Stable machine-readable name: `works`, `clock_off` or `mismatch`.
    pub fn code(self) -> &'static str {
        match self {
            CodeVerdict::Works { .. } => "works",
            CodeVerdict::ClockOff { .. } => "clock_off",
            CodeVerdict::Mismatch => "mismatch",
        }
    }

    /// The step offset when the code was found at all.
    pub fn offset(self) -> Option<i64> {
        match self {
            CodeVerdict::Works { offset } | CodeVerdict::ClockOff { offset } => Some(offset),
            CodeVerdict::Mismatch => None,
        }
    }
}

/// Judges a code typed from a freshly burned token. `None` when `typed` is not a code a token
/// can show (see [`typed_code`](super::typed_code)); the caller words that as a format error.
pub fn judge_typed_code(
    secret: &Secret,
    algorithm: Algorithm,
    period: Period,
    unix_time: u64,
    typed: &str,
) -> Option<CodeVerdict> {
    super::typed_code(typed)?;
    let offset = find_step_offset(
        secret,
        algorithm,
        period,
        unix_time,
        typed,
        CLOCK_OFF_WITHIN_STEPS,
    );
    Some(match offset {
        Some(offset) if offset.unsigned_abs() <= u64::from(WORKS_WITHIN_STEPS) => {
            CodeVerdict::Works { offset }
        }
        Some(offset) => CodeVerdict::ClockOff { offset },
        None => CodeVerdict::Mismatch,
    })
}
