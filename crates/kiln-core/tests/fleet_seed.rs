//! Fresh seeds come from the injected randomness source, at the HMAC's output length.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::Algorithm;
use kiln_core::fleet::{RandomSource, RandomUnavailable, fresh_seed, fresh_seed_len};

/// A deterministic source: bytes 1, 2, 3, … (wrapping), continuing across calls.
struct Counting(u8);

impl RandomSource for Counting {
    fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable> {
        for b in bytes {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
        Ok(())
    }
}

struct Broken;

impl RandomSource for Broken {
    fn fill(&mut self, _: &mut [u8]) -> Result<(), RandomUnavailable> {
        Err(RandomUnavailable)
    }
}

/// A source that "succeeds" without writing anything.
struct Silent;

impl RandomSource for Silent {
    fn fill(&mut self, _: &mut [u8]) -> Result<(), RandomUnavailable> {
        Ok(())
    }
}

#[test]
fn sha1_seeds_are_20_bytes_and_sha256_seeds_32() {
    assert_eq!(fresh_seed_len(Algorithm::Sha1), 20);
    assert_eq!(fresh_seed_len(Algorithm::Sha256), 32);
    let mut random = Counting(0);
    let sha1 = fresh_seed(Algorithm::Sha1, &mut random).unwrap();
    let sha256 = fresh_seed(Algorithm::Sha256, &mut random).unwrap();
    assert_eq!(sha1.expose(), (1..=20).collect::<Vec<u8>>());
    assert_eq!(sha256.expose(), (21..=52).collect::<Vec<u8>>());
}

#[test]
fn a_failing_source_gives_no_seed() {
    assert_eq!(
        fresh_seed(Algorithm::Sha1, &mut Broken),
        Err(RandomUnavailable)
    );
}

#[test]
fn a_source_that_wrote_nothing_gives_no_seed() {
    assert_eq!(
        fresh_seed(Algorithm::Sha256, &mut Silent),
        Err(RandomUnavailable)
    );
    assert!(kiln_core::fleet::AuditKey::generate(&mut Silent).is_err());
}

#[test]
fn the_message_says_nothing_was_written() {
    assert!(
        RandomUnavailable
            .to_string()
            .contains("Nothing was written")
    );
}
