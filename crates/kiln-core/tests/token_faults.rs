//! The fault matrix: every step × {no reply, removal, every documented refusal, an error status
//! answered after executing (63xx, 6581, 6F00, undocumented), garbage} on restricted and
//! unrestricted models. A burn with a fault is never reported as a success, and what the report
//! says the token holds always includes what the simulated token really holds: never "nothing
//! changed" when the token changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod sim_direct;

use kiln_core::token::{
    Outcome, SeedState, Session, SettingsState, Step, StepStatus, TokenSettings,
};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret};
use kiln_sim::token::{Fault, Ins, SimToken, StoredSettings};
use sim_direct::{run, seed_bytes};

const NOW: u64 = 1_790_000_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum SeedTruth {
    Old,
    New,
    None,
}

/// The status words docs/protocol.md (§2.6 and "Kiln's decisions") says a token answers when it
/// refuses a write without executing it: wrong MAC, security status, conditions of use, wrong
/// length, bad data, unknown instruction, unknown class.
const DOCUMENTED_REFUSALS: [u16; 7] = [0x6983, 0x6982, 0x6985, 0x6700, 0x6A80, 0x6D00, 0x6E00];

/// Error statuses a token may send after it executed the command: ISO 7816-4 warnings and
/// execution errors with memory changed (63xx, 65xx), "no precise diagnosis" (6F00), and words
/// the protocol does not document.
const AFTER_EXECUTING: [u16; 6] = [0x6300, 0x63C2, 0x6581, 0x6F00, 0x6A86, 0x9123];

fn faults() -> Vec<Fault> {
    let mut faults = vec![
        Fault::MuteBeforeExecuting,
        Fault::MuteAfterExecuting,
        Fault::RemovedBeforeExecuting,
        Fault::RemovedAfterExecuting,
        // An undocumented status answered without executing: still "unknown" for a write.
        Fault::Status(0x6F00),
        Fault::GarbageBeforeExecuting(vec![0x12, 0x34, 0x56]),
        Fault::GarbageAfterExecuting(vec![0x12, 0x34, 0x56]),
        Fault::GarbageAfterExecuting(vec![0xDE, 0xAD, 0x90, 0x00]),
        Fault::GarbageAfterExecuting(vec![0x90]),
        Fault::GarbageAfterExecuting(vec![]),
    ];
    faults.extend(DOCUMENTED_REFUSALS.map(Fault::Status));
    faults.extend(AFTER_EXECUTING.map(Fault::StatusAfterExecuting));
    faults
}

/// True when the fault's reply is an ISO 7816-4 warning or error (SW1 62..6F).
fn iso_error(fault: &Fault) -> bool {
    matches!(fault, Fault::Status(sw) | Fault::StatusAfterExecuting(sw) if (0x6200..=0x6FFF).contains(sw))
}

/// True when the fault's reply is a status word the spec says means "refused, not executed".
fn documented_refusal(fault: &Fault) -> bool {
    matches!(fault, Fault::Status(sw) if DOCUMENTED_REFUSALS.contains(sw))
}

fn step_of(ins: Ins) -> Step {
    match ins {
        Ins::GetInfo => Step::ReadInfo,
        Ins::GetChallenge => Step::GetChallenge,
        Ins::AnswerChallenge => Step::Authenticate,
        Ins::WriteConfig => Step::WriteConfig,
        Ins::WriteSeed => Step::WriteSeed,
    }
}

fn allowed(state: SeedState) -> &'static [SeedTruth] {
    match state {
        SeedState::Unchanged => &[SeedTruth::Old],
        SeedState::New => &[SeedTruth::New],
        SeedState::Erased => &[SeedTruth::None],
        SeedState::NewOrUnchanged => &[SeedTruth::New, SeedTruth::Old],
        SeedState::NewOrErased => &[SeedTruth::New, SeedTruth::None],
        SeedState::ErasedOrUnchanged => &[SeedTruth::None, SeedTruth::Old],
    }
}

