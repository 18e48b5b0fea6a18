//! Property tests: secrets survive every way people write them, pasted text is never read in
//! the wrong encoding, and no input makes the classifier or the export decoder panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{self, Classification, InputError, NotASecretKind, SecretSource};
use proptest::prelude::*;

/// RFC 4648 Base32 with padding, written here independently of kiln-core.
fn rfc4648_base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = String::new();
    for b in bytes {
        bits.push_str(&format!("{b:08b}"));
    }
    while !bits.len().is_multiple_of(5) {
        bits.push('0');
    }
    let mut out: String = bits
        .as_bytes()
        .chunks(5)
        .map(|c| {
            let v = u8::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap();
            ALPHABET[v as usize] as char
        })
        .collect();
    while !out.len().is_multiple_of(8) {
        out.push('=');
    }
    out
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Rewrites an encoded secret the way people and websites do: random case per character,
/// random spaces or hyphens between characters, padding kept or dropped.
fn scramble(encoded: &str, flips: &[u8], keep_padding: bool) -> String {
    let body = if keep_padding {
        encoded
    } else {
        encoded.trim_end_matches('=')
    };
    let mut out = String::new();
    for (i, c) in body.chars().enumerate() {
        let f = flips.get(i).copied().unwrap_or(0);
        out.push(if f & 1 == 1 {
            c.to_ascii_lowercase()
        } else {
            c
        });
        match f >> 1 & 7 {
            1 if c != '=' => out.push(' '),
            2 if c != '=' => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches([' ', '-']).to_string()
}

/// Groups an encoded secret evenly, as websites show it (`group` 0 = no grouping).
fn group_evenly(encoded: &str, group: usize, separator: char, lower: bool) -> String {
    let text = if lower {
        encoded.to_ascii_lowercase()
    } else {
        encoded.to_string()
    };
    if group == 0 {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(group)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(&separator.to_string())
}

proptest! {
    #[test]
    fn base32_round_trips_any_case_spacing_and_padding(
        secret in prop::collection::vec(any::<u8>(), 1..=63),
        flips in prop::collection::vec(any::<u8>(), 104),
        keep_padding in any::<bool>(),
    ) {
        let text = scramble(&rfc4648_base32(&secret), &flips, keep_padding);
        let (decoded, source) = otp::decode_secret_text(&format!("base32:{text}")).unwrap();
        prop_assert_eq!(decoded.expose(), &secret[..]);
        prop_assert_eq!(source, SecretSource::Base32);
    }

    #[test]
    fn base32_round_trips_through_an_otpauth_link(
        secret in prop::collection::vec(any::<u8>(), 10..=63),
        flips in prop::collection::vec(any::<u8>(), 104),
        keep_padding in any::<bool>(),
    ) {
        let text = scramble(&rfc4648_base32(&secret), &flips, keep_padding)
            .replace(' ', "%20")
            .replace('=', "%3D");
        let uri = format!("otpauth://totp/Acme:alice?secret={text}&issuer=Acme");
        match otp::classify(&uri) {
            Classification::Totp(a) => prop_assert_eq!(a.secret.expose(), &secret[..]),
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn hex_round_trips_any_case_and_separators(
        secret in prop::collection::vec(any::<u8>(), 1..=63),
        flips in prop::collection::vec(any::<u8>(), 126),
    ) {
        let text = scramble(&to_hex(&secret), &flips, true);
        let (decoded, source) = otp::decode_secret_text(&format!("hex:{text}")).unwrap();
        prop_assert_eq!(decoded.expose(), &secret[..]);
        prop_assert_eq!(source, SecretSource::Hex);
    }

    /// Unmarked text is read correctly or refused; it is never decoded in the wrong encoding.
    #[test]
    fn unmarked_secrets_are_never_read_in_the_wrong_encoding(
        secret in prop::collection::vec(any::<u8>(), 10..=63),
        as_hex in any::<bool>(),
        group in prop::sample::select(vec![0usize, 2, 4, 5, 8]),
        separator in prop::sample::select(vec![' ', '-']),
        lower in any::<bool>(),
    ) {
        let (encoded, want) = if as_hex {
            (to_hex(&secret), SecretSource::Hex)
        } else {
            (rfc4648_base32(&secret).trim_end_matches('=').to_string(), SecretSource::Base32)
        };
        let text = group_evenly(&encoded, group, separator, lower);
        match otp::classify(&text) {
            Classification::Totp(a) => {
                prop_assert_eq!(a.secret.expose(), &secret[..]);
                prop_assert_eq!(a.source, want);
            }
            Classification::Invalid(InputError::AmbiguousSecret) => {}
            Classification::NotASecret(n) => prop_assert_eq!(n.what, NotASecretKind::Number),
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn the_base32_display_reads_back_as_the_same_secret(
        secret in prop::collection::vec(any::<u8>(), 1..=63),
    ) {
        let shown = otp::base32_display(&otp::Secret::from_slice(&secret));
        prop_assert!(shown.split(' ').all(|g| (1..=4).contains(&g.len())));
        prop_assert!(!shown.chars().any(|c| c.is_ascii_lowercase() || c == '='));
        let expected = rfc4648_base32(&secret);
        prop_assert_eq!(shown.replace(' ', ""), expected.trim_end_matches('='));
    }

    #[test]
    fn classify_never_panics_on_any_text(text in any::<String>()) {
        let _ = otp::classify(&text);
    }

    #[test]
    fn classify_never_panics_on_damaged_links(
        prefix in prop::sample::select(vec![
            "otpauth://totp/", "otpauth://", "OTPAUTH:", "otpauth-migration://offline?data=",
            "otpauth://totp/a%3Ab?secret=", "hex:", "0x", "base32:", "phonefactor:", "fido:/",
        ]),
        rest in "[%:/?&=#+a-zA-Z0-9 \\-_\u{e9}\u{1F600}]{0,80}",
    ) {
        let _ = otp::classify(&format!("{prefix}{rest}"));
    }

    #[test]
    fn the_export_decoder_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = otp::decode_payload(&bytes);
    }
}
