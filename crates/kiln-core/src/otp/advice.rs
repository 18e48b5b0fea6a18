//! What to tell the user when the input is not a secret, or is a secret the token cannot use.
//!
//! Most support trouble with programmable tokens is the wrong QR code, so every message says
//! what the input *is* and what to do instead, in full sentences.

use super::safe_word::{WordKind, safe_word};
use super::target::Target;
use crate::token::model::Model;

/// What a scanned or pasted text is, when it is not a TOTP secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotASecretKind {
    /// Microsoft Authenticator's push-notification QR (`phonefactor://…`).
    PhoneFactor,
    /// Microsoft's consumer-account QR (`https://login.microsoftonline.com/authenticatorApp/…`).
    MsaLink,
    /// A passkey QR (`FIDO:/…`).
    Fido,
    /// The token's own serial-number barcode.
    SerialBarcode,
    /// A link of another one-time-password system (`motp://`, or any link with a `secret=`
    /// parameter that is not `otpauth://`): a secret, but not one Kiln can burn.
    OtherOtpLink,
    /// Any other link.
    Url,
    /// A plain number: a one-time code, a phone number, an unknown serial.
    Number,
    /// Any other text.
    Text,
}

impl NotASecretKind {
    /// Stable machine-readable name (the CLI's `--json` vocabulary).
    pub fn code(self) -> &'static str {
        match self {
            NotASecretKind::PhoneFactor => "phonefactor",
            NotASecretKind::MsaLink => "msa_link",
            NotASecretKind::Fido => "fido",
            NotASecretKind::SerialBarcode => "serial_barcode",
            NotASecretKind::OtherOtpLink => "other_otp_link",
            NotASecretKind::Url => "url",
            NotASecretKind::Number => "number",
            NotASecretKind::Text => "text",
        }
    }
}

/// Input that is not a TOTP secret, with what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotASecret {
    /// What the input is.
    pub what: NotASecretKind,
    /// Plain-language advice: what the input is and what to scan or paste instead.
    pub advice: String,
}

const SCAN_THE_RIGHT_QR: &str = "On the website, set up an authenticator app (it may be called \
    \"authenticator app\", \"TOTP\" or \"verification code app\") and scan the QR code it shows, \
    or paste its secret key.";

impl NotASecret {
    /// A non-secret of the given kind with its standard advice. For serial barcodes prefer
    /// [`NotASecret::serial_barcode`], which names the model.
    pub fn new(what: NotASecretKind) -> NotASecret {
        let advice = match what {
            NotASecretKind::PhoneFactor => {
                "This QR code is for Microsoft Authenticator's push notifications, not a secret \
                 a hardware token can use. On the Microsoft page, choose \"I want to use a \
                 different authenticator app\" (on older pages: \"Configure app without \
                 notifications\"), then scan the new QR code it shows."
                    .to_string()
            }
            NotASecretKind::MsaLink => {
                "This QR code links a personal Microsoft account to the Microsoft Authenticator \
                 app; it holds no secret a hardware token can use. In your Microsoft account's \
                 security settings, choose to set up a different authenticator app, then scan \
                 the QR code it shows."
                    .to_string()
            }
            NotASecretKind::Fido => format!(
                "This is a passkey QR code: the website wants to sign you in with a passkey on \
                 a phone. A code-generating token cannot use it. {SCAN_THE_RIGHT_QR}"
            ),
            NotASecretKind::SerialBarcode => format!(
                "This is the serial-number barcode printed on the token itself, not an account \
                 secret. {SCAN_THE_RIGHT_QR}"
            ),
            NotASecretKind::OtherOtpLink => format!(
                "This is a link for a different kind of one-time password than the \
                 authenticator-app codes (TOTP) a Token2 token makes, so Kiln cannot burn it. \
                 {SCAN_THE_RIGHT_QR}"
            ),
            NotASecretKind::Url => format!(
                "This is a web link, not a secret. If it comes from the website's security \
                 settings, open it in a browser and look for the authenticator-app setup. \
                 {SCAN_THE_RIGHT_QR}"
            ),
            NotASecretKind::Number => format!(
                "This is just a number (for example a one-time code, a phone number or a serial \
                 number), not a secret. {SCAN_THE_RIGHT_QR} If it really is a hex secret, type \
                 hex: in front of it."
            ),
            NotASecretKind::Text => format!(
                "This text is not a secret. A secret key is a run of letters A–Z and digits 2–7 \
                 (Base32), or hex digits written after hex:. Paste it without spaces, or in the \
                 even groups the website shows. {SCAN_THE_RIGHT_QR}"
            ),
        };
        NotASecret { what, advice }
    }

    /// The token's own serial barcode, naming its model.
    pub fn serial_barcode(model: Model) -> NotASecret {
        NotASecret {
            what: NotASecretKind::SerialBarcode,
            advice: format!(
                "This is the serial-number barcode of {} token, not an account secret. \
                 {SCAN_THE_RIGHT_QR}",
                model.with_article()
            ),
        }
    }
}

/// Why a readable secret cannot go on the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalReason {
    /// Counter-based codes (HOTP), or another non-time-based type; the token is TOTP-only.
    Hotp,
    /// Steam Guard codes use letters; the token shows digits only.
    Steam,
    /// An HMAC algorithm other than SHA-1 and SHA-256.
    Algorithm,
    /// A code length the target token cannot show (6 on a single-profile token; 4, 6, 8 or
    /// 10 on a Molto2).
    Digits,
    /// A time step other than 30 or 60 seconds.
    Period,
    /// A secret shorter than 10 bytes (80 bits): almost always truncated.
    TooShort,
    /// A secret longer than 63 bytes, the most the token can hold.
    TooLong,
}