#[test]
fn no_fault_is_ever_reported_as_success_and_the_report_matches_the_token() {
    let old = b"the old seed, 23 byte".to_vec();
    let new_settings = TokenSettings {
        algorithm: Algorithm::Sha256,
        period: Period::S60,
        display: DisplayTimeout::S120,
    };
    let mut cases = 0;
    for serial in ["8659622000123", "8659600000001"] {
        for ins in Ins::ALL {
            for fault in faults() {
                let mut token = SimToken::new(serial, NOW)
                    .with_seed(&old, StoredSettings::default())
                    .with_clock_offset(-400);
                token.inject(ins, fault.clone());
                let new = seed_bytes(26, cases);
                let secret = Secret::new(new.clone());
                let report = run(&mut token, Session::burn(&secret, new_settings).unwrap(), 0);
                let label = format!("{serial} {ins:?} {fault:?}: {}", report.summary());

                assert_ne!(report.outcome(), Outcome::Success, "{label}");

                let truth = match token.seed() {
                    Some(s) if s == old.as_slice() => SeedTruth::Old,
                    Some(s) if s == new.as_slice() => SeedTruth::New,
                    None => SeedTruth::None,
                    Some(other) => panic!("unexpected seed {other:02X?} in {label}"),
                };
                assert!(
                    allowed(report.seed_state()).contains(&truth),
                    "report says {:?}, token holds {truth:?}: {label}",
                    report.seed_state()
                );
                let settings_changed = token.clock_offset() != -400;
                match report.settings_state() {
                    SettingsState::Updated => assert!(settings_changed, "{label}"),
                    SettingsState::Unchanged => assert!(!settings_changed, "{label}"),
                    SettingsState::UpdatedOrUnchanged => {}
                }

                // The faulty step is the last one attempted; later steps were never sent.
                let faulty = step_of(ins);
                let position = report.steps.iter().position(|(s, _)| *s == faulty).unwrap();
                assert!(
                    report.steps[position + 1..]
                        .iter()
                        .all(|(_, status)| *status == StepStatus::NotSent),
                    "{label}"
                );
                let status = report.steps[position].1;
                let silent_or_garbled = matches!(
                    fault,
                    Fault::MuteBeforeExecuting
                        | Fault::MuteAfterExecuting
                        | Fault::RemovedBeforeExecuting
                        | Fault::RemovedAfterExecuting
                        | Fault::GarbageBeforeExecuting(_)
                        | Fault::GarbageAfterExecuting(_)
                );
                // A write's effect is unknown unless the token sent a documented refusal; a
                // command that stores nothing is refused by any ISO 7816 error status (SW1
                // 62..6F), and anything else is not an answer.
                let effect_unknown = silent_or_garbled
                    || if faulty.is_write() {
                        !documented_refusal(&fault)
                    } else {
                        !iso_error(&fault)
                    };
                if effect_unknown {
                    assert_eq!(status, StepStatus::Unknown, "{label}");
                } else {
                    assert!(matches!(status, StepStatus::Refused(_)), "{label}");
                }
                // "Unknown" overall exactly when a write's effect is unknown.
                assert_eq!(
                    report.outcome() == Outcome::Unknown,
                    faulty.is_write() && effect_unknown,
                    "{label}"
                );
                // Never "nothing changed" when the token changed.
                if truth != SeedTruth::Old || settings_changed {
                    assert!(!report.summary().contains("exactly as it was"), "{label}");
                }
                assert!(!report.summary().is_empty());
                cases += 1;
            }
        }
    }
    assert_eq!(
        cases,
        2 * 5 * (10 + DOCUMENTED_REFUSALS.len() + AFTER_EXECUTING.len()) as u64
    );
}

