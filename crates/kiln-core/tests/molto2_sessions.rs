//! Molto2 sessions against the simulated Molto2 (kiln-sim, written from the spec): burns
//! checked by what the device then displays, the occupied-profile policy, a wrong customer key,
//! list and sync over 50 or 100 profiles, and unknown devices.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod molto2_support;

use kiln_core::molto2::{
    CustomerKey, Digits, Failure, Operation, Outcome, ProfileNumber, ProfileSettings, Replace,
    Session, Step, StepStatus, SyncTarget, Title,
};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret, otp};
use kiln_sim::molto2::crypto::totp;
use kiln_sim::molto2::{Profile, SimMolto2};
use kiln_sim::totp::Hash;
use molto2_support::{ins_sent, run};
use zeroize::Zeroizing;

const NOW: u64 = 1_800_000_000;
const SERIAL: &str = "202600000001234";

fn p(n: u8) -> ProfileNumber {
    ProfileNumber::new(n).unwrap()
}

fn burn(profile: u8, seed: &[u8], settings: ProfileSettings, replace: Replace) -> Session {
    Session::burn(
        &CustomerKey::factory_default(),
        p(profile),
        &Secret::from_slice(seed),
        Title::new("GitHub").unwrap(),
        settings,
        replace,
    )
    .unwrap()
}

fn occupied(title: &str) -> Profile {
    Profile {
        title: title.as_bytes().to_vec(),
        seed: Some(Zeroizing::new(b"the old seed 20 byte".to_vec())),
        ..Profile::default()
    }
}

#[test]
fn every_digits_algorithm_and_period_shows_the_rfc_6238_code_at_three_times() {
    let seed = b"12345678901234567890".to_vec();
    let mut device = SimMolto2::new(SERIAL, NOW);
    let mut profile = 0u8;
    for digits in [Digits::D4, Digits::D6, Digits::D8, Digits::D10] {
        for (algorithm, hash) in [
            (Algorithm::Sha1, Hash::Sha1),
            (Algorithm::Sha256, Hash::Sha256),
        ] {
            for period in [Period::S30, Period::S60] {
                let settings = ProfileSettings {
                    algorithm,
                    period,
                    digits,
                    display: DisplayTimeout::S60,
                };
                let report = run(
                    &mut device,
                    burn(profile, &seed, settings, Replace::No),
                    NOW,
                );
                assert_eq!(report.outcome(), Outcome::Success, "{}", report.summary());
                for t in [NOW + 100, NOW + 1_000_003, NOW + 86_400 * 365] {
                    let shown = device.displayed_code(profile, t).unwrap();
                    let n = u32::from(digits.count());
                    let want = totp(&seed, hash, period.seconds(), n, t);
                    assert_eq!(shown, want, "{digits:?} {algorithm:?} {period:?} at {t}");
                    // Cross-check with kiln-core's 6-digit TOTP (totp-rs): every length is the
                    // same value modulo a power of ten.
                    let six = otp::code_at(&Secret::from_slice(&seed), algorithm, period, t);
                    let k = shown.len().min(6);
                    assert_eq!(shown[shown.len() - k..], six[6 - k..]);
                }
                let stored = device.profile(profile).unwrap();
                assert_eq!(stored.title, b"GitHub");
                assert_eq!(stored.digits, digits.count());
                profile += 1;
            }
        }
    }
}

#[test]
fn every_seed_length_is_stored_and_shows_the_right_code() {
    let mut device = SimMolto2::new(SERIAL, NOW);
    for len in 1..=63usize {
        let seed: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8 | 1).collect();
        let profile = (len % 100) as u8;
        let settings = ProfileSettings::default();
        let replace = Replace::Confirmed; // profiles are reused across lengths
        let report = run(&mut device, burn(profile, &seed, settings, replace), NOW);
        assert_eq!(report.outcome(), Outcome::Success, "len {len}");
        let stored = device.profile(profile).unwrap().seed.clone().unwrap();
        let mut want = seed.clone();
        want.resize(len.max(20), 0); // Kiln zero-extends short seeds (protocol decisions)
        assert_eq!(stored.as_slice(), &want[..], "len {len}");
        let code = device.displayed_code(profile, NOW + 5).unwrap();
        assert_eq!(
            code,
            otp::code_at(&Secret::new(seed), Algorithm::Sha1, Period::S30, NOW + 5)
        );
    }
}

