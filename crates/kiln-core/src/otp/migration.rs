//! Google Authenticator exports: `otpauth-migration://offline?data=…`.
//!
//! `data` is Base64 (standard or URL-safe, percent-encoded; a `+` is a Base64 digit, never a
//! space) of this protobuf (Aegis's `google_auth.proto`):
//!
//! ```text
//! MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//!                    int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
//! OtpParameters    { bytes secret = 1; string name = 2; string issuer = 3;
//!                    Algorithm algorithm = 4;  // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!                    DigitCount digits = 5;    // 0 unspecified, 1 six, 2 eight
//!                    OtpType type = 6;         // 0 unspecified, 1 HOTP, 2 TOTP
//!                    int64 counter = 7; }
//! ```
//!
//! Exports have no period field: they are always 30 s. Unspecified values mean the defaults.
//! An account the token cannot take is listed with its reason instead of failing the batch (a
//! silently dropped account is a lost login).

use super::account::{
    SecretSource, TotpAccount, check_algorithm, check_digits, check_secret_length, is_steam_issuer,
    non_empty, split_decoded_label,
};
use super::advice::Refusal;
use super::base64;
use super::error::InputError;
use super::export::{Batch, MigrationAccount, MigrationExport};
use super::migration_error::MigrationError;
use super::percent::{Plus, decode_bytes, decode_text};
use super::protobuf::{Reader, Value};
use super::target::Target;
use crate::params::Period;
use crate::secret::Secret;

/// Reads the part of an `otpauth-migration://` link after the scheme: the accounts of its
/// `data=`, each judged for `target`, or why it could not be read.
pub(crate) fn parse_migration_link(
    rest: &str,
    target: Target,
) -> Result<MigrationExport, InputError> {
    let query = rest.split_once('?').map_or("", |(_, q)| q);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let mut data = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if decode_text(key, Plus::Space)
            .trim()
            .eq_ignore_ascii_case("data")
        {
            if data.is_some() {
                return Err(InputError::DuplicateParameter {
                    name: "data".to_string(),
                });
            }
            data = Some(value);
        }
    }
    let data = data.ok_or(InputError::MissingMigrationData)?;
    let text = decode_bytes(data, Plus::Keep);
    if text.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::MissingMigrationData);
    }
    let payload = base64::decode(&text).map_err(InputError::BadMigrationPayload)?;
    decode_payload_for(&payload, target).map_err(InputError::BadMigrationPayload)
}

/// Decodes the protobuf `MigrationPayload` (the bytes behind `data=`), judging each account
/// for a single-profile token.
pub fn decode_payload(payload: &[u8]) -> Result<MigrationExport, MigrationError> {
    decode_payload_for(payload, Target::SingleProfile)
}

/// Decodes the protobuf `MigrationPayload`, judging each account for `target` (Google exports
/// carry 6 or 8 digits: 8 is burnable on a Molto2 only).
pub fn decode_payload_for(
    payload: &[u8],
    target: Target,
) -> Result<MigrationExport, MigrationError> {
    let mut reader = Reader::new(payload);
    let mut accounts = Vec::new();
    let mut batch_size: i64 = 0;
    let mut batch_index: i64 = 0;
    while let Some((field, value)) = reader.next_field()? {
        match (field, value) {
            (1, Value::Bytes(message)) => {
                let index = accounts.len() + 1;
                accounts.push(decode_account(index, message, target)?);
            }
            (3, Value::Varint(v)) => batch_size = int32(v),
            (4, Value::Varint(v)) => batch_index = int32(v),
            (1 | 3 | 4, _) => return Err(MigrationError::BadField),
            _ => {} // version, batch_id, future fields
        }
    }
    if accounts.is_empty() {
        return Err(MigrationError::NoAccounts);
    }
    let batch = match (usize::try_from(batch_index), usize::try_from(batch_size)) {
        (Ok(index), Ok(size)) if size > 1 && index < size => Some(Batch {
            index: index + 1,
            size,
        }),
        _ => None,
    };
    Ok(MigrationExport { accounts, batch })
}

/// An `int32` field: negative values are sign-extended to 10 bytes on the wire.
fn int32(v: u64) -> i64 {
    i64::from(v as i32)
}

/// The raw fields of one `OtpParameters`.
#[derive(Default)]
struct RawAccount {
    secret: Secret,
    name: String,
    issuer: String,
    algorithm: u64,
    digits: u64,
    otp_type: u64,
}

fn decode_account(
    index: usize,
    message: &[u8],
    target: Target,
) -> Result<MigrationAccount, MigrationError> {
    let mut raw = RawAccount::default();
    let mut reader = Reader::new(message);
    while let Some((field, value)) = reader.next_field()? {
        match (field, value) {
            (1, Value::Bytes(b)) => raw.secret = Secret::from_slice(b),
            (2, Value::Bytes(b)) => raw.name = String::from_utf8_lossy(b).into_owned(),
            (3, Value::Bytes(b)) => raw.issuer = String::from_utf8_lossy(b).into_owned(),
            (4, Value::Varint(v)) => raw.algorithm = v,
            (5, Value::Varint(v)) => raw.digits = v,
            (6, Value::Varint(v)) => raw.otp_type = v,
            (1..=6, _) => return Err(MigrationError::BadField),
            _ => {} // counter, future fields
        }
    }
    Ok(account_from_raw(index, raw, target))
}

fn account_from_raw(index: usize, raw: RawAccount, target: Target) -> MigrationAccount {
    let algorithm = match raw.algorithm {
        0 | 1 => "SHA1".to_string(),
        2 => "SHA256".to_string(),
        3 => "SHA512".to_string(),
        4 => "MD5".to_string(),
        n => format!("UNKNOWN({n})"),
    };
    let digits: u8 = match raw.digits {
        0 | 1 => 6,
        2 => 8,
        _ => 0,
    };
    let (label_issuer, account) = split_decoded_label(&raw.name);
    let issuer = non_empty(&raw.issuer).or_else(|| label_issuer.clone());
    let supported = check_account(&raw, label_issuer.as_deref(), &algorithm, digits, target)
        .and_then(|checked| check_secret_length(&raw.secret).map(|()| checked))
        .map(|(algorithm, digits)| TotpAccount {
            issuer: issuer.clone(),
            label_issuer,
            account: account.clone(),
            algorithm,
            digits,
            period: Period::S30,
            secret: raw.secret,
            source: SecretSource::Migration,
        });
    MigrationAccount {
        index,
        issuer: issuer.unwrap_or_default(),
        account,
        algorithm,
        digits,
        period: 30,
        supported,
    }
}

/// Type, Steam, algorithm and digits (for `target`), in that order (the most fundamental
/// reason first); the algorithm and code length to burn. `label_issuer` is the prefix of the
/// account's name, which can say Steam too.
fn check_account(
    raw: &RawAccount,
    label_issuer: Option<&str>,
    algorithm: &str,
    digits: u8,
    target: Target,
) -> Result<(crate::params::Algorithm, u8), Refusal> {
    match raw.otp_type {
        0 | 2 => {}
        1 => return Err(Refusal::hotp()),
        n => return Err(Refusal::other_type(&format!("type {n}"))),
    }
    if is_steam_issuer(Some(&raw.issuer)) || is_steam_issuer(label_issuer) {
        return Err(Refusal::steam());
    }
    let algorithm = check_algorithm(algorithm)?;
    if digits == 0 {
        return Err(Refusal::digits_for(None, target));
    }
    Ok((algorithm, check_digits(u64::from(digits), target)?))
}
