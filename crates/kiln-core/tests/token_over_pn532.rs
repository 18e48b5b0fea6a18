//! Whole Token2 burns through the simulated PN532 board over its serial line, the board's
//! answers split and joined at seeded sizes: every seed length, the RFC 6238 vectors on the
//! token's display, and the line faults (noise, NACK, corrupted and stalled answers, unplug
//! mid-burn). The report must always match what the simulated token holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use kiln_core::link::LinkError;
use kiln_core::link::pn532::Pn532Link;
use kiln_core::session_runner::run_session;
use kiln_core::token::{Outcome, Report, SeedState, Session, Step, StepStatus, TokenSettings};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret, otp};
use kiln_sim::pn532::{SimPn532, SimPn532Options};
use kiln_sim::token::{Ins, SimToken, StoredSettings};
use support::serial::SerialSimPipe;

const NOW: u64 = 1_780_000_000;
const OLD_SEED: &[u8] = b"an old seed of 20 b!";

/// A board misbehaviour, armed right before a given step's command is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BoardFault {
    Noise,
    Nack,
    Corrupt,
    Stall,
    UnplugAfterCommand,
}

fn arm(board: &mut SimPn532<SimToken>, fault: BoardFault) {
    match fault {
        BoardFault::Noise => board.noise_before_next_answer(),
        BoardFault::Nack => board.nack_next_command(),
        BoardFault::Corrupt => board.corrupt_next_response(),
        BoardFault::Stall => board.stall_next_response(),
        BoardFault::UnplugAfterCommand => board.unplug_after_next_command(),
    }
}

fn token(serial: &str) -> SimToken {
    SimToken::new(serial, NOW)
        .with_seed(OLD_SEED, StoredSettings::default())
        .with_clock_offset(-90)
}

/// Runs `session` on `token` through a PN532 board whose reads are seeded by `seed`, arming
/// `fault` before `at`'s command. Returns the report (or the connect error) and the token.
fn run(
    token: SimToken,
    seed: u64,
    session: Session,
    fault: Option<(Step, BoardFault)>,
) -> (Result<Report, LinkError>, SimToken) {
    let options = SimPn532Options {
        seed,
        max_read: 1 + (seed as usize % 40),
        ..SimPn532Options::default()
    };
    let (pipe, board, _) = SerialSimPipe::new(SimPn532::with_options(token, options));
    let result = pollster::block_on(async {
        let mut link = Pn532Link::connect(pipe).await?;
        let armed = Rc::new(RefCell::new(fault));
        let observed = board.clone();
        let observe = move |report: &Report| {
            let mut armed = armed.borrow_mut();
            if let Some((step, fault)) = *armed
                && report
                    .steps
                    .iter()
                    .any(|(s, st)| *s == step && *st == StepStatus::Sending)
            {
                arm(&mut observed.borrow_mut(), fault);
                *armed = None;
            }
        };
        Ok(run_session(session, &mut link, &|| NOW, observe).await)
    });
    let token = board.borrow_mut().replace_card(SimToken::new("0", NOW));
    (result, token)
}

#[test]
fn every_seed_length_burns_through_the_pn532_board() {
    for len in 1..=63usize {
        let seed: Vec<u8> = (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(len as u8))
            .collect();
        let secret = Secret::new(seed.clone());
        let (algorithm, period) = match len % 3 {
            0 => (Algorithm::Sha256, Period::S60),
            1 => (Algorithm::Sha1, Period::S30),
            _ => (Algorithm::Sha256, Period::S30),
        };
        let settings = TokenSettings {
            algorithm,
            period,
            display: DisplayTimeout::S60,
        };
        let (report, token) = run(
            token("8659622000123"),
            len as u64,
            Session::burn(&secret, settings).unwrap(),
            None,
        );
        let report = report.unwrap();
        assert_eq!(
            report.outcome(),
            Outcome::Success,
            "len {len}: {}",
            report.summary()
        );
        assert_eq!(&token.seed().unwrap()[..len], &seed[..]);
        for t in [NOW, NOW + 45, NOW + 3_600_007] {
            assert_eq!(
                token.displayed_code(t).unwrap(),
                otp::code_at(&secret, algorithm, period, t),
                "len {len} at {t}"
            );
        }
    }
}

