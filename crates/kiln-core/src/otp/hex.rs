//! Hex secrets (`hex:3132…`, `0x3132…`) and the hex display of a secret.

use zeroize::Zeroizing;

use super::error::InputError;
use crate::secret::Secret;

/// True for characters that are separators inside a written hex secret.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-' || c == ':'
}

/// Decodes hex digits (either case), ignoring spaces, hyphens and colons. Error positions are
/// `offset` + the 1-based character index in `text`.
pub(crate) fn decode(text: &str, offset: usize) -> Result<Secret, InputError> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    let mut high: Option<u8> = None;
    let mut digits = 0usize;
    for (index, c) in text.chars().enumerate() {
        if is_separator(c) {
            continue;
        }
        let Some(value) = c.to_digit(16) else {
            return Err(InputError::BadHexCharacter {
                position: offset + index + 1,
                character: c,
            });
        };
        // to_digit(16) is below 16, so the cast is exact.
        let value = value as u8;
        digits += 1;
        match high.take() {
            Some(h) => out.push(h << 4 | value),
            None => high = Some(value),
        }
    }
    if digits == 0 {
        return Err(InputError::EmptySecret);
    }
    if !digits.is_multiple_of(2) {
        return Err(InputError::OddHexLength { digits });
    }
    Ok(Secret::new(core::mem::take(&mut *out)))
}

/// Lower-case hex without separators (the `secret_hex` of the CLI's JSON output).
pub(crate) fn encode(bytes: &[u8]) -> Zeroizing<String> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Zeroizing::new(String::with_capacity(bytes.len() * 2));
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decodes_in_either_case_with_separators() {
        assert_eq!(
            decode("31:32 33-3A 3b", 0).unwrap().expose(),
            &[0x31, 0x32, 0x33, 0x3a, 0x3b]
        );
    }

    #[test]
    fn an_odd_digit_count_is_an_error() {
        assert_eq!(
            decode("313", 0),
            Err(InputError::OddHexLength { digits: 3 })
        );
    }

    #[test]
    fn a_bad_character_is_reported_with_its_position() {
        assert_eq!(
            decode("31g2", 4),
            Err(InputError::BadHexCharacter {
                position: 7,
                character: 'g'
            })
        );
    }

    #[test]
    fn encode_is_lower_case_without_separators() {
        assert_eq!(encode(&[0x00, 0xAB, 0x7f]).as_str(), "00ab7f");
    }
}
