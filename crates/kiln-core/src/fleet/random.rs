//! Where a batch's randomness comes from. kiln-core has no random number generator of its own:
//! the page passes one backed by `crypto.getRandomValues`, the CLI one backed by the operating
//! system, and tests a deterministic one, so every fresh seed is reproducible in a test and never
//! produced by anything weaker than the platform's CSPRNG in the product.

use core::fmt;

/// A source of cryptographically secure random bytes, implemented outside kiln-core.
pub trait RandomSource {
    /// Fills `bytes` entirely with random bytes, or says it could not.
    fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable>;
}

/// The platform could not give random bytes (the OS generator failed, or the page has no
/// `crypto.getRandomValues`). No seed is made from partial output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomUnavailable;

impl fmt::Display for RandomUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "This computer's random number generator did not answer, so no new seed was made. \
             Nothing was written to the token. Try again; if it keeps failing, use another \
             browser or computer.",
        )
    }
}
