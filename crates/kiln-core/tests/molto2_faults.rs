//! Molto2 sessions when things go wrong: the ▲ button pressed or not, the device unplugged or
//! silent mid-session, odd status words. The report must match what the simulated device holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod molto2_support;

use kiln_core::Secret;
use kiln_core::molto2::{
    CustomerKey, Failure, Outcome, ProfileNumber, ProfileSettings, Replace, Session, Step,
    StepStatus, SyncTarget, Title,
};
use kiln_sim::molto2::{Button, Ins, Profile, SimMolto2};
use kiln_sim::token::Fault;
use kiln_sim::{Card, CardReply};
use molto2_support::{ins_sent, run};
use zeroize::Zeroizing;

const NOW: u64 = 1_800_000_000;
const SERIAL: &str = "202600000001234";
const SEED: &[u8] = b"a new seed, 24 bytes!!!!";

fn p(n: u8) -> ProfileNumber {
    ProfileNumber::new(n).unwrap()
}

fn burn(profile: u8) -> Session {
    Session::burn(
        &CustomerKey::factory_default(),
        p(profile),
        &Secret::from_slice(SEED),
        Title::new("Work").unwrap(),
        ProfileSettings::default(),
        Replace::No,
    )
    .unwrap()
}

fn with_one_profile(button: Button) -> SimMolto2 {
    SimMolto2::new(SERIAL, NOW)
        .with_button(button)
        .with_customer_key(b"old key")
        .with_profile(
            4,
            Profile {
                title: b"Keep".to_vec(),
                seed: Some(Zeroizing::new(b"kept seed, 20 bytes!".to_vec())),
                ..Profile::default()
            },
        )
}

#[test]
fn factory_reset_is_never_reported_done_pressed_or_not() {
    for button in [Button::PressedWhenAsked, Button::NotPressed] {
        let mut device = with_one_profile(button);
        let report = run(&mut device, Session::factory_reset(), NOW);
        assert_eq!(report.outcome(), Outcome::NotConfirmed, "{button:?}");
        assert_eq!(
            report.status_of(Step::FactoryReset),
            Some(StepStatus::AwaitingButton)
        );
        let summary = report.summary();
        assert!(
            summary.contains("▲") && summary.contains("Not confirmed"),
            "{summary}"
        );
        assert_eq!(ins_sent(&device), [0x41, 0x56]);
        let reset = device.profile(4).unwrap().seed.is_none();
        assert_eq!(reset, button == Button::PressedWhenAsked, "{button:?}");
        assert_eq!(device.button_pending(), button == Button::NotPressed);
    }
}

#[test]
fn a_key_change_commits_only_on_the_button() {
    let old = CustomerKey::parse("old key").unwrap();
    let new = CustomerKey::parse("hex:00112233").unwrap();
    let sync = |key: &CustomerKey| Session::sync_time(key, SyncTarget::One(p(0)));

    let mut not_pressed = with_one_profile(Button::NotPressed);
    let report = run(
        &mut not_pressed,
        Session::change_key(&old, new.clone()),
        NOW,
    );
    assert_eq!(report.outcome(), Outcome::NotConfirmed);
    assert_eq!(
        run(&mut not_pressed, sync(&old), NOW).outcome(),
        Outcome::Success
    );

    let mut pressed = with_one_profile(Button::PressedWhenAsked);
    let report = run(&mut pressed, Session::change_key(&old, new.clone()), NOW);
    assert_eq!(report.outcome(), Outcome::NotConfirmed);
    assert_eq!(
        run(&mut pressed, sync(&new), NOW).outcome(),
        Outcome::Success
    );
    assert_eq!(ins_sent(&pressed)[..4], [0x41, 0x4B, 0xCE, 0xD7]);
}

