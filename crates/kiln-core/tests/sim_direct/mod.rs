//! Glue for tests: the simulated token as a `Link`, as if a perfect reader sat between them.
#![allow(dead_code)]

use std::cell::Cell;

use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::session_runner::run_session;
use kiln_core::token::{Report, Session};
use kiln_sim::token::SimToken;
use kiln_sim::{Card, CardReply};

/// Passes APDUs straight to the card. A silent card or one that left the field during the
/// exchange gives `NoReply`: the command reached it, its effect is unknown.
pub struct DirectLink<'a> {
    pub token: &'a mut SimToken,
    /// Simulated wall-clock time, shared with the session's clock.
    pub now: Option<&'a Cell<u64>>,
}

impl Link for DirectLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        if let Some(now) = self.now {
            self.token.set_wall_time(now.get());
        }
        if !self.token.present() {
            return Err(LinkError::NotSent(LinkFault::NoToken));
        }
        match self.token.transmit(apdu) {
            CardReply::Reply(bytes) => Ok(bytes),
            CardReply::Mute => Err(LinkError::NoReply(LinkFault::TokenMute)),
            CardReply::Removed => Err(LinkError::NoReply(LinkFault::TokenRemoved)),
        }
    }
}

/// Runs a session against the token. The clock starts at the token's simulated wall time and
/// advances by `tick` seconds before every read (to prove the config takes the latest time); the
/// token's wall clock follows the last value read.
pub fn run(token: &mut SimToken, session: Session, tick: u64) -> Report {
    let start = token.wall_time();
    let now = Cell::new(start);
    let clock = || {
        let t = now.get() + tick;
        now.set(t);
        t
    };
    let mut link = DirectLink {
        token,
        now: Some(&now),
    };
    pollster::block_on(run_session(session, &mut link, &clock, |_| {}))
}

/// A deterministic pseudo-random seed of `len` bytes (xorshift), different per `salt`.
pub fn seed_bytes(len: usize, salt: u64) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ len as u64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
