//! Burn every seed length the wire carries (1..63 bytes) with every algorithm and period into
//! the simulated token, then check the code its display shows against kiln-core's TOTP (a
//! separate implementation from the simulator's) at three different times.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod sim_direct;

use kiln_core::token::{Outcome, SeedState, Session, SettingsState, TokenSettings};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret, otp};
use kiln_sim::token::SimToken;
use sim_direct::{run, seed_bytes};

const BURN_TIME: u64 = 1_764_000_000; // 2025-11-24

#[test]
fn every_seed_length_and_setting_burns_and_shows_the_right_codes() {
    let mut burns = 0;
    for len in 1..=63usize {
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256] {
            for period in [Period::S30, Period::S60] {
                // Alternate a restricted model (OTPC-P2-i) and an unrestricted one (C302-i).
                let serial = if len % 2 == 0 {
                    "8659622000123"
                } else {
                    "8659632000042"
                };
                let mut token = SimToken::new(serial, BURN_TIME).with_rng_seed(len as u64);
                let seed = seed_bytes(len, burns);
                let secret = Secret::new(seed.clone());
                let settings = TokenSettings {
                    algorithm,
                    period,
                    display: DisplayTimeout::ALL[len % 4],
                };
                let report = run(&mut token, Session::burn(&secret, settings).unwrap(), 1);

                assert_eq!(
                    report.outcome(),
                    Outcome::Success,
                    "len {len}: {}",
                    report.summary()
                );
                assert_eq!(report.seed_state(), SeedState::New);
                assert_eq!(report.settings_state(), SettingsState::Updated);
                // What the token stored is the seed, zero-extended below 20 bytes.
                let stored = token.seed().unwrap().to_vec();
                assert_eq!(&stored[..len], &seed[..]);
                assert!(stored[len..].iter().all(|&b| b == 0));
                assert_eq!(stored.len(), len.max(20));
                assert_eq!(token.settings().display_code as usize, len % 4);

                for t in [BURN_TIME + 7, BURN_TIME + 86_400 * 3 + 29, 2_000_000_000] {
                    assert_eq!(
                        token.displayed_code(t).unwrap(),
                        otp::code_at(&secret, algorithm, period, t),
                        "len {len} {algorithm} {period} at {t}"
                    );
                }
                burns += 1;
            }
        }
    }
    assert_eq!(burns, 63 * 4);
}

#[test]
fn the_config_carries_the_time_read_just_before_it_is_built() {
    let mut token = SimToken::new("8659622000123", BURN_TIME).with_clock_offset(-3_600);
    let secret = Secret::new(seed_bytes(20, 1));
    // The clock advances 5 s before every read: info, challenge, answer, config → the config is
    // built at the fourth read.
    let report = run(
        &mut token,
        Session::burn(&secret, TokenSettings::default()).unwrap(),
        5,
    );
    assert_eq!(report.written_clock, Some((BURN_TIME + 20) as u32));
    // The token's clock now equals the written time at the moment it was written.
    assert_eq!(token.clock_offset(), 0);
}

#[test]
fn a_burn_sends_exactly_the_five_commands_in_order() {
    let mut token = SimToken::new("8659600123456", BURN_TIME);
    let secret = Secret::new(seed_bytes(32, 2));
    run(
        &mut token,
        Session::burn(&secret, TokenSettings::default()).unwrap(),
        0,
    );
    let ins: Vec<(u8, u8)> = token.received().iter().map(|a| (a[0], a[1])).collect();
    assert_eq!(
        ins,
        vec![
            (0x80, 0x41),
            (0x80, 0x4B),
            (0x80, 0xCE),
            (0x84, 0xD4),
            (0x84, 0xC5)
        ]
    );
}
