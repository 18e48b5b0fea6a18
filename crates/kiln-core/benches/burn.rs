//! Host-side cost of a whole burn: building and checking every command of a Burn session
//! (SM4 answer, config MAC, seed padding/encryption/MAC, reply checks), with the token replaced
//! by canned replies so only Kiln's own work is timed.
//!
//! Run: `cargo bench -p kiln-core --bench burn`. Prints the median time per burn.
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic fails the bench

use std::hint::black_box;
use std::time::Instant;

use kiln_core::Secret;
use kiln_core::token::{Next, Session, TokenSettings};

const INFO_REPLY: &[u8] = &[
    0x95, 0x15, 0x02, 0x0D, 0x38, 0x36, 0x35, 0x39, 0x36, 0x32, 0x32, 0x30, 0x30, 0x30, 0x31, 0x32,
    0x33, 0x11, 0x04, 0x65, 0x53, 0xF0, 0xF0, 0x90, 0x00,
];
const CHALLENGE_REPLY: &[u8] = &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x90, 0x00];
const OK: &[u8] = &[0x90, 0x00];

fn one_burn(secret: &Secret) -> usize {
    let mut session = Session::burn(secret, TokenSettings::default()).expect("valid seed");
    let mut sent = 0;
    while let Next::Send(command) = session.next(1_700_000_000) {
        let reply = match sent {
            0 => INFO_REPLY,
            1 => CHALLENGE_REPLY,
            _ => OK,
        };
        black_box(command.bytes());
        session.on_reply(reply);
        sent += 1;
    }
    assert!(session.report().outcome() == kiln_core::token::Outcome::Success);
    sent
}

fn main() {
    let secret = Secret::new((0u8..20).collect());
    assert_eq!(one_burn(&secret), 5, "a burn is five APDUs");
    let iterations = 2_000;
    let mut samples = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(one_burn(black_box(&secret)));
        }
        samples.push(start.elapsed().as_nanos() as f64 / f64::from(iterations));
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "burn (5 APDUs, 20-byte seed): median {:.1} µs per burn, min {:.1} µs, max {:.1} µs over {} × {} burns",
        median / 1000.0,
        samples[0] / 1000.0,
        samples[samples.len() - 1] / 1000.0,
        samples.len(),
        iterations
    );
}
