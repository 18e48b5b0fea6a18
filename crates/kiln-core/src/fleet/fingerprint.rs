//! A name for a secret that lets two exports of the same batch be reconciled (which audit row
//! is which Entra row) without revealing the seed: the first 8 hex digits of
//! HMAC-SHA-256(batch key, secret), with a random key per batch. Without the key, the
//! fingerprint cannot be checked against guessed secrets; 32 bits cannot be inverted.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use super::random::{RandomSource, RandomUnavailable};
use crate::secret::Secret;

/// Bytes in a batch key.
pub const AUDIT_KEY_BYTES: usize = 32;

/// The per-batch HMAC key. Wiped on drop; `Debug` does not show it.
#[derive(Clone)]
pub struct AuditKey(Zeroizing<[u8; AUDIT_KEY_BYTES]>);

impl AuditKey {
    /// A new random key from `random`.
    pub fn generate(random: &mut dyn RandomSource) -> Result<AuditKey, RandomUnavailable> {
        let mut key = Zeroizing::new([0u8; AUDIT_KEY_BYTES]);
        random.fill(key.as_mut_slice())?;
        if key.iter().all(|b| *b == 0) {
            return Err(RandomUnavailable);
        }
        Ok(AuditKey(key))
    }

    /// A key with known bytes (tests, and reconciling exports of a batch whose key was kept).
    pub fn from_bytes(bytes: [u8; AUDIT_KEY_BYTES]) -> AuditKey {
        AuditKey(Zeroizing::new(bytes))
    }

    /// Wipes the key (after the batch is wiped, fingerprints are meaningless).
    pub fn wipe(&mut self) {
        self.0.zeroize();
    }

    /// The fingerprint of `secret` under this key.
    pub fn fingerprint(&self, secret: &Secret) -> SecretFingerprint {
        // HMAC takes keys of any length, so this never fails; the fallback keeps it panic-free.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(self.0.as_slice()) else {
            return SecretFingerprint([0; 4]);
        };
        mac.update(secret.expose());
        let digest = mac.finalize().into_bytes();
        let mut out = [0u8; 4];
        out.copy_from_slice(&digest[..4]);
        SecretFingerprint(out)
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey(<redacted>)")
    }
}

/// First 32 bits of the HMAC; `Display` gives 8 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretFingerprint([u8; 4]);

impl fmt::Display for SecretFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}
