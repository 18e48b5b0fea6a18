//! Pasted or typed secrets: deciding between Base32 and hex without ever guessing.
//!
//! The rule (also in the [module docs](super) and in the ambiguity error message):
//!
//! 1. A `hex:` or `0x` prefix means hex; a `base32:` prefix means Base32.
//! 2. Otherwise, ignoring spaces and hyphens, text made only of hex digits that contains at
//!    least one of `0`, `1`, `8`, `9` is hex: Base32 never uses those digits, so the text cannot
//!    be a Base32 secret.
//! 3. Text made only of characters both alphabets share (`A`–`F`, `2`–`7`, any case) with an
//!    even count could be either, and the two readings give different keys: it is refused as
//!    ambiguous until the user adds a prefix. (A random Base32 secret of 16+ characters lands
//!    here with odds below one in six million; a hex secret without 0/1/8/9 is far likelier.)
//! 4. Everything else is Base32 (an odd count of shared characters cannot be hex).
//!
//! Plain decimal numbers are not secrets (see [`super::classify`]); they only reach this rule
//! when they are at least 20 digits long, i.e. at least 10 bytes of hex.

use super::account::SecretSource;
use super::error::InputError;
use super::{base32, hex};
use crate::secret::Secret;

/// How a secret is written, when the caller already knows it (the CLI's `--secret` and `--hex`
/// options): nothing is guessed and no marker has to be written into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretEncoding {
    /// RFC 4648 Base32, what websites call the "secret key".
    Base32,
    /// Hex digits.
    Hex,
}

impl SecretEncoding {
    /// How an account records a secret read this way.
    pub fn source(self) -> SecretSource {
        match self {
            SecretEncoding::Base32 => SecretSource::Base32,
            SecretEncoding::Hex => SecretSource::Hex,
        }
    }
}

/// Explicit prefixes, matched case-insensitively, with the encoding they select. `hex:` comes
/// before `0x` so that [`decode_secret_as`] can skip both, in that order.
const MARKERS: [(&str, SecretEncoding); 3] = [
    ("hex:", SecretEncoding::Hex),
    ("0x", SecretEncoding::Hex),
    ("base32:", SecretEncoding::Base32),
];

/// The text after `prefix`, matched ASCII case-insensitively.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// The marker `text` starts with, if any, its length in characters, and the text after it.
pub(crate) fn strip_marker(text: &str) -> Option<(SecretEncoding, usize, &str)> {
    MARKERS.iter().find_map(|&(marker, encoding)| {
        strip_prefix_ignore_case(text, marker).map(|rest| (encoding, marker.len(), rest))
    })
}

/// Decodes a secret whose encoding the caller knows. The text may still start with that
/// encoding's own marker (`base32:`; `hex:`, `0x` or `hex:0x`), which is skipped; a marker of the
/// other encoding is not (it is a bad character). Error positions count characters of `text`
/// from 1, marker included.
pub(crate) fn decode_secret_as(text: &str, encoding: SecretEncoding) -> Result<Secret, InputError> {
    let mut skipped = 0;
    let mut rest = text;
    for (marker, _) in MARKERS.iter().filter(|(_, e)| *e == encoding) {
        if let Some(after) = strip_prefix_ignore_case(rest, marker) {
            skipped += marker.len();
            rest = after;
        }
    }
    match encoding {
        SecretEncoding::Base32 => base32::decode(rest, skipped),
        SecretEncoding::Hex => hex::decode(rest, skipped),
    }
}

/// Decodes a pasted secret by the rule above. Returns the secret and which encoding was used;
/// error positions count characters of `text` from 1.
pub fn decode_secret_text(text: &str) -> Result<(Secret, SecretSource), InputError> {
    if let Some((encoding, marker_chars, rest)) = strip_marker(text) {
        let secret = match encoding {
            SecretEncoding::Hex => hex::decode(rest, marker_chars)?,
            SecretEncoding::Base32 => base32::decode(rest, marker_chars)?,
        };
        return Ok((secret, encoding.source()));
    }
    let mut hex_digits = 0usize;
    let mut hex_only_digits = false; // saw 0, 1, 8 or 9
    let mut only_hex = true;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        if matches!(c, '0' | '1' | '8' | '9') {
            hex_only_digits = true;
        }
        if c.is_ascii_hexdigit() {
            hex_digits += 1;
        } else {
            only_hex = false;
        }
    }
    if only_hex && hex_only_digits {
        return Ok((hex::decode(text, 0)?, SecretSource::Hex));
    }
    if only_hex && hex_digits > 0 && hex_digits.is_multiple_of(2) {
        return Err(InputError::AmbiguousSecret);
    }
    Ok((base32::decode(text, 0)?, SecretSource::Base32))
}

/// True when `text` has the shape of a written secret: only letters, digits, `=` and grouping
/// separators, and when grouped, groups of equal length (a short last group allowed). Ordinary
/// sentences fail this, so they are reported as text instead of as a bad secret.
pub(crate) fn is_secret_shaped(text: &str) -> bool {
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '=' || c == '-' || c.is_whitespace())
    {
        return false;
    }
    let groups: Vec<usize> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    match groups.split_last() {
        None => false,
        Some((_, [])) => true,
        Some((last, [first, middle @ ..])) => middle.iter().all(|g| g == first) && last <= first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hex_marker_selects_hex_and_positions_count_the_marker() {
        assert_eq!(
            decode_secret_text("HEX:3132").unwrap(),
            (Secret::from_slice(b"12"), SecretSource::Hex)
        );
        assert_eq!(
            decode_secret_text("0x31z2"),
            Err(InputError::BadHexCharacter {
                position: 5,
                character: 'z'
            })
        );
    }

    #[test]
    fn a_base32_marker_selects_base32_even_for_shared_characters() {
        assert_eq!(
            decode_secret_text("base32:MZXW6YTB").unwrap(),
            (Secret::from_slice(b"fooba"), SecretSource::Base32)
        );
        // "ABCDEF23" alone is ambiguous; the marker settles it.
        assert!(decode_secret_text("base32:ABCDEF23").is_ok());
        assert_eq!(
            decode_secret_text("ABCDEF23"),
            Err(InputError::AmbiguousSecret)
        );
    }

    #[test]
    fn digits_base32_never_uses_make_text_hex() {
        assert_eq!(
            decode_secret_text("deadbeef01").unwrap(),
            (
                Secret::from_slice(&[0xde, 0xad, 0xbe, 0xef, 0x01]),
                SecretSource::Hex
            )
        );
    }

    #[test]
    fn odd_shared_character_counts_are_base32() {
        assert_eq!(decode_secret_text("MZXW6").unwrap().1, SecretSource::Base32);
        assert_eq!(decode_secret_text("ABCDE").unwrap().1, SecretSource::Base32);
    }

    #[test]
    fn sentences_are_not_secret_shaped_but_grouped_secrets_are() {
        assert!(is_secret_shaped("abcd efgh ijkl mnop"));
        assert!(is_secret_shaped("JBSW-Y3DP-EHPK-3PXP"));
        assert!(is_secret_shaped("abcd efgh ij"));
        assert!(!is_secret_shaped("please enter your code"));
        assert!(!is_secret_shaped("JBSW.Y3DP"));
        assert!(!is_secret_shaped("   "));
    }
}
