//! The Molto2's cryptography (§3), with the customer-derived key instead of the fixed device
//! key: SHA-1 key derivation and an RFC 6238 code of 4–10 digits for the display (SM4 blocks
//! and the 4-byte CBC-MAC are the single-profile token's). Written from the spec, independently
//! of kiln-core.

use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;

use crate::totp::Hash;

/// SHA-1(customer key)[0..16].
pub fn derive_key(customer_key: &[u8]) -> [u8; 16] {
    let digest = Sha1::digest(customer_key);
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// Removes ISO 9797-1 method-2 padding: the last non-zero byte must be `80` within the last
/// block. `None` otherwise.
pub(super) fn unpad(data: &[u8]) -> Option<&[u8]> {
    let marker = data.iter().rposition(|&b| b != 0)?;
    (data[marker] == 0x80 && data.len() - marker <= 16).then(|| &data[..marker])
}

/// The code of `digits` digits (RFC 6238 / RFC 4226 dynamic truncation).
pub fn totp(key: &[u8], hash: Hash, step: u64, digits: u32, unix_time: u64) -> String {
    let counter = (unix_time / step.max(1)).to_be_bytes();
    let digest = match hash {
        Hash::Sha1 => <Hmac<Sha1> as Mac>::new_from_slice(key).map(|mut m| {
            m.update(&counter);
            m.finalize().into_bytes().to_vec()
        }),
        Hash::Sha256 => <Hmac<Sha256> as Mac>::new_from_slice(key).map(|mut m| {
            m.update(&counter);
            m.finalize().into_bytes().to_vec()
        }),
    }
    .unwrap_or_default();
    let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0F);
    let chunk = digest.get(offset..offset + 4).unwrap_or(&[0, 0, 0, 0]);
    let binary = u64::from(u32::from_be_bytes([
        chunk[0] & 0x7F,
        chunk[1],
        chunk[2],
        chunk[3],
    ]));
    let modulus = 10u64.pow(digits.min(10));
    format!("{:0width$}", binary % modulus, width = digits as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_customer_key_derives_the_published_sm4_key() {
        assert_eq!(
            hex::encode_upper(derive_key(b"TOKEN2MOLTO1-KEY")),
            "099250FDB017F442DA429ECBBEE17F79"
        );
    }

    #[test]
    fn rfc_6238_eight_digit_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(totp(key, Hash::Sha1, 30, 8, 59), "94287082");
        assert_eq!(totp(key, Hash::Sha1, 30, 8, 1_111_111_109), "07081804");
        assert_eq!(totp(key, Hash::Sha1, 30, 6, 59), "287082");
        assert_eq!(totp(key, Hash::Sha1, 30, 4, 59), "7082");
        let key256 = b"12345678901234567890123456789012";
        assert_eq!(totp(key256, Hash::Sha256, 30, 8, 59), "46119246");
        // 10 digits: the whole 31-bit value, zero-padded.
        assert_eq!(totp(key, Hash::Sha1, 30, 10, 59).len(), 10);
    }
}
