//! The page's source of seeds: `crypto.getRandomValues`, the browser's CSPRNG. kiln-core has no
//! generator of its own ([`RandomSource`]); when the browser has none, no seed is made.

use kiln_core::fleet::{RandomSource, RandomUnavailable};

/// The largest request `getRandomValues` accepts at once (Web Crypto, §10.1.1).
const MAX_PER_CALL: usize = 65_536;

/// `crypto.getRandomValues` of the page's window.
pub struct CryptoRandom;

impl RandomSource for CryptoRandom {
    fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable> {
        let crypto = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .ok_or(RandomUnavailable)?;
        for chunk in bytes.chunks_mut(MAX_PER_CALL) {
            crypto
                .get_random_values_with_u8_array(chunk)
                .map_err(|_| RandomUnavailable)?;
        }
        Ok(())
    }
}
