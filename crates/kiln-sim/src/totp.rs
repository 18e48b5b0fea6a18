//! RFC 6238 TOTP, written here independently of kiln-core so that tests compare two separate
//! implementations (this one drives the simulated token's display).

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

/// The HMAC a token computes codes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Hash {
    /// HMAC-SHA-1.
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
}

/// The 6-digit code for `key` at `unix_time` with the given step, per RFC 6238 / RFC 4226.
pub fn totp6(key: &[u8], hash: Hash, step_seconds: u64, unix_time: u64) -> String {
    let counter = (unix_time / step_seconds.max(1)).to_be_bytes();
    let digest = hmac_digest(key, hash, &counter);
    // Dynamic truncation (RFC 4226 §5.3).
    let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0F);
    let chunk = digest.get(offset..offset + 4).unwrap_or(&[0, 0, 0, 0]);
    let binary = u32::from_be_bytes([chunk[0] & 0x7F, chunk[1], chunk[2], chunk[3]]);
    format!("{:06}", binary % 1_000_000)
}

fn hmac_digest(key: &[u8], hash: Hash, message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` never fails.
    let digest = match hash {
        Hash::Sha1 => Hmac::<Sha1>::new_from_slice(key).map(|mut mac| {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }),
        Hash::Sha256 => Hmac::<Sha256>::new_from_slice(key).map(|mut mac| {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }),
    };
    digest.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_appendix_b_vectors_truncated_to_six_digits() {
        let sha1_key = b"12345678901234567890";
        let sha256_key = b"12345678901234567890123456789012";
        // (time, SHA-1 8-digit, SHA-256 8-digit) from RFC 6238 Appendix B.
        let table = [
            (59u64, "94287082", "46119246"),
            (1_111_111_109, "07081804", "68084774"),
            (1_111_111_111, "14050471", "67062674"),
            (1_234_567_890, "89005924", "91819424"),
            (2_000_000_000, "69279037", "90698825"),
            (20_000_000_000, "65353130", "77737706"),
        ];
        for (t, sha1_code, sha256_code) in table {
            assert_eq!(totp6(sha1_key, Hash::Sha1, 30, t), sha1_code[2..]);
            assert_eq!(totp6(sha256_key, Hash::Sha256, 30, t), sha256_code[2..]);
        }
    }
}