impl RefusalReason {
    /// Stable machine-readable name (the CLI's `--json` vocabulary).
    pub fn code(self) -> &'static str {
        match self {
            RefusalReason::Hotp => "hotp",
            RefusalReason::Steam => "steam",
            RefusalReason::Algorithm => "algorithm",
            RefusalReason::Digits => "digits",
            RefusalReason::Period => "period",
            RefusalReason::TooShort => "too_short",
            RefusalReason::TooLong => "too_long",
        }
    }
}

/// A secret the token cannot use, with the reason and what to do. Values are never coerced
/// into supported ones: a token showing wrong codes locks the user out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Why.
    pub reason: RefusalReason,
    /// Plain-language explanation and what to do next.
    pub advice: String,
}

/// Shortest secret accepted, in bytes (80 bits, the Google/Microsoft 16-character secrets).
pub const MIN_SECRET_BYTES: usize = 10;
/// Longest secret a Token2 token holds, in bytes: the wire limit of WRITE SEED, so the input
/// check and the token protocol cannot disagree.
pub const MAX_SECRET_BYTES: usize = crate::token::seed::MAX_SEED_LEN;

const DIFFERENT_SETUP: &str = "If the website offers a standard authenticator-app setup \
    (6 digits, every 30 seconds), choose that instead.";

impl Refusal {
    /// Counter-based (HOTP) accounts.
    pub fn hotp() -> Refusal {
        Refusal {
            reason: RefusalReason::Hotp,
            advice: format!(
                "This account uses counter-based codes (HOTP). The token only makes time-based \
                 codes (TOTP), so it would show codes the website rejects. {DIFFERENT_SETUP}"
            ),
        }
    }

    /// A code type that is neither TOTP nor HOTP (`value` names it for the user when it is a
    /// short word: see `safe_word`).
    pub fn other_type(value: &str) -> Refusal {
        let kind = match safe_word(value, WordKind::Name) {
            Some(word) => format!("a kind of code ({word})"),
            None => "a kind of code".to_string(),
        };
        Refusal {
            reason: RefusalReason::Hotp,
            advice: format!(
                "This account uses {kind} that is not time-based (TOTP), the only kind the token \
                 makes. {DIFFERENT_SETUP}"
            ),
        }
    }

    /// Steam Guard accounts.
    pub fn steam() -> Refusal {
        Refusal {
            reason: RefusalReason::Steam,
            advice: "This is a Steam Guard account. Steam codes are made of letters and digits \
                     (like 4KBX7), but the token can only show digits, so it cannot be used \
                     for Steam."
                .to_string(),
        }
    }

    /// An unsupported HMAC algorithm (`name` as the input wrote it, e.g. `SHA512`; named only
    /// when it is a short word, since a damaged link could put anything there).
    pub fn algorithm(name: &str) -> Refusal {
        let algorithm = match safe_word(name, WordKind::Name) {
            Some(word) => format!("the {word} algorithm"),
            None => "an algorithm".to_string(),
        };
        Refusal {
            reason: RefusalReason::Algorithm,
            advice: format!(
                "This account uses {algorithm}. The token can only compute SHA1 or \
                 SHA256 codes, so it would show wrong codes. {DIFFERENT_SETUP}"
            ),
        }
    }

    /// A code length a single-profile token cannot show (`None` when the input names no
    /// known length).
    pub fn digits(digits: Option<u64>) -> Refusal {
        Refusal::digits_for(digits, Target::SingleProfile)
    }

    /// A code length `target` cannot show (`None` when the input names no known length). The
    /// advice says which lengths that token shows.
    pub fn digits_for(digits: Option<u64>, target: Target) -> Refusal {
        let wants = match digits {
            Some(n) => format!("{n}-digit codes"),
            None => "codes of an unknown length".to_string(),
        };
        let shows = match target {
            Target::SingleProfile => "The token shows 6-digit codes only",
            Target::Molto2 => "A Molto2 shows codes of 4, 6, 8 or 10 digits only",
        };
        Refusal {
            reason: RefusalReason::Digits,
            advice: format!(
                "This account wants {wants}. {shows}, so the website would reject them. \
                 {DIFFERENT_SETUP}"
            ),
        }
    }

    /// An unsupported time step in seconds.
    pub fn period(seconds: u64) -> Refusal {
        Refusal {
            reason: RefusalReason::Period,
            advice: format!(
                "This account changes its code every {seconds} seconds. The token supports only \
                 30 or 60 seconds, so its codes would not match. {DIFFERENT_SETUP}"
            ),
        }
    }

    /// A secret under [`MIN_SECRET_BYTES`].
    pub fn too_short(bytes: usize) -> Refusal {
        Refusal {
            reason: RefusalReason::TooShort,
            advice: format!(
                "The secret is only {bytes} bytes long (at least {MIN_SECRET_BYTES} are needed). \
                 This is almost always a truncated secret: scan again or copy the whole secret."
            ),
        }
    }

    /// A secret over [`MAX_SECRET_BYTES`].
    pub fn too_long(bytes: usize) -> Refusal {
        Refusal {
            reason: RefusalReason::TooLong,
            advice: format!(
                "The secret is {bytes} bytes long, but the token holds at most \
                 {MAX_SECRET_BYTES} bytes. Check that you copied only the secret; if it really \
                 is this long, this account cannot go on the token."
            ),
        }
    }
}
