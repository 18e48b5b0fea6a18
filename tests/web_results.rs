//! The results model (src/results.rs) in headless Chromium: a burn and a verdict count only for
//! the account, token and settings they were made for. Reports are built here the way a
//! finished kiln-core session fills them (every step answered `90 00`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::DisplayTimeout;
use kiln_core::otp::{self, Classification, CodeVerdict, TotpAccount};
use kiln_core::token::{Model, Operation, Report, Step, StepStatus, TokenInfo};
use kiln_web::results::BurnState;
use kiln_web::state::{AppState, TokenFacts, WizardStep};
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn account(uri: &str) -> TotpAccount {
    match otp::classify(uri) {
        Classification::Totp(account) => account,
        other => panic!("not an account: {other:?}"),
    }
}

fn first() -> TotpAccount {
    account("otpauth://totp/Contoso:ana?secret=JBSWY3DPEHPK3PXP&issuer=Contoso")
}

fn second() -> TotpAccount {
    account("otpauth://totp/Fabrikam:ben?secret=GEZDGNBVGY3TQOJQ&issuer=Fabrikam")
}

fn token(serial: &str) -> TokenFacts {
    TokenFacts {
        info: TokenInfo {
            serial: serial.to_string(),
            device_time: 1_700_000_000,
        },
        model: Model::from_serial(serial).unwrap(),
        clock_offset: 0,
    }
}

fn burn_report(outcome_ok: bool) -> Report {
    let last = if outcome_ok {
        StepStatus::Done
    } else {
        StepStatus::Unknown
    };
    Report {
        operation: Operation::Burn,
        steps: vec![
            (Step::ReadInfo, StepStatus::Done),
            (Step::GetChallenge, StepStatus::Done),
            (Step::Authenticate, StepStatus::Done),
            (Step::WriteConfig, StepStatus::Done),
            (Step::WriteSeed, last),
        ],
        info: None,
        model: None,
        settings: None,
        written_clock: None,
        failure: None,
        finished: true,
    }
}

/// The Identify step read the token with `serial`.
fn read(state: &AppState, serial: &str) {
    state.results.note_identified(serial);
    state.token.set(Some(token(serial)));
}

/// An app state with `account` on an identified `serial`, burned successfully.
fn burned_state(owner: &Owner, serial: &str) -> AppState {
    owner.with(|| {
        let state = AppState::new();
        state.account.set(Some(first()));
        read(&state, serial);
        let subject = state.results.subject_now().unwrap();
        state
            .results
            .record_burn(subject, BurnState::Finished(burn_report(true)));
        state
            .results
            .record_verdict(CodeVerdict::Works { offset: 0 });
        state
    })
}

fn is_burned(state: &AppState) -> bool {
    matches!(state.results.burn.get_untracked(), BurnState::Finished(_))
}

#[wasm_bindgen_test]
fn a_burn_counts_for_its_own_account_token_and_settings_only() {
    let owner = Owner::new();
    let state = burned_state(&owner, "8659622000123");
    owner.with(|| {
        assert!(state.results.burned());
        assert!(state.reachable(WizardStep::Verify));
        assert_eq!(
            state.results.verify.get_untracked(),
            Some(CodeVerdict::Works { offset: 0 })
        );

        // Another account: nothing of the burn or the verdict is current.
        state.account.set(Some(second()));
        assert!(!is_burned(&state));
        assert!(!state.results.burned());
        assert!(!state.reachable(WizardStep::Verify));
        assert!(!state.reachable(WizardStep::Done));
        assert_eq!(state.results.verify.get_untracked(), None);
        // The same account again: the token does hold it.
        state.account.set(Some(first()));
        assert!(state.results.burned());

        // Another display timeout: the token holds other settings.
        state.display.set(DisplayTimeout::S120);
        assert!(!is_burned(&state));
        state.display.set(DisplayTimeout::default());
        assert!(state.results.burned());

        // Another token: stale, even for the same account.
        read(&state, "8659622000456");
        assert!(!is_burned(&state));
        assert!(!state.reachable(WizardStep::Verify));
    });
}

#[wasm_bindgen_test]
fn a_forgotten_token_keeps_its_result_until_another_one_is_read() {
    let owner = Owner::new();
    let state = burned_state(&owner, "8659622000123");
    owner.with(|| {
        // The reader unplugged (or the token taken off to check its code): not replaced.
        state.token.set(None);
        assert!(
            state.results.burned(),
            "what Kiln last learned about the token stands"
        );
        assert!(state.reachable(WizardStep::Verify));
        assert_eq!(
            state.results.burned_serial().as_deref(),
            Some("8659622000123")
        );
        assert!(state.results.verify.get_untracked().is_some());
        // Read again: the same token.
        read(&state, "8659622000123");
        assert!(state.results.burned());
        // Another one: stale for good.
        read(&state, "8659622000456");
        assert!(!state.results.burned());
        assert!(!state.reachable(WizardStep::Verify));
        state.token.set(None);
        assert!(
            !state.results.burned(),
            "the burn record was about the first token"
        );
    });
}

#[wasm_bindgen_test]
fn a_seed_wiping_clock_write_on_the_burned_token_makes_the_burn_stale() {
    let owner = Owner::new();
    let state = burned_state(&owner, "8659622000123");
    owner.with(|| {
        let mut time_sync = burn_report(true);
        time_sync.operation = Operation::TimeSync;
        time_sync.model = Some(Model::from_serial("8659622000123").unwrap());
        time_sync.steps = vec![
            (Step::ReadInfo, StepStatus::Done),
            (Step::GetChallenge, StepStatus::Done),
            (Step::Authenticate, StepStatus::Done),
            (Step::WriteConfig, StepStatus::Done),
        ];
        // On another token: this one is untouched.
        state.results.note_clock_write("8659622000999", &time_sync);
        assert!(state.results.burned());
        state.results.note_clock_write("8659622000123", &time_sync);
        assert!(!is_burned(&state));
        assert!(!state.results.burned());
    });
}

#[wasm_bindgen_test]
fn another_token_keeps_the_account_and_start_over_clears_everything() {
    let owner = Owner::new();
    let state = burned_state(&owner, "8659622000123");
    owner.with(|| {
        state.another_token();
        assert!(state.account.get_untracked().is_some());
        read(&state, "8659622000123");
        assert!(!is_burned(&state), "the token-bound result was cleared");
        assert_eq!(state.results.verify.get_untracked(), None);
    });
    let state = burned_state(&owner, "8659622000123");
    owner.with(|| {
        state.start_over();
        assert!(state.account.get_untracked().is_none());
        assert!(!is_burned(&state));
    });
}

#[wasm_bindgen_test]
fn an_unknown_burn_never_opens_verify() {
    let owner = Owner::new();
    owner.with(|| {
        let state = AppState::new();
        state.account.set(Some(first()));
        read(&state, "8659622000123");
        let subject = state.results.subject_now().unwrap();
        state
            .results
            .record_burn(subject, BurnState::Finished(burn_report(false)));
        assert!(is_burned(&state), "the unknown outcome is shown");
        assert!(!state.results.burned());
        assert!(!state.reachable(WizardStep::Verify));
    });
}
