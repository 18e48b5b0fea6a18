//! Seed validation and the exact bytes that go on the wire.
//!
//! Decision (protocol §5.1): seeds shorter than 20 bytes are **zero-extended to 20 bytes**
//! before padding and encryption, as the vendor's Python tool and TOTPtokutil do. HMAC pads every
//! key with zeros up to its 64-byte block, so `K` and `K ‖ 00…00` give identical codes (RFC 2104);
//! extending only guards against firmware that might expect at least 20 bytes. Seeds of 20 to 63
//! bytes are sent as they are.

use core::fmt;
use zeroize::Zeroizing;

use crate::secret::Secret;

/// Shortest seed the wire format carries.
pub const MIN_SEED_LEN: usize = 1;
/// Longest seed the wire format carries (it pads to 64 bytes).
pub const MAX_SEED_LEN: usize = 63;
/// Seeds shorter than this are zero-extended to it.
pub const ZERO_EXTEND_TO: usize = 20;

/// A seed checked against the wire limits, in its wire form (zero-extended when short).
pub struct SeedBytes(Zeroizing<Vec<u8>>);

impl SeedBytes {
    /// Checks the length and builds the wire form, zero-extended to 20 bytes when shorter.
    pub fn new(secret: &Secret) -> Result<SeedBytes, SeedError> {
        let mut wire = SeedBytes::without_extension(secret)?;
        if wire.0.len() < ZERO_EXTEND_TO {
            wire.0.resize(ZERO_EXTEND_TO, 0x00);
        }
        Ok(wire)
    }

    /// Checks the length and keeps the seed exactly as given (what Token2's Android app sends).
    /// Kiln's sessions use [`SeedBytes::new`]; this exists to reproduce published vectors.
    pub fn without_extension(secret: &Secret) -> Result<SeedBytes, SeedError> {
        let len = secret.len();
        if len < MIN_SEED_LEN {
            return Err(SeedError::Empty);
        }
        if len > MAX_SEED_LEN {
            return Err(SeedError::TooLong { len });
        }
        let mut wire = Zeroizing::new(Vec::with_capacity(ZERO_EXTEND_TO.max(len)));
        wire.extend_from_slice(secret.expose());
        Ok(SeedBytes(wire))
    }

    /// The bytes that get padded and encrypted.
    pub fn wire_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SeedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SeedBytes(<{} bytes redacted>)", self.0.len())
    }
}

/// A seed the token cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedError {
    /// No seed bytes at all.
    Empty,
    /// More than 63 bytes.
    TooLong {
        /// The length given.
        len: usize,
    },
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Empty => f.write_str("The secret is empty. Scan or paste the secret again."),
            SeedError::TooLong { len } => write!(
                f,
                "The secret is {len} bytes long; Token2 tokens hold at most {MAX_SEED_LEN} bytes. \
                 This secret cannot be burned into a token."
            ),
        }
    }
}
