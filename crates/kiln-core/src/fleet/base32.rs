//! Secrets as the export formats want them: RFC 4648 Base32, upper case, without `=` padding
//! and without grouping.

use zeroize::{Zeroize, Zeroizing};

use crate::secret::Secret;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `secret` as unpadded upper-case Base32. Wiped when dropped.
pub fn base32_unpadded(secret: &Secret) -> Zeroizing<String> {
    let bytes = secret.expose();
    let mut out = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(5) * 8));
    let mut acc: u16 = 0;
    let mut bits = 0u32;
    for byte in bytes {
        acc = (acc << 8) | u16::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[usize::from((acc >> bits) & 0x1F)]));
        }
    }
    if bits > 0 {
        out.push(char::from(
            ALPHABET[usize::from((acc << (5 - bits)) & 0x1F)],
        ));
    }
    acc.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
