//! Tolerant RFC 4648 Base32, as secrets are really written: any case, `=` padding or none,
//! spaces and hyphens between groups, and non-zero trailing bits (they are dropped, as Google
//! Authenticator does). Everything else is an error that names the character and its position,
//! never a silent skip.

use zeroize::{Zeroize, Zeroizing};

use super::error::InputError;
use crate::secret::Secret;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The 5-bit value of a Base32 digit (either case).
pub(crate) fn digit_value(c: char) -> Option<u8> {
    match c.to_ascii_uppercase() {
        u @ 'A'..='Z' => Some(u as u8 - b'A'),
        d @ '2'..='7' => Some(d as u8 - b'2' + 26),
        _ => None,
    }
}

/// Decodes `text`. Error positions are `offset` + the 1-based character index in `text`, so
/// callers can report positions in the text the user actually typed.
pub(crate) fn decode(text: &str, offset: usize) -> Result<Secret, InputError> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() * 5 / 8 + 1));
    let mut acc: u16 = 0;
    let mut bits: u32 = 0;
    let mut digits = 0usize;
    let mut first_padding: Option<usize> = None;
    for (index, c) in text.chars().enumerate() {
        let position = offset + index + 1;
        if c.is_whitespace() || c == '-' {
            continue;
        }
        if c == '=' {
            first_padding.get_or_insert(position);
            continue;
        }
        let Some(value) = digit_value(c) else {
            return Err(InputError::BadBase32Character {
                position,
                character: c,
            });
        };
        if let Some(padding) = first_padding {
            return Err(InputError::BadBase32Character {
                position: padding,
                character: '=',
            });
        }
        acc = (acc << 5) | u16::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
        digits += 1;
    }
    if digits == 0 {
        return Err(InputError::EmptySecret);
    }
    Ok(Secret::new(core::mem::take(&mut *out)))
}

/// `secret` as RFC 4648 Base32, upper case, without `=` padding or grouping: what otpauth://
/// links and the export formats (Entra CSV, Graph) want. Wiped when dropped.
pub fn base32_unpadded(secret: &Secret) -> Zeroizing<String> {
    encode(secret.expose())
}

/// Uppercase, unpadded Base32 in groups of four separated by spaces, the way authenticator
/// setup pages show it.
pub(crate) fn encode_grouped(bytes: &[u8]) -> Zeroizing<String> {
    let plain = encode(bytes);
    let mut out = Zeroizing::new(String::with_capacity(plain.len() + plain.len() / 4));
    for (index, digit) in plain.chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            out.push(' ');
        }
        out.push(digit);
    }
    out
}

/// Uppercase, unpadded Base32 of `bytes`.
fn encode(bytes: &[u8]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(5) * 8));
    let mut acc: u16 = 0;
    let mut bits: u32 = 0;
    for &byte in bytes {
        acc = (acc << 8) | u16::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[usize::from((acc >> bits) & 31)]));
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[usize::from((acc << (5 - bits)) & 31)]));
    }
    acc.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4648 §10 test vectors.
    #[test]
    fn rfc4648_vectors_decode() {
        for (text, plain) in [
            ("MY======", "f"),
            ("MZXQ====", "fo"),
            ("MZXW6===", "foo"),
            ("MZXW6YQ=", "foob"),
            ("MZXW6YTB", "fooba"),
            ("MZXW6YTBOI======", "foobar"),
        ] {
            assert_eq!(
                decode(text, 0).unwrap().expose(),
                plain.as_bytes(),
                "{text}"
            );
        }
    }

    #[test]
    fn rfc4648_vectors_without_padding() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            let secret = Secret::from_slice(plain.as_bytes());
            assert_eq!(base32_unpadded(&secret).as_str(), encoded, "{plain}");
        }
    }

    #[test]
    fn rfc4648_vectors_encode_grouped() {
        assert_eq!(encode_grouped(b"foobar").as_str(), "MZXW 6YTB OI");
        assert_eq!(encode_grouped(b"fooba").as_str(), "MZXW 6YTB");
        assert_eq!(encode_grouped(b"").as_str(), "");
    }

    #[test]
    fn case_spaces_hyphens_and_padding_are_tolerated() {
        let plain = decode("MZXW6YTBOI", 0).unwrap();
        assert_eq!(decode("mzxw-6ytb oi==", 0).unwrap(), plain);
    }

    #[test]
    fn non_zero_trailing_bits_are_dropped() {
        // "MZXW6YTBOI" is "foobar"; its last digit carries 3 data bits and 2 zero bits. J (01001)
        // has the same data bits 010 and non-zero trailing bits 01, which are dropped.
        assert_eq!(decode("MZXW6YTBOJ", 0).unwrap().expose(), b"foobar");
    }

    #[test]
    fn a_bad_character_is_reported_with_its_position() {
        assert_eq!(
            decode("MZXW0YTB", 10),
            Err(InputError::BadBase32Character {
                position: 15,
                character: '0'
            })
        );
    }

    #[test]
    fn padding_in_the_middle_is_an_error_at_the_padding() {
        assert_eq!(
            decode("MZ==XW", 0),
            Err(InputError::BadBase32Character {
                position: 3,
                character: '='
            })
        );
    }

    #[test]
    fn nothing_but_separators_is_an_empty_secret() {
        assert_eq!(decode(" -= ", 0), Err(InputError::EmptySecret));
    }
}