#[test]
fn the_burn_order_is_info_read_auth_seed_title_config() {
    let mut device = SimMolto2::new(SERIAL, NOW);
    let report = run(
        &mut device,
        burn(
            49,
            b"abcdefghij0123456789",
            ProfileSettings::default(),
            Replace::No,
        ),
        NOW,
    );
    assert_eq!(report.outcome(), Outcome::Success);
    assert_eq!(
        ins_sent(&device),
        [0x41, 0x41, 0x4B, 0xCE, 0xC5, 0xD5, 0xD4]
    );
    // The config carries the time read right before it was built.
    assert!(report.written_clock.unwrap() as u64 > NOW);
}

#[test]
fn an_occupied_profile_is_never_overwritten_without_replace() {
    let mut device = SimMolto2::new(SERIAL, NOW).with_profile(7, occupied("Mail"));
    let report = run(
        &mut device,
        burn(
            7,
            b"new seed new seed!!!",
            ProfileSettings::default(),
            Replace::No,
        ),
        NOW,
    );
    assert_eq!(report.outcome(), Outcome::Failed);
    assert_eq!(
        report.failure,
        Some(Failure::ProfileOccupied {
            profile: p(7),
            title: "Mail".into()
        })
    );
    assert!(report.summary().contains("Nothing was written"));
    assert_eq!(ins_sent(&device), [0x41, 0x41]); // GET INFO and READ PROFILE only
    let kept = device.profile(7).unwrap();
    assert_eq!(
        kept.seed.as_deref().map(Vec::as_slice),
        Some(&b"the old seed 20 byte"[..])
    );
}

#[test]
fn replace_deletes_first_then_writes_in_one_session() {
    let mut device = SimMolto2::new(SERIAL, NOW).with_profile(7, occupied("Mail"));
    let report = run(
        &mut device,
        burn(
            7,
            b"new seed new seed!!!",
            ProfileSettings::default(),
            Replace::Confirmed,
        ),
        NOW,
    );
    assert_eq!(report.outcome(), Outcome::Success, "{}", report.summary());
    assert_eq!(
        ins_sent(&device),
        [0x41, 0x41, 0xE6, 0x4B, 0xCE, 0xC5, 0xD5, 0xD4]
    );
    assert_eq!(
        report.status_of(Step::DeleteSeed(p(7))),
        Some(StepStatus::Done)
    );
    let now = device.profile(7).unwrap();
    assert_eq!(
        now.seed.as_deref().map(Vec::as_slice),
        Some(&b"new seed new seed!!!"[..])
    );
    assert_eq!(now.title, b"GitHub");
}

#[test]
fn a_wrong_customer_key_stops_at_once_and_counts_down() {
    let mut device = SimMolto2::new(SERIAL, NOW)
        .with_customer_key(b"the real key")
        .with_attempts(3);
    for remaining in [2u8, 1, 0] {
        let before = device.received().len();
        let report = run(
            &mut device,
            burn(
                0,
                b"abcdefghij0123456789",
                ProfileSettings::default(),
                Replace::No,
            ),
            NOW,
        );
        assert_eq!(report.failure, Some(Failure::WrongKey { remaining }));
        assert_eq!(report.outcome(), Outcome::Failed);
        let summary = report.summary();
        assert!(
            summary.contains(&format!("{remaining} attempt(s)")),
            "{summary}"
        );
        assert!(
            summary.contains("locks") && summary.contains("not try again"),
            "{summary}"
        );
        // Exactly one answer per session: no retry, and nothing written.
        let sent: Vec<u8> = device.received()[before..].iter().map(|a| a[1]).collect();
        assert_eq!(sent, [0x41, 0x41, 0x4B, 0xCE]);
        assert_eq!(device.attempts_left(), remaining);
    }
    assert!(device.locked());
    assert!(device.profile(0).unwrap().seed.is_none());
    // The right key now meets a locked device, which refuses it.
    let key = CustomerKey::parse("the real key").unwrap();
    let report = run(
        &mut device,
        Session::sync_time(&key, SyncTarget::One(p(0))),
        NOW,
    );
    assert_eq!(report.outcome(), Outcome::Failed);
}

#[test]
fn a_custom_key_authenticates_and_a_hex_key_means_the_same_bytes() {
    let mut device = SimMolto2::new(SERIAL, NOW)
        .with_customer_key(b"AB")
        .with_clock_offset(-300);
    let key = CustomerKey::parse("hex:4142").unwrap();
    let report = run(
        &mut device,
        Session::sync_time(&key, SyncTarget::One(p(3))),
        NOW,
    );
    assert_eq!(report.outcome(), Outcome::Success, "{}", report.summary());
    assert!(device.device_time_at(NOW).abs_diff(NOW) <= 5);
}

