//! Percent-decoding for links, by hand, because the rules differ by part: a label is split
//! *before* decoding (so an encoded `%3A` inside a name cannot move the split), `+` means a
//! space in labels and query values, but is a Base64 digit in Google export data.

use zeroize::Zeroizing;

/// What a literal `+` means in the text being decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plus {
    /// Form encoding: `+` is a space (labels, `issuer=`, `secret=`).
    Space,
    /// Kept as `+` (Google export `data=`, where it is a Base64 digit).
    Keep,
}

/// Decodes `%XX` escapes. A `%` not followed by two hex digits is kept as written, so damaged
/// input still shows up in error messages instead of vanishing. The result may hold secret
/// bytes, so it wipes itself.
pub(crate) fn decode_bytes(text: &str, plus: Plus) -> Zeroizing<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let escaped = match (bytes.get(i + 1), bytes.get(i + 2)) {
                    (Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)),
                    _ => None,
                };
                if let Some((h, l)) = escaped {
                    out.push(h << 4 | l);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            b'+' if plus == Plus::Space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Decodes to text for display; invalid UTF-8 becomes U+FFFD rather than an error, because a
/// label only names the account and never affects the seed.
pub(crate) fn decode_text(text: &str, plus: Plus) -> String {
    String::from_utf8_lossy(&decode_bytes(text, plus)).into_owned()
}

/// Decodes a secret parameter to text that wipes itself. Invalid UTF-8 becomes U+FFFD, which
/// the Base32 decoder then reports with its position.
pub(crate) fn decode_secret(text: &str) -> Zeroizing<String> {
    let bytes = decode_bytes(text, Plus::Space);
    Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned())
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_in_either_case() {
        assert_eq!(decode_text("a%3ab%3Ac%40d", Plus::Space), "a:b:c@d");
    }

    #[test]
    fn plus_is_a_space_only_in_form_encoded_parts() {
        assert_eq!(decode_text("Some+Company", Plus::Space), "Some Company");
        assert_eq!(decode_text("ab+/c%2B", Plus::Keep), "ab+/c+");
    }

    #[test]
    fn malformed_escapes_are_kept_as_written() {
        assert_eq!(decode_text("100%", Plus::Space), "100%");
        assert_eq!(decode_text("%zz%4", Plus::Space), "%zz%4");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_rejected() {
        assert_eq!(decode_text("a%FFb", Plus::Space), "a\u{FFFD}b");
    }
}
