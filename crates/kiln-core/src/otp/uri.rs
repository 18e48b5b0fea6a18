//! The tolerant `otpauth://` parser.
//!
//! It follows the Key URI format and the rules of `draft-andesco-otpauth-uri`, and is lenient
//! exactly where real enrollment QR codes deviate (Microsoft 365, Google, GitHub):
//!
//! * scheme, type (`totp`/`TOTP`) and `algorithm` are case-insensitive;
//! * the raw label is split at the first `:` or `%3A` *before* percent-decoding; both parts
//!   are decoded (`+` as a space) and trimmed; a colon left inside the account part is kept
//!   (it only names the account and never affects the seed);
//! * `issuer=` is authoritative; the label prefix is kept for display even when it differs
//!   (the Microsoft 365 tenant vs `issuer=Microsoft`);
//! * the secret may be lower case, padded, grouped with spaces or hyphens, and have non-zero
//!   trailing bits;
//! * unknown parameters (`image=`, `lock=`, …) are ignored; a known parameter given twice is
//!   an error (two `secret=` could disagree);
//! * missing `algorithm`/`digits`/`period` mean SHA1/6/30, reported as effective values;
//! * which `digits` are accepted depends on the [`Target`] token (6, or 4/6/8/10 on a Molto2).
//!
//! Unsupported values are refused, never coerced.

use zeroize::Zeroizing;

use super::account::{
    SecretSource, TotpAccount, check_algorithm, check_digits, check_period, check_secret_length,
    is_steam_issuer, non_empty,
};
use super::advice::Refusal;
use super::base32;
use super::error::InputError;
use super::percent::{Plus, decode_secret, decode_text};
use super::safe_word::{WordKind, safe_word};
use super::target::Target;

/// Parameters this parser reads; any other is ignored.
const KNOWN: [&str; 6] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
];

/// The raw (still percent-encoded) values of the known parameters.
#[derive(Default)]
struct Params<'a> {
    secret: Option<&'a str>,
    issuer: Option<&'a str>,
    algorithm: Option<&'a str>,
    digits: Option<&'a str>,
    period: Option<&'a str>,
}

/// Splits a query string into its known parameters, rejecting duplicates.
fn read_params(query: &str) -> Result<Params<'_>, InputError> {
    let mut params = Params::default();
    let mut seen: Vec<&str> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode_text(raw_key, Plus::Space)
            .trim()
            .to_ascii_lowercase();
        let Some(&known) = KNOWN.iter().find(|k| **k == key) else {
            continue;
        };
        if seen.contains(&known) {
            return Err(InputError::DuplicateParameter {
                name: known.to_string(),
            });
        }
        seen.push(known);
        let slot = match known {
            "secret" => &mut params.secret,
            "issuer" => &mut params.issuer,
            "algorithm" => &mut params.algorithm,
            "digits" => &mut params.digits,
            "period" => &mut params.period,
            _ => continue, // counter: only meaningful for HOTP, which is refused earlier
        };
        // An empty setting says nothing: it means the default, like an absent one. An empty
        // secret stays, to be reported as empty.
        if known == "secret" || !decode_text(value, Plus::Space).trim().is_empty() {
            *slot = Some(value);
        }
    }
    Ok(params)
}

/// Reads a decimal parameter; `None` when absent.
fn number(name: &str, raw: Option<&str>) -> Result<Option<u64>, InputError> {
    let Some(raw) = raw else { return Ok(None) };
    let text = decode_text(raw, Plus::Space);
    let trimmed = text.trim();
    trimmed
        .parse::<u64>()
        .map(Some)
        .map_err(|_| InputError::BadParameter {
            name: name.to_string(),
            value: safe_word(trimmed, WordKind::Value).unwrap_or_default(),
        })
}

