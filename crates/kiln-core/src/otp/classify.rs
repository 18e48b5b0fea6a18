//! One classifier over anything scanned or pasted.
//!
//! The order matters: recognised schemes first (`otpauth-migration:`, `otpauth:`,
//! `phonefactor:`, `FIDO:`, the Microsoft consumer link, other one-time-password links —
//! `motp:` or any link with `secret=` — then any other link), then plain numbers (one-time
//! codes, phone numbers, the token's own serial barcode: exactly 13 digits with a known
//! prefix), then secret text. Plain
//! numbers of fewer than 20 digits are never read as secrets: a 6-digit code read as hex would
//! be reported as a truncated secret, which is the wrong advice.

use super::account::TotpAccount;
use super::advice::{NotASecret, NotASecretKind};
use super::classification::Classification;
use super::error::InputError;
use super::migration::parse_migration_link;
use super::secret_text::{
    SecretEncoding, decode_secret_as, decode_secret_text, is_secret_shaped, strip_marker,
};
use super::target::Target;
use super::uri::parse_otpauth;
use crate::token::model::Model;

/// Numbers with at least this many digits are read as hex secrets (10 bytes, the minimum).
const HEX_NUMBER_DIGITS: usize = 20;

/// Classifies any scanned or pasted text for a single-profile token (6-digit codes only).
/// Surrounding whitespace is ignored.
pub fn classify(text: &str) -> Classification {
    classify_for(text, Target::SingleProfile)
}

/// Classifies any scanned or pasted text for the `target` token: the same rules as
/// [`classify`], except which code lengths are burnable (see [`Target`]), for a link and for
/// each account of an export. Surrounding whitespace is ignored.
pub fn classify_for(text: &str, target: Target) -> Classification {
    let text = text.trim();
    if text.is_empty() {
        return Classification::Invalid(InputError::Empty);
    }
    if let Some(rest) = strip_scheme(text, "otpauth-migration") {
        return match parse_migration_link(rest, target) {
            Ok(export) => Classification::Migration(export),
            Err(error) => Classification::Invalid(error),
        };
    }
    if let Some(rest) = strip_scheme(text, "otpauth") {
        return Classification::from_read(parse_otpauth(rest, target));
    }
    if let Some(what) = non_secret_link(text) {
        return Classification::NotASecret(NotASecret::new(what));
    }
    if strip_marker(text).is_some() {
        return secret_text(text);
    }
    if let Some(digits) = plain_number(text)
        && digits.len() < HEX_NUMBER_DIGITS
    {
        return Classification::NotASecret(match Model::from_barcode(&digits) {
            Some(model) => NotASecret::serial_barcode(model),
            None => NotASecret::new(NotASecretKind::Number),
        });
    }
    if is_secret_shaped(text) {
        return secret_text(text);
    }
    Classification::NotASecret(NotASecret::new(NotASecretKind::Text))
}

/// Classifies a secret whose encoding the caller already knows (the CLI's `--secret` and
/// `--hex`): the same checks and results as [`classify`] on the text with a `base32:` or `hex:`
/// marker in front, without writing one in. The text may start with its encoding's own marker;
/// error positions count characters of the trimmed `text`. A bare secret names no code length:
/// it gets the default 6 digits, which every [`Target`] takes, so there is no target here.
pub fn classify_secret(text: &str, encoding: SecretEncoding) -> Classification {
    Classification::from_read(
        decode_secret_as(text.trim(), encoding)
            .map(|secret| TotpAccount::from_secret(secret, encoding.source())),
    )
}

fn secret_text(text: &str) -> Classification {
    Classification::from_read(
        decode_secret_text(text).map(|(secret, source)| TotpAccount::from_secret(secret, source)),
    )
}

/// The text after `scheme:` (and an optional `//`), matching the scheme case-insensitively.
fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    let head = text.get(..scheme.len())?;
    let rest = text.get(scheme.len()..)?.strip_prefix(':')?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| rest.strip_prefix("//").unwrap_or(rest))
}

/// True when `text` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Links and QR payloads that are recognisably not secrets.
fn non_secret_link(text: &str) -> Option<NotASecretKind> {
    if strip_scheme(text, "phonefactor").is_some() {
        return Some(NotASecretKind::PhoneFactor);
    }
    if strip_scheme(text, "fido").is_some() {
        return Some(NotASecretKind::Fido);
    }
    let msa = ["https://", "http://"].iter().any(|scheme| {
        text.get(scheme.len()..).is_some_and(|rest| {
            starts_with_ignore_case(text, scheme)
                && starts_with_ignore_case(rest, "login.microsoftonline.com/authenticatorapp/")
        })
    });
    if msa {
        return Some(NotASecretKind::MsaLink);
    }
    let link = has_url_scheme(text) || starts_with_ignore_case(text, "www.");
    if strip_scheme(text, "motp").is_some() || (link && has_secret_parameter(text)) {
        return Some(NotASecretKind::OtherOtpLink);
    }
    if link {
        return Some(NotASecretKind::Url);
    }
    None
}

/// True when the link's query has a `secret=` parameter (any case): the mark of another
/// one-time-password system's enrollment link (mOTP and friends), not of a web page.
fn has_secret_parameter(link: &str) -> bool {
    let Some((_, query)) = link.split_once('?') else {
        return false;
    };
    let query = query.split_once('#').map_or(query, |(before, _)| before);
    query.split('&').any(|pair| {
        let key = pair.split_once('=').map_or(pair, |(key, _)| key);
        key.trim().eq_ignore_ascii_case("secret")
    })
}

/// `scheme://…` with an RFC 3986 scheme name.
fn has_url_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The digits of a plain number (separators `space - . ( ) /` and a leading `+` allowed).
fn plain_number(text: &str) -> Option<String> {
    let body = text.strip_prefix('+').unwrap_or(text);
    let mut digits = String::new();
    for c in body.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '/')) {
            return None;
        }
    }
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_match_case_insensitively_with_or_without_slashes() {
        assert_eq!(strip_scheme("OTPAUTH://totp/x", "otpauth"), Some("totp/x"));
        assert_eq!(strip_scheme("otpauth:totp/x", "otpauth"), Some("totp/x"));
        assert_eq!(strip_scheme("otpauthx://", "otpauth"), None);
        assert_eq!(strip_scheme("otp", "otpauth"), None);
    }

    #[test]
    fn only_scheme_urls_and_www_count_as_links() {
        assert!(has_url_scheme("ftp://x"));
        assert!(!has_url_scheme("1ftp://x"));
        assert!(!has_url_scheme("hex:abcd"));
    }

    #[test]
    fn a_secret_parameter_marks_another_otp_system() {
        assert!(has_secret_parameter("https://x/a?user=b&Secret=c"));
        assert!(has_secret_parameter("yubi://x?secret"));
        assert!(!has_secret_parameter("https://x/a?secrets=c"));
        assert!(!has_secret_parameter("https://x/secret=c"));
        assert!(!has_secret_parameter("https://x/a?b=c#secret=d"));
    }

    #[test]
    fn numbers_allow_common_separators() {
        assert_eq!(
            plain_number("+41 (22) 555-12.34").as_deref(),
            Some("41225551234")
        );
        assert_eq!(plain_number("123 456").as_deref(), Some("123456"));
        assert_eq!(plain_number("12a"), None);
        assert_eq!(plain_number("--"), None);
    }
}
