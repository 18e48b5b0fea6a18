//! A TOTP account the token can take, and the checks that decide it.
//!
//! The checks never coerce: an unsupported value is refused with its reason, because a token
//! showing wrong codes locks its owner out.

use crate::params::{Algorithm, Period};
use crate::secret::Secret;

use super::advice::{MAX_SECRET_BYTES, MIN_SECRET_BYTES, Refusal};
use super::target::Target;

/// Where the secret came from (how it was encoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretSource {
    /// The `secret=` parameter of an `otpauth://` link (Base32).
    Uri,
    /// Pasted or typed Base32 text.
    Base32,
    /// Pasted or typed hex text.
    Hex,
    /// An account of a Google Authenticator export (raw bytes).
    Migration,
}

impl SecretSource {
    /// Stable machine-readable name: `uri`, `base32`, `hex` or `migration`.
    pub fn code(self) -> &'static str {
        match self {
            SecretSource::Uri => "uri",
            SecretSource::Base32 => "base32",
            SecretSource::Hex => "hex",
            SecretSource::Migration => "migration",
        }
    }
}

/// A TOTP account the token it was classified for can take: ready to preview and burn.
///
/// `Debug` is safe to print: the secret shows only its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpAccount {
    /// The service: the `issuer=` parameter when present (authoritative), else the label prefix.
    pub issuer: Option<String>,
    /// The label prefix as written (e.g. the Microsoft 365 tenant "Some Company"), for display
    /// and as the token title; may differ from `issuer`.
    pub label_issuer: Option<String>,
    /// The account part of the label, decoded and trimmed (`""` when there is none).
    pub account: String,
    /// HMAC algorithm (effective value; SHA1 when the input names none).
    pub algorithm: Algorithm,
    /// Code length: the input's, when the target shows it (always 6 for a single-profile token;
    /// 4, 6, 8 or 10 for a Molto2). Anything else is refused, never changed.
    pub digits: u8,
    /// Time step (effective value; 30 s when the input names none).
    pub period: Period,
    /// The seed.
    pub secret: Secret,
    /// How the secret was encoded.
    pub source: SecretSource,
}

impl TotpAccount {
    /// An account with the default settings (SHA1, 6 digits, 30 s) and no names, for a pasted
    /// secret; every target takes them. Fails when the secret length is unusable.
    pub fn from_secret(secret: Secret, source: SecretSource) -> Result<TotpAccount, Refusal> {
        check_secret_length(&secret)?;
        Ok(TotpAccount {
            issuer: None,
            label_issuer: None,
            account: String::new(),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: Period::S30,
            secret,
            source,
        })
    }
}

/// Reads an algorithm name case-insensitively, tolerating `SHA-256` and `HmacSHA256`.
/// Returns the canonical spelling for messages when it is not one the token supports.
pub(crate) fn check_algorithm(name: &str) -> Result<Algorithm, Refusal> {
    let canonical: String = name
        .trim()
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_uppercase();
    let bare = canonical.strip_prefix("HMAC").unwrap_or(&canonical);
    match bare {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        _ => Err(Refusal::algorithm(name)),
    }
}

/// Only code lengths the target shows: 6 on the single-profile tokens (a 6-digit display),
/// 4, 6, 8 or 10 on a Molto2.
pub(crate) fn check_digits(digits: u64, target: Target) -> Result<u8, Refusal> {
    match u8::try_from(digits) {
        Ok(count) if target.shows_digits(digits) => Ok(count),
        _ => Err(Refusal::digits_for(Some(digits), target)),
    }
}

/// Only 30 s and 60 s steps.
pub(crate) fn check_period(seconds: u64) -> Result<Period, Refusal> {
    Period::from_seconds(seconds).ok_or_else(|| Refusal::period(seconds))
}

/// 10..=63 bytes: shorter is almost always a truncated copy, longer does not fit the token.
pub(crate) fn check_secret_length(secret: &Secret) -> Result<(), Refusal> {
    let len = secret.len();
    if len < MIN_SECRET_BYTES {
        Err(Refusal::too_short(len))
    } else if len > MAX_SECRET_BYTES {
        Err(Refusal::too_long(len))
    } else {
        Ok(())
    }
}

/// True for Steam Guard accounts, recognised by their issuer (Steam's own `otpauth` links say
/// `issuer=Steam`).
pub(crate) fn is_steam_issuer(issuer: Option<&str>) -> bool {
    issuer.is_some_and(|i| i.trim().eq_ignore_ascii_case("steam"))
}

/// Splits a label `Issuer:Account` at the first colon into a trimmed, non-empty prefix and the
/// trimmed rest (already decoded; used for Google export names).
pub(crate) fn split_decoded_label(name: &str) -> (Option<String>, String) {
    match name.split_once(':') {
        Some((prefix, account)) => (non_empty(prefix), account.trim().to_string()),
        None => (None, name.trim().to_string()),
    }
}

/// The trimmed text, or `None` when nothing is left.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}
