//! The sessions other than a plain burn, and the safety rules around them: unknown models get
//! nothing but GET INFO, a swapped token is never written, authentication is never retried, and a
//! time sync on a seed-wiping model needs the user's acknowledgement.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod sim_direct;

use kiln_core::token::{
    Failure, Model, Outcome, SeedState, SeedWipe, Session, SettingsState, Step, StepStatus,
    TokenError, TokenSettings,
};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret, otp};
use kiln_sim::token::{Fault, Ins, SimToken, StoredSettings};
use kiln_sim::totp::Hash;
use sim_direct::{run, seed_bytes};

const NOW: u64 = 1_800_000_000;
const GET_INFO: [u8; 7] = [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11];

fn old_seed() -> Vec<u8> {
    b"old seed old seed!!!".to_vec()
}

fn token_with_old_seed(serial: &str) -> SimToken {
    SimToken::new(serial, NOW)
        .with_seed(&old_seed(), StoredSettings::default())
        .with_clock_offset(-400)
}

#[test]
fn identify_reads_serial_model_and_clock_with_get_info_only() {
    let mut token = token_with_old_seed("8659622000123");
    let report = run(&mut token, Session::identify(), 0);
    assert_eq!(report.outcome(), Outcome::Success);
    let info = report.info.unwrap();
    assert_eq!(info.serial, "8659622000123");
    assert_eq!(info.clock_offset(NOW), -400);
    assert_eq!(report.model, Some(Model::OtpcP2I));
    assert_eq!(token.received(), [GET_INFO.to_vec()]);
}

#[test]
fn an_unknown_serial_prefix_gets_nothing_but_get_info() {
    for serial in ["8659699000001", "1234567890123", "8659633000001"] {
        let mut token = SimToken::new(serial, NOW);
        let secret = Secret::new(seed_bytes(20, 9));
        for session in [
            Session::burn(&secret, TokenSettings::default()).unwrap(),
            Session::time_sync(TokenSettings::default(), SeedWipe::Acknowledged),
            Session::seed_only(&secret).unwrap(),
            Session::identify(),
        ] {
            let report = run(&mut token, session, 0);
            assert_eq!(report.outcome(), Outcome::Failed);
            assert_eq!(
                report.failure,
                Some(Failure::UnknownModel {
                    serial: serial.to_string()
                })
            );
            assert_eq!(report.seed_state(), SeedState::Unchanged);
        }
        assert!(
            token.received().iter().all(|apdu| *apdu == GET_INFO),
            "{serial}"
        );
        assert_eq!(token.received().len(), 4);
    }
}

#[test]
fn a_different_token_on_the_reader_is_not_written() {
    let mut token = token_with_old_seed("8659622000999");
    let secret = Secret::new(seed_bytes(20, 3));
    let session = Session::burn(&secret, TokenSettings::default())
        .unwrap()
        .expect_serial("8659622000123");
    let report = run(&mut token, session, 0);
    assert!(matches!(
        report.failure,
        Some(Failure::DifferentToken { .. })
    ));
    assert_eq!(token.received(), [GET_INFO.to_vec()]);
    assert_eq!(token.seed(), Some(&old_seed()[..]));
}

#[test]
fn a_refused_authentication_is_never_retried() {
    // The host receives a corrupted challenge (the token generated a different one), so its
    // answer is wrong. An old firmware locks after one failure.
    let mut token = token_with_old_seed("8659622000123").with_lockout_after(1);
    let fake = vec![1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00];
    token.inject(Ins::GetChallenge, Fault::GarbageAfterExecuting(fake));
    let secret = Secret::new(seed_bytes(20, 4));
    let report = run(
        &mut token,
        Session::burn(&secret, TokenSettings::default()).unwrap(),
        0,
    );
    assert_eq!(
        report.failure,
        Some(Failure::Refused {
            step: Step::Authenticate,
            error: TokenError::AuthRefused
        })
    );
    assert_eq!(report.outcome(), Outcome::Failed);
    assert_eq!(report.seed_state(), SeedState::Unchanged);
    let answers = token.received().iter().filter(|a| a[1] == 0xCE).count();
    assert_eq!(answers, 1, "authentication must not be retried");
    assert!(token.locked());
    assert!(
        report.summary().contains("will not try again"),
        "{}",
        report.summary()
    );

    // A second, user-started burn on the locked token fails the same way and writes nothing.
    let report = run(
        &mut token,
        Session::burn(&secret, TokenSettings::default()).unwrap(),
        0,
    );
    assert!(matches!(
        report.failure,
        Some(Failure::Refused {
            step: Step::Authenticate,
            ..
        })
    ));
    assert_eq!(token.seed(), Some(&old_seed()[..]));
}