#[test]
fn unplugged_after_the_title_write_matches_what_the_device_holds() {
    let mut device = SimMolto2::new(SERIAL, NOW);
    device.inject(Ins::WriteTitle, Fault::RemovedAfterExecuting);
    let report = run(&mut device, burn(9), NOW);
    assert_eq!(report.outcome(), Outcome::Unknown);
    assert_eq!(
        report.status_of(Step::WriteSeed(p(9))),
        Some(StepStatus::Done)
    );
    assert_eq!(
        report.status_of(Step::WriteTitle(p(9))),
        Some(StepStatus::Unknown)
    );
    assert_eq!(
        report.status_of(Step::WriteConfig(p(9))),
        Some(StepStatus::NotSent)
    );
    let summary = report.summary();
    assert!(summary.contains("write the seed of profile 9"), "{summary}");
    assert!(summary.contains("without a clear answer"), "{summary}");
    // What the device holds: the seed (done), the title (it was executed: "unknown" covers it),
    // and the default settings (config never sent).
    let held = device.profile(9).unwrap();
    assert_eq!(held.seed.as_deref().map(Vec::as_slice), Some(SEED));
    assert_eq!(held.title, b"Work");
    assert_eq!(held.digits, 6);
    assert_eq!(device.received().len(), 6);
}

#[test]
fn unplugged_before_the_seed_write_leaves_the_profile_empty_and_says_unknown() {
    let mut device = SimMolto2::new(SERIAL, NOW);
    device.inject(Ins::WriteSeed, Fault::RemovedBeforeExecuting);
    let report = run(&mut device, burn(9), NOW);
    assert_eq!(report.outcome(), Outcome::Unknown);
    assert_eq!(
        report.status_of(Step::WriteSeed(p(9))),
        Some(StepStatus::Unknown)
    );
    assert_eq!(
        report.status_of(Step::WriteTitle(p(9))),
        Some(StepStatus::NotSent)
    );
    assert!(device.profile(9).unwrap().seed.is_none());
    assert!(!device.present());
}

#[test]
fn a_silent_config_write_or_a_status_after_executing_is_unknown() {
    for fault in [
        Fault::MuteAfterExecuting,
        Fault::StatusAfterExecuting(0x6581),
    ] {
        let mut device = SimMolto2::new(SERIAL, NOW);
        device.inject(Ins::WriteConfig, fault.clone());
        let report = run(&mut device, burn(1), NOW);
        assert_eq!(report.outcome(), Outcome::Unknown, "{fault:?}");
        assert_eq!(
            report.status_of(Step::WriteConfig(p(1))),
            Some(StepStatus::Unknown)
        );
    }
}

#[test]
fn a_refused_write_stops_and_a_garbled_read_writes_nothing() {
    let mut device = SimMolto2::new(SERIAL, NOW);
    device.inject(Ins::WriteSeed, Fault::Status(0x6982));
    let report = run(&mut device, burn(2), NOW);
    assert_eq!(report.outcome(), Outcome::Failed);
    assert!(matches!(
        report.failure,
        Some(Failure::Refused {
            step: Step::WriteSeed(_),
            ..
        })
    ));
    assert!(report.summary().contains("Nothing was written"));
    assert!(device.profile(2).unwrap().seed.is_none());

    let mut garbled = SimMolto2::new(SERIAL, NOW);
    garbled.inject(Ins::Read, Fault::Status(0x9000)); // GET INFO without data
    let report = run(&mut garbled, burn(2), NOW);
    assert!(matches!(report.failure, Some(Failure::UnreadableInfo(_))));
    assert_eq!(ins_sent(&garbled), [0x41]);
}

#[test]
fn the_device_rejects_a_profile_read_with_le_as_the_spec_says() {
    let mut device = SimMolto2::new(SERIAL, NOW);
    let reply = device.transmit(&[0x80, 0x41, 0x00, 0x03, 0x01, 0x70, 0x00]);
    assert_eq!(reply, CardReply::Reply(vec![0x6F, 0xFB]));
    let CardReply::Reply(ok) = device.transmit(&[0x80, 0x41, 0x00, 0x03, 0x01, 0x70]) else {
        panic!("no reply");
    };
    assert_eq!(ok.len(), 35);
}
