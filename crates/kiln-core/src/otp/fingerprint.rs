//! A short, non-reversible name for "this exact account", so that a result (a burn, a verify
//! verdict) can say which account it was made for without keeping a copy of the secret.

use sha2::{Digest, Sha256};

use super::account::TotpAccount;

/// SHA-256 over every field that changes what a token would show or what the user sees as the
/// account (issuer, label, account name, secret, algorithm, digits, period), truncated to
/// 128 bits. Two accounts have the same fingerprint only if all of these are equal.
///
/// Not a secret-safe commitment for low-entropy secrets, but Kiln only compares it in memory;
/// `Debug` prints it in hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountFingerprint([u8; 16]);

impl core::fmt::Debug for AccountFingerprint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AccountFingerprint(")?;
        for byte in &self.0[..4] {
            write!(f, "{byte:02x}")?;
        }
        f.write_str("…)")
    }
}

impl AccountFingerprint {
    /// The fingerprint of `account`.
    pub fn of(account: &TotpAccount) -> AccountFingerprint {
        let mut hash = Sha256::new();
        hash.update(b"kiln account fingerprint v1\0");
        let mut field = |bytes: &[u8]| {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            hash.update((bytes.len() as u64).to_be_bytes());
            hash.update(bytes);
        };
        field(account.issuer.as_deref().unwrap_or("").as_bytes());
        field(&[u8::from(account.issuer.is_some())]);
        field(account.label_issuer.as_deref().unwrap_or("").as_bytes());
        field(&[u8::from(account.label_issuer.is_some())]);
        field(account.account.as_bytes());
        field(account.secret.expose());
        field(account.algorithm.name().as_bytes());
        field(&[account.digits]);
        field(&account.period.seconds().to_be_bytes());
        let digest = hash.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        AccountFingerprint(out)
    }

    /// The raw 16 bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl TotpAccount {
    /// See [`AccountFingerprint`].
    pub fn fingerprint(&self) -> AccountFingerprint {
        AccountFingerprint::of(self)
    }
}
