//! Base64 for Google Authenticator export data: the standard and URL-safe alphabets (both are
//! seen in the wild, sometimes mixed), padding optional.

use zeroize::Zeroizing;

use super::migration_error::MigrationError;

fn digit_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        // A space can never be Base64; it appears when a scanner app form-decoded the link and
        // turned '+' into a space, so it is read back as the '+' it was.
        b'+' | b'-' | b' ' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes `text` (already percent-decoded). The output may hold seeds, so it wipes itself.
pub(crate) fn decode(text: &[u8]) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() * 3 / 4));
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut digits = 0usize;
    let mut padding = false;
    for (index, &b) in text.iter().enumerate() {
        if b == b'=' {
            padding = true;
            continue;
        }
        let value = match digit_value(b) {
            Some(v) if !padding => v,
            _ => {
                return Err(MigrationError::BadBase64 {
                    position: index + 1,
                });
            }
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
        digits += 1;
    }
    if digits % 4 == 1 {
        // One digit holds 6 bits, not enough for a byte: the text was cut off.
        return Err(MigrationError::BadBase64Length);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4648 §10 test vectors.
    #[test]
    fn rfc4648_vectors_decode_with_and_without_padding() {
        for (text, plain) in [
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(
                decode(text.as_bytes()).unwrap().as_slice(),
                plain.as_bytes()
            );
        }
    }

    #[test]
    fn url_safe_and_standard_digits_decode_alike() {
        assert_eq!(decode(b"-_-_").unwrap(), decode(b"+/+/").unwrap());
        assert_eq!(decode(b"+/+/").unwrap().as_slice(), &[0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn a_space_is_read_as_the_plus_it_replaced() {
        assert_eq!(decode(b" /+/").unwrap(), decode(b"+/+/").unwrap());
    }

    #[test]
    fn bad_characters_and_cut_off_text_are_errors() {
        assert_eq!(
            decode(b"Zm9v*"),
            Err(MigrationError::BadBase64 { position: 5 })
        );
        assert_eq!(
            decode(b"Zg==Zg"),
            Err(MigrationError::BadBase64 { position: 5 })
        );
        assert_eq!(decode(b"Zm9vY"), Err(MigrationError::BadBase64Length));
    }
}