#[test]
fn a_lost_seed_write_on_a_restricted_model_says_the_old_seed_is_gone() {
    let mut token = SimToken::new("8659622000123", NOW)
        .with_seed(b"0123456789abcdefghij", StoredSettings::default());
    token.inject(Ins::WriteSeed, Fault::RemovedBeforeExecuting);
    let secret = Secret::new(seed_bytes(20, 77));
    let report = run(
        &mut token,
        Session::burn(&secret, TokenSettings::default()).unwrap(),
        0,
    );
    assert_eq!(report.outcome(), Outcome::Unknown);
    assert_eq!(report.seed_state(), SeedState::NewOrErased);
    assert_eq!(token.seed(), None);
    let summary = report.summary();
    assert!(summary.contains("erased its old seed"), "{summary}");
    assert!(summary.contains("Burn again"), "{summary}");
}

#[test]
fn a_refused_seed_write_on_a_restricted_model_says_the_token_has_no_seed() {
    let mut token = SimToken::new("8659610000001", NOW)
        .with_seed(b"0123456789abcdefghij", StoredSettings::default());
    token.inject(Ins::WriteSeed, Fault::Status(0x6A80));
    let secret = Secret::new(seed_bytes(20, 78));
    let report = run(
        &mut token,
        Session::burn(&secret, TokenSettings::default()).unwrap(),
        0,
    );
    assert_eq!(report.outcome(), Outcome::Failed);
    assert_eq!(report.seed_state(), SeedState::Erased);
    assert_eq!(token.seed(), None);
    assert!(
        report.summary().contains("has no seed now"),
        "{}",
        report.summary()
    );
}

#[test]
fn an_error_status_after_a_write_executed_says_burn_again_not_unchanged() {
    for (ins, sw) in [
        (Ins::WriteSeed, 0x63C1u16),
        (Ins::WriteSeed, 0x6581),
        (Ins::WriteConfig, 0x6300),
        (Ins::WriteConfig, 0x6F00),
    ] {
        // An unrestricted model keeps its seed on a config write, so the seed slot alone
        // cannot reveal the write; the report must still not claim nothing changed.
        let mut token = SimToken::new("8659632000001", NOW)
            .with_seed(b"0123456789abcdefghij", StoredSettings::default())
            .with_clock_offset(-400);
        token.inject(ins, Fault::StatusAfterExecuting(sw));
        let new = seed_bytes(20, 79);
        let secret = Secret::new(new.clone());
        let report = run(
            &mut token,
            Session::burn(&secret, TokenSettings::default()).unwrap(),
            0,
        );
        let summary = report.summary();
        assert_eq!(report.outcome(), Outcome::Unknown, "{summary}");
        assert!(summary.contains(&format!("{sw:04X}")), "{summary}");
        assert!(summary.to_lowercase().contains("burn again"), "{summary}");
        assert!(!summary.contains("exactly as it was"), "{summary}");
        match ins {
            Ins::WriteSeed => {
                assert_eq!(token.seed(), Some(new.as_slice()));
                assert_eq!(report.seed_state(), SeedState::NewOrUnchanged);
            }
            _ => {
                assert_ne!(token.clock_offset(), -400);
                assert_eq!(report.settings_state(), SettingsState::UpdatedOrUnchanged);
            }
        }
    }
}

#[test]
fn a_garbled_answer_to_the_authentication_never_invites_an_immediate_second_one() {
    for fault in [
        Fault::GarbageAfterExecuting(vec![0x12, 0x34, 0x56]),
        Fault::GarbageBeforeExecuting(vec![0x12, 0x34, 0x56]),
    ] {
        let mut token = SimToken::new("8659622000123", NOW)
            .with_seed(b"0123456789abcdefghij", StoredSettings::default());
        token.inject(Ins::AnswerChallenge, fault.clone());
        let secret = Secret::new(seed_bytes(20, 79));
        let report = run(
            &mut token,
            Session::burn(&secret, TokenSettings::default()).unwrap(),
            0,
        );
        assert_ne!(report.outcome(), Outcome::Success, "{fault:?}");
        assert_eq!(
            token.seed(),
            Some(&b"0123456789abcdefghij"[..]),
            "{fault:?}"
        );
        let summary = report.summary();
        assert!(!summary.contains("try again"), "{fault:?}: {summary}");
        assert!(summary.contains("read it again"), "{fault:?}: {summary}");
    }
}
