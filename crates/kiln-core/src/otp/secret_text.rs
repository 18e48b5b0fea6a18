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

/// Explicit prefixes, matched case-insensitively, with the encoding they select.
const MARKERS: [(&str, SecretSource); 3] = [
    ("hex:", SecretSource::Hex),
    ("0x", SecretSource::Hex),
    ("base32:", SecretSource::Base32),
];

/// The marker `text` starts with, if any, and the text after it.
pub(crate) fn strip_marker(text: &str) -> Option<(SecretSource, usize, &str)> {
    MARKERS.iter().find_map(|&(marker, source)| {
        let head = text.get(..marker.len())?;
        if head.eq_ignore_ascii_case(marker) {
            let rest = text.get(marker.len()..)?;
            Some((source, marker.chars().count(), rest))
        } else {
            None
        }
    })
}

/// Decodes a pasted secret by the rule above. Returns the secret and which encoding was used;
/// error positions count characters of `text` from 1.
pub fn decode_secret_text(text: &str) -> Result<(Secret, SecretSource), InputError> {
    if let Some((source, marker_chars, rest)) = strip_marker(text) {
        let secret = match source {
            SecretSource::Hex => hex::decode(rest, marker_chars)?,
            _ => base32::decode(rest, marker_chars)?,
        };
        return Ok((secret, source));
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