#[test]
fn time_sync_on_a_model_that_keeps_its_seed_sets_the_clock_only() {
    let mut token = token_with_old_seed("8659632000042"); // C302-i
    let settings = TokenSettings {
        algorithm: Algorithm::Sha1,
        period: Period::S30,
        display: DisplayTimeout::S120,
    };
    let report = run(
        &mut token,
        Session::time_sync(settings, SeedWipe::NotAcknowledged),
        0,
    );
    assert_eq!(report.outcome(), Outcome::Success, "{}", report.summary());
    assert_eq!(report.seed_state(), SeedState::Unchanged);
    assert_eq!(report.settings_state(), SettingsState::Updated);
    assert_eq!(token.clock_offset(), 0);
    assert_eq!(token.seed(), Some(&old_seed()[..]));
    assert_eq!(token.settings().display_code, 3);
}

#[test]
fn time_sync_on_a_seed_wiping_model_needs_an_acknowledgement() {
    let mut token = token_with_old_seed("8659601000007"); // miniOTP-3-i
    let report = run(
        &mut token,
        Session::time_sync(TokenSettings::default(), SeedWipe::NotAcknowledged),
        0,
    );
    assert_eq!(
        report.failure,
        Some(Failure::SeedWipeNotAcknowledged {
            model: Model::MiniOtp3I
        })
    );
    assert_eq!(token.received(), [GET_INFO.to_vec()]);
    assert_eq!(token.seed(), Some(&old_seed()[..]));

    let report = run(
        &mut token,
        Session::time_sync(TokenSettings::default(), SeedWipe::Acknowledged),
        0,
    );
    assert_eq!(report.outcome(), Outcome::Success);
    assert_eq!(report.seed_state(), SeedState::Erased);
    assert_eq!(token.seed(), None);
    assert_eq!(token.clock_offset(), 0);
    assert!(
        report.summary().contains("erased its seed"),
        "{}",
        report.summary()
    );
}

#[test]
fn seed_only_keeps_the_clock_and_settings() {
    let mut token = SimToken::new("8659621000001", NOW)
        .with_seed(
            &old_seed(),
            StoredSettings {
                hash: Hash::Sha256,
                step_seconds: 60,
                display_code: 2,
            },
        )
        .with_clock_offset(17);
    let secret = Secret::new(seed_bytes(32, 5));
    let report = run(&mut token, Session::seed_only(&secret).unwrap(), 0);
    assert_eq!(report.outcome(), Outcome::Success);
    assert_eq!(report.seed_state(), SeedState::New);
    assert_eq!(report.settings_state(), SettingsState::Unchanged);
    assert_eq!(token.clock_offset(), 17);
    assert_eq!(token.settings().step_seconds, 60);
    let t = NOW + 1_000;
    assert_eq!(
        token.displayed_code(t).unwrap(),
        otp::code_at(&secret, Algorithm::Sha256, Period::S60, t + 17)
    );
}

#[test]
fn seeds_outside_the_wire_limits_are_refused_before_any_session() {
    assert!(Session::burn(&Secret::new(vec![]), TokenSettings::default()).is_err());
    assert!(Session::burn(&Secret::new(vec![7; 64]), TokenSettings::default()).is_err());
    assert!(Session::seed_only(&Secret::new(vec![7; 63])).is_ok());
}

#[test]
fn a_session_is_not_fooled_by_calls_out_of_order() {
    let mut session = Session::identify();
    session.on_reply(&[0x90, 0x00]); // stray reply before anything was sent: ignored
    let first = session.next(NOW);
    assert!(matches!(first, kiln_core::token::Next::Send(_)));
    // Asking again without reporting the reply: the step becomes unknown and the session ends.
    assert!(matches!(session.next(NOW), kiln_core::token::Next::Done));
    let report = session.report();
    assert_eq!(report.failure, Some(Failure::OutOfOrder));
    assert_eq!(report.steps, vec![(Step::ReadInfo, StepStatus::Unknown)]);
    assert_ne!(report.outcome(), Outcome::Success);
}

#[test]
fn debug_output_never_contains_the_seed() {
    let secret = Secret::new(b"\x42SECRETSEEDBYTES!!!!".to_vec());
    let mut session = Session::burn(&secret, TokenSettings::default()).unwrap();
    let printed = format!("{session:?}");
    assert!(!printed.contains("SECRETSEED"));
    assert!(!printed.contains("53454352")); // "SECR" in hex
    let mut token = SimToken::new("8659622000123", NOW);
    // Drive to the seed command and print it.
    let mut link_cmds = Vec::new();
    while let kiln_core::token::Next::Send(cmd) = session.next(NOW) {
        link_cmds.push(format!("{cmd:?}"));
        match kiln_sim::Card::transmit(&mut token, cmd.bytes()) {
            kiln_sim::CardReply::Reply(r) => session.on_reply(&r),
            other => panic!("{other:?}"),
        }
    }
    assert!(
        link_cmds.last().unwrap().contains("redacted"),
        "{link_cmds:?}"
    );
}
