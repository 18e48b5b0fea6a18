//! Why a piece of input could not be read at all, in words a non-expert can act on.
//!
//! These are *reading* failures (typos, damaged QR codes, truncated copies). Input that reads
//! fine but asks for something the token cannot do is a [`super::Refusal`] instead.

use core::fmt;

use super::migration_error::MigrationError;
use super::safe_word::{WordKind, safe_word};

/// Input that could not be read. `Display` says what is wrong and what to do next.
///
/// No variant carries secret material: positions, single invalid characters, and short words
/// that pass `safe_word` (a type, a setting value) only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Nothing was scanned or pasted.
    Empty,
    /// A Base32 secret contains a character outside A–Z and 2–7, or `=` before the end.
    /// `position` counts characters from 1, in the secret as written.
    BadBase32Character {
        /// 1-based character position in the secret text.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// A hex secret contains a character outside 0–9 and A–F.
    BadHexCharacter {
        /// 1-based character position in the text.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// A hex secret has an odd number of digits (each byte needs two).
    OddHexLength {
        /// How many hex digits were found.
        digits: usize,
    },
    /// The text could be read as Base32 *and* as hex, which give different secrets.
    AmbiguousSecret,
    /// A secret was given but holds no characters (`secret=`, `hex:` alone).
    EmptySecret,
    /// An `otpauth://` link without a `secret=` parameter.
    MissingSecret,
    /// A parameter appears twice (for `secret`, the two copies could disagree).
    DuplicateParameter {
        /// The parameter name, lower case.
        name: String,
    },
    /// A parameter value that is not a number where a number is needed.
    BadParameter {
        /// The parameter name, lower case (one of the parameters the parser knows).
        name: String,
        /// The value as written when it is a short word (`six`), else empty: anything longer
        /// could be a secret pasted into the wrong place, and is never echoed.
        value: String,
    },
    /// `otpauth://<type>/` with a type other than `totp`, `hotp` or `steam`.
    UnknownOtpType {
        /// The type as written when it is a short word of letters (`yaotp`), else empty.
        otp_type: String,
    },
    /// An `otpauth-migration://` link without its `data=` parameter.
    MissingMigrationData,
    /// The Google Authenticator export data is damaged.
    BadMigrationPayload(MigrationError),
}

impl InputError {
    /// A stable machine-readable name for the error (for `--json` output and tests).
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Empty => "empty",
            InputError::BadBase32Character { .. } => "bad_base32_character",
            InputError::BadHexCharacter { .. } => "bad_hex_character",
            InputError::OddHexLength { .. } => "odd_hex_length",
            InputError::AmbiguousSecret => "ambiguous_secret",
            InputError::EmptySecret => "empty_secret",
            InputError::MissingSecret => "missing_secret",
            InputError::DuplicateParameter { .. } => "duplicate_parameter",
            InputError::BadParameter { .. } => "bad_parameter",
            InputError::UnknownOtpType { .. } => "unknown_otp_type",
            InputError::MissingMigrationData => "missing_migration_data",
            InputError::BadMigrationPayload(_) => "bad_migration_payload",
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => f.write_str(
                "Nothing to read. Scan the QR code the website shows for an authenticator app, \
                 or paste its secret key.",
            ),
            InputError::BadBase32Character {
                position,
                character: '=',
            } => write!(
                f,
                "The secret has an '=' at character {position}, but '=' may only appear at the \
                 end. Check that you copied the secret exactly, or scan the QR code again."
            ),
            InputError::BadBase32Character {
                position,
                character,
            } => {
                write!(
                    f,
                    "The secret has a character that is not allowed: {character:?} at character \
                     {position}. Secret keys use only the letters A–Z and the digits 2–7."
                )?;
                let hint = match character {
                    '0' => " A 0 is probably the letter O.",
                    '1' => " A 1 is probably the letter I or L.",
                    '8' => " An 8 is probably the letter B.",
                    '9' => " A 9 is probably the letter g or q.",
                    _ => "",
                };
                write!(
                    f,
                    "{hint} Check the secret against the website, or scan the QR code instead."
                )
            }
            InputError::BadHexCharacter {
                position,
                character,
            } => write!(
                f,
                "The hex secret has a character that is not allowed: {character:?} at character \
                 {position}. Hex secrets use only 0–9 and A–F. Check that you copied it exactly."
            ),
            InputError::OddHexLength { digits } => write!(
                f,
                "This looks like a hex secret, but it has {digits} digits and a hex secret always \
                 has an even number (two per byte). A digit is probably missing: copy the whole \
                 secret again."
            ),
            InputError::AmbiguousSecret => f.write_str(
                "This secret can be read two ways, as Base32 or as hex, and the two give \
                 different keys. Type base32: in front of it if the website calls it a \
                 \"secret key\" or \"Base32\", or hex: if it calls it \"hex\".",
            ),
            InputError::EmptySecret => f.write_str(
                "The secret is empty. Copy the whole secret from the website, or scan its QR \
                 code again.",
            ),
            InputError::MissingSecret => f.write_str(
                "This otpauth link has no secret in it, so there is nothing to put on the token. \
                 Scan the QR code again, or ask the website for the secret key.",
            ),
            InputError::DuplicateParameter { name } if name == "secret" => f.write_str(
                "This otpauth link contains two secrets, so it is unclear which one the website \
                 expects. Scan the QR code again; if it still fails, ask the website for the \
                 secret key and paste it.",
            ),
            InputError::DuplicateParameter { name } if name == "data" => f.write_str(
                "This Google Authenticator export link contains its account data twice, so it \
                 is unclear which copy to use. Scan the QR code again, or export the accounts \
                 again in Google Authenticator.",
            ),
            InputError::DuplicateParameter { name } => write!(
                f,
                "This link sets '{name}' twice, so it is unclear which value applies. Scan the QR \
                 code again; if it still fails, the website's QR code is faulty."
            ),
            InputError::BadParameter { name, value } => {
                match safe_word(value, WordKind::Value) {
                    Some(value) => write!(
                        f,
                        "This otpauth link has '{name}={value}', which is not a number."
                    )?,
                    None => write!(f, "This otpauth link's '{name}' is not a number.")?,
                }
                f.write_str(
                    " Scan the QR code again; if it still fails, the website's QR code is faulty.",
                )
            }
            InputError::UnknownOtpType { otp_type } => {
                match safe_word(otp_type, WordKind::Letters) {
                    Some(word) => write!(f, "This is an otpauth link of type \"{word}\"")?,
                    None => f.write_str("This is an otpauth link of an unknown type")?,
                }
                f.write_str(
                    ", not a time-based code (TOTP). The token can only make time-based codes; \
                     ask the website for an authenticator-app (TOTP) setup instead.",
                )
            }
            InputError::MissingMigrationData => f.write_str(
                "This Google Authenticator export link has no account data in it. Export the \
                 accounts again in Google Authenticator and scan the new QR code.",
            ),
            InputError::BadMigrationPayload(reason) => write!(
                f,
                "This Google Authenticator export could not be read ({reason}). Scan the QR code \
                 again, or export the accounts again in Google Authenticator."
            ),
        }
    }
}

impl core::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_never_repeat_a_long_value() {
        let secretish = "GEZDGNBVGY3TQOJQ";
        let messages = [
            InputError::UnknownOtpType {
                otp_type: secretish.into(),
            }
            .to_string(),
            InputError::BadParameter {
                name: "digits".into(),
                value: secretish.into(),
            }
            .to_string(),
        ];
        for message in messages {
            assert!(!message.contains("GEZD"), "{message}");
        }
        assert!(
            InputError::UnknownOtpType {
                otp_type: "yaotp".into()
            }
            .to_string()
            .contains("\"yaotp\"")
        );
    }
}
