//! Secret bytes (TOTP seeds) that wipe themselves and never print.

use core::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A TOTP seed: raw HMAC key bytes.
///
/// The bytes are zeroized when the value is dropped, and `Debug` prints only the length, so a
/// seed cannot leak through logs or error reports by accident.
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes ownership of `bytes` (no copy is left behind).
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }

    /// Copies `bytes` into a new secret. The caller remains responsible for its own buffer.
    pub fn from_slice(bytes: &[u8]) -> Self {
        Secret(Zeroizing::new(bytes.to_vec()))
    }

    /// The raw key bytes. Keep the borrow short and never copy it into an unzeroized buffer.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Number of key bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no key bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Wipes the bytes now (the value becomes empty).
    pub fn wipe(&mut self) {
        self.0.zeroize();
        self.0.clear();
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        // Not constant-time: secrets are only compared in tests and never against attacker input.
        self.0.as_slice() == other.0.as_slice()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret::from_slice(&[0xAB, 0xCD, 0xEF]);
        let printed = format!("{s:?}");
        assert_eq!(printed, "Secret(<3 bytes redacted>)");
        assert!(!printed.to_lowercase().contains("ab"));
    }

    #[test]
    fn wipe_empties_the_secret() {
        let mut s = Secret::from_slice(b"12345678901234567890");
        s.wipe();
        assert!(s.is_empty());
    }
}
