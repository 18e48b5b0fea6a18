//! `burns(n)`: runs `n` complete Burn sessions against canned token replies (the same loop as
//! crates/kiln-core/benches/burn.rs) and returns the number of APDUs sent. The caller times it.

use kiln_core::Secret;
use kiln_core::token::{Next, Outcome, Session, TokenSettings};
use wasm_bindgen::prelude::*;

const INFO_REPLY: &[u8] = &[
    0x95, 0x15, 0x02, 0x0D, 0x38, 0x36, 0x35, 0x39, 0x36, 0x32, 0x32, 0x30, 0x30, 0x30, 0x31, 0x32,
    0x33, 0x11, 0x04, 0x65, 0x53, 0xF0, 0xF0, 0x90, 0x00,
];
const CHALLENGE_REPLY: &[u8] = &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x90, 0x00];
const OK: &[u8] = &[0x90, 0x00];

/// Runs `n` burns; returns the APDUs sent in total (5 per burn), or 0 if one failed.
#[wasm_bindgen]
pub fn burns(n: u32) -> u32 {
    let secret = Secret::new((0u8..20).collect());
    let mut sent = 0u32;
    for _ in 0..n {
        let Ok(mut session) = Session::burn(&secret, TokenSettings::default()) else {
            return 0;
        };
        let mut step = 0;
        while let Next::Send(command) = session.next(1_700_000_000) {
            let _ = command.bytes();
            session.on_reply(match step {
                0 => INFO_REPLY,
                1 => CHALLENGE_REPLY,
                _ => OK,
            });
            step += 1;
        }
        if session.report().outcome() != Outcome::Success {
            return 0;
        }
        sent += step;
    }
    sent
}
