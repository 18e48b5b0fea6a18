//! What the user scanned or pasted: is it a TOTP secret the token can take, and if not, what
//! is it and what should they do instead?
//!
//! Most support trouble with programmable tokens is the input, not the token: people scan the
//! wrong QR code, and strict parsers reject real enrollment QR codes (Microsoft 365's is lower
//! case, 80-bit, with the tenant in the label and `issuer=Microsoft`). So:
//!
//! * [`classify`] takes any text and returns one [`Classification`]: a burnable
//!   [`TotpAccount`], a Google Authenticator [`MigrationExport`] (every account listed, each
//!   with whether the token can take it), [`NotASecret`] (Microsoft push QR, Microsoft consumer
//!   link, passkey QR, the token's serial barcode, links, numbers, text), a [`Refusal`] (HOTP,
//!   Steam, SHA-512/MD5, digits ≠ 6, periods other than 30/60 s, secrets under 10 or over 63
//!   bytes) or an [`InputError`]. Unsupported values are never coerced into supported ones.
//! * [`classify_for`] does the same for a given [`Target`] token: only the code lengths differ
//!   (a Molto2 shows 4, 6, 8 or 10 digits; `classify` judges for a single-profile token, 6).
//! * [`classify_secret`] does the same for a secret whose [`SecretEncoding`] the caller already
//!   knows (a `--hex` option), without a marker written into the text.
//! * `otpauth://` links are read by our own tolerant parser (rules in `uri.rs`): the label is
//!   split at the first `:`/`%3A` before decoding, `issuer=` wins over the label prefix (kept
//!   for display), scheme/type/algorithm are case-insensitive, the secret may be lower case,
//!   padded, grouped, with non-zero trailing bits, unknown parameters are ignored and a
//!   duplicated `secret=` is an error.
//! * [`code_at`], [`preview`] and [`find_step_offset`] compute codes with the time passed in;
//!   [`judge_typed_code`] turns a code typed from a freshly burned token into a [`CodeVerdict`].
//! * [`TotpAccount::to_otpauth_uri`] writes an account back as a canonical link (a phone
//!   app's QR code); `classify` reads it as the same account.
//! * [`AccountFingerprint`] names an account without keeping its secret, so results can be
//!   bound to the account they were made for.
//!
//! # Base32 or hex?
//!
//! A pasted secret is never silently read the wrong way. The rule:
//!
//! 1. A `hex:` or `0x` prefix means hex; a `base32:` prefix means Base32.
//! 2. Otherwise (spaces and hyphens ignored), only hex digits with at least one `0`, `1`, `8`
//!    or `9` means hex: Base32 never uses those digits.
//! 3. Only characters both alphabets share (`A`–`F`, `2`–`7`, any case), an even count: the
//!    text is ambiguous and refused ([`InputError::AmbiguousSecret`]) until a prefix is added.
//! 4. Anything else is Base32.
//!
//! Plain numbers of fewer than 20 digits are numbers (codes, phone numbers, serials), never
//! secrets; longer all-digit text follows the rule above.
//!
//! Secrets are held in [`Secret`] or `Zeroizing` buffers, and no `Debug` output
//! of this module prints them.
//!
//! # Layers
//!
//! Files import only from layers below them (no cycles):
//!
//! 1. errors and decoders: `safe_word`, `migration_error`, `error`; `base32`, `base64`, `hex`,
//!    `percent`, `protobuf`;
//! 2. what input can be: `target`, `advice`, `account`, `export`, then `classification` (only
//!    the types it holds);
//! 3. readers: `uri`, `migration`, `secret_text`;
//! 4. `classify`, the one entry point over all of them.
//!
//! Codes, names and results (`totp`, `verdict`, `display`, `fingerprint`, `label`, `to_uri`) sit
//! beside layer 2 and use no reader.

mod account;
mod advice;
mod base32;
mod base64;
mod classification;
mod classify;
mod display;
mod error;
mod export;
mod fingerprint;
mod hex;
mod label;
mod migration;
mod migration_error;
mod percent;
mod protobuf;
mod safe_word;
mod secret_text;
mod target;
mod to_uri;
mod totp;
mod uri;
mod verdict;

pub use account::{SecretSource, TotpAccount};
pub use advice::{
    MAX_SECRET_BYTES, MIN_SECRET_BYTES, NotASecret, NotASecretKind, Refusal, RefusalReason,
};
pub use base32::base32_unpadded;
pub use classification::Classification;
pub use classify::{classify, classify_for, classify_secret};
pub use display::{base32_display, hex_display};
pub use error::InputError;
pub use export::{Batch, MigrationAccount, MigrationExport};
pub use fingerprint::AccountFingerprint;
pub use label::account_label;
pub use migration::{decode_payload, decode_payload_for};
pub use migration_error::MigrationError;
pub use secret_text::{SecretEncoding, decode_secret_text};
pub use target::Target;
pub use totp::{MAX_WINDOW, Preview, code_at, find_step_offset, preview, typed_code};
pub use verdict::{CLOCK_OFF_WITHIN_STEPS, CodeVerdict, WORKS_WITHIN_STEPS, judge_typed_code};

pub use crate::params::{Algorithm, Period};
pub use crate::secret::Secret;