/// Splits the raw label at the first `:` or `%3A` (either case), before any decoding.
fn split_raw_label(raw: &str) -> (Option<&str>, &str) {
    let colon = raw.find(':').map(|i| (i, 1));
    let encoded = raw.to_ascii_lowercase().find("%3a").map(|i| (i, 3));
    let first = match (colon, encoded) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match first {
        Some((at, width)) => (raw.get(..at), raw.get(at + width..).unwrap_or_default()),
        None => (None, raw),
    }
}

/// Reads the part of an `otpauth://` link after the scheme (`totp/Label?secret=…`): the
/// account, a refusal (the link reads fine but asks for what the `target` token cannot do), or
/// why it could not be read.
pub(crate) fn parse_otpauth(
    rest: &str,
    target: Target,
) -> Result<Result<TotpAccount, Refusal>, InputError> {
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (otp_type, raw_label) = path.split_once('/').unwrap_or((path, ""));
    match otp_type.trim().to_ascii_lowercase().as_str() {
        "totp" => {}
        "hotp" => return Ok(Err(Refusal::hotp())),
        "steam" => return Ok(Err(Refusal::steam())),
        _ => {
            return Err(InputError::UnknownOtpType {
                otp_type: safe_word(&decode_text(otp_type, Plus::Space), WordKind::Letters)
                    .unwrap_or_default(),
            });
        }
    }
    let params = read_params(query)?;

    let (raw_prefix, raw_account) = split_raw_label(raw_label);
    let label_issuer = raw_prefix.and_then(|p| non_empty(&decode_text(p, Plus::Space)));
    let account = decode_text(raw_account, Plus::Space).trim().to_string();
    let issuer = params
        .issuer
        .and_then(|i| non_empty(&decode_text(i, Plus::Space)))
        .or_else(|| label_issuer.clone());

    if is_steam_issuer(issuer.as_deref()) || is_steam_issuer(label_issuer.as_deref()) {
        return Ok(Err(Refusal::steam()));
    }
    let Some(raw_secret) = params.secret else {
        return Err(InputError::MissingSecret);
    };
    let digits = number("digits", params.digits)?.unwrap_or(6);
    let period = number("period", params.period)?.unwrap_or(30);
    let algorithm = match params.algorithm {
        Some(raw) => check_algorithm(&decode_text(raw, Plus::Space)),
        None => check_algorithm("SHA1"),
    };
    let settings = algorithm.and_then(|algorithm| {
        Ok((
            algorithm,
            check_digits(digits, target)?,
            check_period(period)?,
        ))
    });
    let (algorithm, digits, period) = match settings {
        Ok(settings) => settings,
        Err(refusal) => return Ok(Err(refusal)),
    };

    let secret_text: Zeroizing<String> = decode_secret(raw_secret);
    let secret = base32::decode(&secret_text, 0)?;
    if let Err(refusal) = check_secret_length(&secret) {
        return Ok(Err(refusal));
    }
    Ok(Ok(TotpAccount {
        issuer,
        label_issuer,
        account,
        algorithm,
        digits,
        period,
        secret,
        source: SecretSource::Uri,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_splits_at_the_first_raw_or_encoded_colon() {
        assert_eq!(split_raw_label("A%3ab:c"), (Some("A"), "b:c"));
        assert_eq!(split_raw_label("A:b%3Ac"), (Some("A"), "b%3Ac"));
        assert_eq!(split_raw_label("alice"), (None, "alice"));
        assert_eq!(split_raw_label(""), (None, ""));
    }

    #[test]
    fn any_duplicated_known_parameter_is_an_error() {
        assert_eq!(
            read_params("digits=6&DIGITS=6").err(),
            Some(InputError::DuplicateParameter {
                name: "digits".into()
            })
        );
        assert!(read_params("image=a&image=b&secret=X").is_ok());
    }

    #[test]
    fn empty_settings_mean_the_defaults_but_an_empty_secret_is_kept() {
        let p = read_params("secret=&digits=&period=%20&algorithm=").unwrap();
        assert_eq!(p.secret, Some(""));
        assert_eq!((p.digits, p.period, p.algorithm), (None, None, None));
    }
}