#[test]
fn the_token_shows_the_rfc_6238_codes_after_a_burn_over_the_board() {
    // RFC 6238 appendix B, T = 59: 94287082 (SHA-1), 46119246 (SHA-256); the token shows the
    // last six digits.
    for (seed, algorithm, code) in [
        (&b"12345678901234567890"[..], Algorithm::Sha1, "287082"),
        (
            &b"12345678901234567890123456789012"[..],
            Algorithm::Sha256,
            "119246",
        ),
    ] {
        let secret = Secret::new(seed.to_vec());
        let settings = TokenSettings {
            algorithm,
            period: Period::S30,
            display: DisplayTimeout::S60,
        };
        let (report, token) = run(
            token("8659632000001"),
            7,
            Session::burn(&secret, settings).unwrap(),
            None,
        );
        assert_eq!(report.unwrap().outcome(), Outcome::Success);
        let offset = token.clock_offset();
        let wall = (59 - offset) as u64;
        assert_eq!(token.displayed_code(wall).unwrap(), code);
    }
}

#[test]
fn recoverable_line_faults_do_not_break_a_burn_and_each_command_runs_once() {
    for fault in [BoardFault::Noise, BoardFault::Nack, BoardFault::Corrupt] {
        for step in [Step::WriteConfig, Step::WriteSeed] {
            let secret = Secret::new(b"12345678901234567890".to_vec());
            let (report, token) = run(
                token("8659600000042"),
                3,
                Session::burn(&secret, TokenSettings::default()).unwrap(),
                Some((step, fault)),
            );
            let report = report.unwrap();
            assert_eq!(
                report.outcome(),
                Outcome::Success,
                "{fault:?} {step:?}: {}",
                report.summary()
            );
            assert_eq!(token.seed(), Some(&b"12345678901234567890"[..]));
            assert_eq!(token.executed(), Ins::ALL, "{fault:?} {step:?}");
        }
    }
}

#[test]
fn a_stall_or_unplug_during_a_write_is_never_a_success_and_matches_the_token() {
    for serial in ["8659622000123", "8659632000001"] {
        for step in [Step::WriteConfig, Step::WriteSeed] {
            for fault in [BoardFault::Stall, BoardFault::UnplugAfterCommand] {
                let new = b"a brand new seed 20b".to_vec();
                let secret = Secret::new(new.clone());
                let (report, token) = run(
                    token(serial),
                    11,
                    Session::burn(&secret, TokenSettings::default()).unwrap(),
                    Some((step, fault)),
                );
                let report = report.unwrap();
                let label = format!("{serial} {step:?} {fault:?}: {}", report.summary());
                assert_eq!(report.outcome(), Outcome::Unknown, "{label}");
                let holds = token.seed();
                match report.seed_state() {
                    SeedState::NewOrErased => {
                        assert!(holds.is_none() || holds == Some(&new[..]), "{label}")
                    }
                    SeedState::NewOrUnchanged => assert!(
                        holds == Some(OLD_SEED) || holds == Some(&new[..]),
                        "{label}"
                    ),
                    SeedState::ErasedOrUnchanged => {
                        assert!(holds.is_none() || holds == Some(OLD_SEED), "{label}")
                    }
                    SeedState::Unchanged => {
                        assert!(
                            serial.starts_with("8659632") && step == Step::WriteConfig,
                            "{label}"
                        );
                        assert_eq!(holds, Some(OLD_SEED), "{label}");
                    }
                    other => panic!("{other:?} is not an uncertain state: {label}"),
                }
            }
        }
    }
}