#[test]
fn list_reads_100_profiles_on_a_v2_and_stops_cleanly_at_50_on_a_v1() {
    let mut v2 = SimMolto2::new(SERIAL, NOW).with_profile(99, occupied("Last"));
    let report = run(&mut v2, Session::list(), NOW);
    assert_eq!(report.outcome(), Outcome::Success);
    assert_eq!(report.profiles.len(), 100);
    let (n, last) = report.profiles.last().unwrap();
    assert_eq!(
        (n.get(), last.title.as_str(), last.occupied),
        (99, "Last", true)
    );
    assert!(
        v2.received().iter().all(|a| a.len() <= 6),
        "no Le on READ PROFILE"
    );

    let mut v1 = SimMolto2::new(SERIAL, NOW).v1();
    let report = run(&mut v1, Session::list(), NOW);
    assert_eq!(report.outcome(), Outcome::Success, "{}", report.summary());
    assert_eq!(report.profiles.len(), 50);
    assert_eq!(v1.received().len(), 52); // GET INFO, 0..=49, and the refused 50
}

#[test]
fn burning_profile_50_on_a_v1_says_there_is_no_such_profile() {
    let mut v1 = SimMolto2::new(SERIAL, NOW).v1();
    let report = run(
        &mut v1,
        burn(
            50,
            b"abcdefghij0123456789",
            ProfileSettings::default(),
            Replace::No,
        ),
        NOW,
    );
    assert_eq!(
        report.failure,
        Some(Failure::NoSuchProfile { profile: p(50) })
    );
    assert_eq!(ins_sent(&v1), [0x41, 0x41]);
}

#[test]
fn sync_all_goes_through_every_profile() {
    let key = CustomerKey::factory_default();
    let mut v1 = SimMolto2::new(SERIAL, NOW).v1().with_clock_offset(900);
    let report = run(&mut v1, Session::sync_time(&key, SyncTarget::All), NOW);
    assert_eq!(report.outcome(), Outcome::Success, "{}", report.summary());
    assert_eq!(report.steps.len(), 3 + 50);
    assert!(v1.device_time_at(NOW).abs_diff(NOW) <= 60);
    let mut v2 = SimMolto2::new(SERIAL, NOW);
    let report = run(&mut v2, Session::sync_time(&key, SyncTarget::All), NOW);
    assert_eq!(report.outcome(), Outcome::Success);
    assert_eq!(report.steps.len(), 3 + 100);
}

#[test]
fn delete_removes_the_seed_and_an_empty_profile_needs_no_command() {
    let mut device = SimMolto2::new(SERIAL, NOW).with_profile(12, occupied("Bank"));
    let report = run(&mut device, Session::delete(p(12)), NOW);
    assert_eq!(report.outcome(), Outcome::Success);
    assert!(device.profile(12).unwrap().seed.is_none());
    assert_eq!(device.profile(12).unwrap().title, b"Bank"); // title and config stay
    assert_eq!(ins_sent(&device), [0x41, 0x41, 0xE6]);

    let mut empty = SimMolto2::new(SERIAL, NOW);
    let report = run(&mut empty, Session::delete(p(12)), NOW);
    assert_eq!(report.outcome(), Outcome::Success);
    assert_eq!(
        report.status_of(Step::DeleteSeed(p(12))),
        Some(StepStatus::AlreadyEmpty)
    );
    assert_eq!(ins_sent(&empty), [0x41, 0x41]);
}

#[test]
fn a_single_profile_token_or_an_unreadable_device_gets_get_info_only() {
    let mut single = SimMolto2::new("8659622000123", NOW);
    let report = run(&mut single, Session::factory_reset(), NOW);
    assert!(matches!(report.failure, Some(Failure::NotAMolto2 { .. })));
    assert_eq!(ins_sent(&single), [0x41]);

    let mut odd = SimMolto2::new("not digits", NOW);
    let report = run(
        &mut odd,
        burn(
            0,
            b"abcdefghij0123456789",
            ProfileSettings::default(),
            Replace::No,
        ),
        NOW,
    );
    assert!(matches!(report.failure, Some(Failure::UnreadableInfo(_))));
    assert_eq!(ins_sent(&odd), [0x41]);
    assert_eq!(report.operation, Operation::Burn);
}

#[test]
fn an_all_zero_seed_is_refused_before_any_session() {
    let error = Session::burn(
        &CustomerKey::factory_default(),
        p(0),
        &Secret::new(vec![0; 20]),
        Title::new("x").unwrap(),
        ProfileSettings::default(),
        Replace::No,
    )
    .unwrap_err();
    assert!(error.to_string().contains("all zero"));
}
