//! The Molto2's cryptography (§3), with the customer-derived key instead of the fixed device
//! key: SHA-1 key derivation, SM4 blocks, the 4-byte CBC-MAC, and an RFC 6238 code of 4–10
//! digits for the display. Written from the spec, independently of kiln-core.

use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use sm4::Sm4;
use sm4::cipher::generic_array::GenericArray;
use sm4::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

use crate::totp::Hash;

/// SHA-1(customer key)[0..16].
pub fn derive_key(customer_key: &[u8]) -> [u8; 16] {
    let digest = Sha1::digest(customer_key);
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

pub(super) fn encrypt_block(key: &[u8; 16], block: &mut [u8]) {
    Sm4::new(GenericArray::from_slice(key)).encrypt_block(GenericArray::from_mut_slice(block));
}

pub(super) fn decrypt_blocks(key: &[u8; 16], data: &mut [u8]) {
    let cipher = Sm4::new(GenericArray::from_slice(key));
    for block in data.chunks_exact_mut(16) {
        cipher.decrypt_block(GenericArray::from_mut_slice(block));
    }
}

/// CBC-MAC with a zero IV, method-2 padding when not aligned, first 4 bytes of the last block.
pub(super) fn mac4(key: &[u8; 16], message: &[u8]) -> [u8; 4] {
    let mut padded = message.to_vec();
    if !padded.len().is_multiple_of(16) {
        padded.push(0x80);
        while !padded.len().is_multiple_of(16) {
            padded.push(0);
        }
    }
    let mut chain = [0u8; 16];
    for block in padded.chunks_exact(16) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        encrypt_block(key, &mut chain);
    }
    [chain[0], chain[1], chain[2], chain[3]]
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
