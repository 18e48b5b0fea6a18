//! TOTP codes for the preview and verify steps (RFC 6238), computed by `totp-rs`.
//!
//! The time is always passed in: kiln-core reads no clock (there is no `SystemTime` on wasm32,
//! and tests need fixed times). Codes are always 6 digits, the only length the token shows.

use crate::params::{Algorithm, Period};
use crate::secret::Secret;

/// Digits per code on every single-profile token.
const DIGITS: u8 = 6;

/// The largest verify window searched, in steps each way (a week of 30 s steps would be
/// 20 160; this bounds the work a caller can ask for).
pub const MAX_WINDOW: u32 = 10_000;

/// Codes around a moment, for the preview: what the token shows now, and just before/after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Code of the previous step.
    pub previous: String,
    /// Code of the current step.
    pub current: String,
    /// Code of the next step.
    pub next: String,
    /// Seconds until the current code changes (1..=period).
    pub seconds_left: u64,
}

/// A generator for one secret and setting. `totp_rs::Totp` wipes its copy of the secret on
/// drop (its `zeroize` feature). `build_noncompliant` because totp-rs's compliance check wants
/// 128-bit secrets and the common 80-bit ones (Google, Microsoft 365) must work.
fn generator(secret: &Secret, algorithm: Algorithm, period: Period) -> totp_rs::Totp {
    let algorithm = match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
    };
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(DIGITS)
        .with_step_duration(period.seconds())
        .with_secret(totp_rs::Secret::from(secret.expose()))
        .build_noncompliant()
}

/// The 6-digit code for `unix_time` (seconds since 1970, UTC).
pub fn code_at(secret: &Secret, algorithm: Algorithm, period: Period, unix_time: u64) -> String {
    generator(secret, algorithm, period)
        .generate(unix_time)
        .to_string()
}

/// Previous, current and next code at `unix_time`, and the seconds left in the current step.
/// Before the first full step (only in tests), "previous" repeats the first step's code.
pub fn preview(secret: &Secret, algorithm: Algorithm, period: Period, unix_time: u64) -> Preview {
    let totp = generator(secret, algorithm, period);
    let step = period.seconds();
    Preview {
        previous: totp.generate(unix_time.saturating_sub(step)).to_string(),
        current: totp.generate(unix_time).to_string(),
        next: totp.generate(unix_time.saturating_add(step)).to_string(),
        seconds_left: step - unix_time % step,
    }
}

/// A code as a person typed it, if it is one a token can show: six digits, spaces ignored.
/// [`find_step_offset`] accepts exactly these; a caller can use it to word a format error.
pub fn typed_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == usize::from(DIGITS) && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// For the verify step: which step offset (… −1, 0, +1 …) within ±`window` steps of
/// `unix_time` produces `typed`. Spaces in `typed` are ignored; anything but 6 digits matches
/// nothing. The offset closest to 0 wins (0, −1, +1, −2, …). `window` is capped at
/// [`MAX_WINDOW`].
pub fn find_step_offset(
    secret: &Secret,
    algorithm: Algorithm,
    period: Period,
    unix_time: u64,
    typed: &str,
    window: u32,
) -> Option<i64> {
    let typed = typed_code(typed)?;
    let totp = generator(secret, algorithm, period);
    let step = i128::from(period.seconds());
    let now = i128::from(unix_time);
    let window = i64::from(window.min(MAX_WINDOW));
    let candidates = core::iter::once(0).chain((1..=window).flat_map(|n| [-n, n]));
    for offset in candidates {
        let Ok(time) = u64::try_from(now + i128::from(offset) * step) else {
            continue;
        };
        if totp.generate(time).to_string() == typed {
            return Some(offset);
        }
    }
    None
}
