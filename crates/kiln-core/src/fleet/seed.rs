//! Fresh seeds for the "new seeds" way into a batch: as long as the HMAC's output (20 bytes for
//! SHA-1, 32 for SHA-256), the length RFC 4226 §4 recommends and Entra expects.

use zeroize::Zeroizing;

use super::random::{RandomSource, RandomUnavailable};
use crate::params::Algorithm;
use crate::secret::Secret;

/// Seed length in bytes for `algorithm`: the size of its HMAC output.
pub fn fresh_seed_len(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::Sha1 => 20,
        Algorithm::Sha256 => 32,
    }
}

/// A new random seed for `algorithm`, read from `random`.
///
/// An all-zero result is refused as [`RandomUnavailable`]: with 160 or 256 random bits it
/// cannot happen by chance, so it means the source wrote nothing.
pub fn fresh_seed(
    algorithm: Algorithm,
    random: &mut dyn RandomSource,
) -> Result<Secret, RandomUnavailable> {
    let mut bytes = Zeroizing::new(vec![0u8; fresh_seed_len(algorithm)]);
    random.fill(&mut bytes)?;
    if bytes.iter().all(|b| *b == 0) {
        return Err(RandomUnavailable);
    }
    Ok(Secret::from_slice(&bytes))
}
