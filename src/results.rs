//! Results bound to their subject. A burn and a verify verdict are about one token, one account
//! and one set of settings; they count only while the app still holds exactly those. Any change
//! (another account typed, scanned or picked, another token read, other settings, a write from
//! the Set-clock tool that may have erased the seed) makes them stale, and a stale result is
//! never shown as the current state. Everything that reads a result goes through the memos here,
//! so no view can forget the check.

use kiln_core::DisplayTimeout;
use kiln_core::otp::{AccountFingerprint, CodeVerdict, TotpAccount};
use kiln_core::token::{Outcome, Report, SeedState, SettingsState, TokenSettings};
use leptos::prelude::*;

use crate::state::TokenFacts;

/// What a result is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The token's serial.
    pub serial: String,
    /// The account, without its secret.
    pub account: AccountFingerprint,
    /// The settings a burn writes (the display timeout is the user's choice; algorithm and
    /// period come from the account).
    pub settings: TokenSettings,
    /// How many times the Set-clock tool changed what this token holds since it was read: a
    /// seed-wiping clock write makes an earlier burn stale although the serial is the same.
    pub token_changes: u32,
}

/// The state of the burn step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BurnState {
    /// Nothing started (or the last burn was about something else).
    #[default]
    Idle,
    /// Running; the snapshot shows which steps are done.
    Working(Report),
    /// Finished (any outcome).
    Finished(Report),
}

/// A result and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bound<T> {
    subject: Subject,
    value: T,
}

impl<T: Clone> Bound<T> {
    fn if_about(&self, subject: Option<&Subject>) -> Option<T> {
        (subject == Some(&self.subject)).then(|| self.value.clone())
    }
}

/// The burn and verify results, and the subject they are checked against. `Copy`: handles.
#[derive(Clone, Copy)]
pub struct Results {
    /// What the app holds now, when it holds an account and an identified token.
    subject: Memo<Option<Subject>>,
    token_changes: RwSignal<u32>,
    burn_record: RwSignal<Option<Bound<BurnState>>>,
    verify_record: RwSignal<Option<Bound<CodeVerdict>>>,
    /// The burn as it concerns the current account, token and settings (`Idle` when the last
    /// burn was about something else). A running burn is always shown: it is what happens now.
    pub burn: Memo<BurnState>,
    /// The verdict on a code typed for the current, successfully burned subject.
    pub verify: Memo<Option<CodeVerdict>>,
}

fn subject_of(
    account: Option<&TotpAccount>,
    token: Option<&TokenFacts>,
    display: DisplayTimeout,
    token_changes: u32,
) -> Option<Subject> {
    let (account, token) = (account?, token?);
    Some(Subject {
        serial: token.info.serial.clone(),
        account: account.fingerprint(),
        settings: TokenSettings {
            algorithm: account.algorithm,
            period: account.period,
            display,
        },
        token_changes,
    })
}

impl Results {
    /// Results derived from the app's account, token and display signals.
    pub fn new(
        account: RwSignal<Option<TotpAccount>>,
        token: RwSignal<Option<TokenFacts>>,
        display: RwSignal<DisplayTimeout>,
    ) -> Results {
        let token_changes = RwSignal::new(0);
        let subject = Memo::new(move |_| {
            account.with(|account| {
                token.with(|token| {
                    subject_of(
                        account.as_ref(),
                        token.as_ref(),
                        display.get(),
                        token_changes.get(),
                    )
                })
            })
        });
        let burn_record = RwSignal::new(None::<Bound<BurnState>>);
        let verify_record = RwSignal::new(None::<Bound<CodeVerdict>>);
        let burn = Memo::new(move |_| {
            burn_record.with(|record| match record {
                Some(Bound {
                    value: running @ BurnState::Working(_),
                    ..
                }) => running.clone(),
                Some(record) => subject
                    .with(|now| record.if_about(now.as_ref()))
                    .unwrap_or_default(),
                None => BurnState::Idle,
            })
        });
        let verify = Memo::new(move |_| {
            let burned = burn.with(is_success);
            let verdict = verify_record.with(|record| {
                record
                    .as_ref()
                    .and_then(|record| subject.with(|now| record.if_about(now.as_ref())))
            });
            verdict.filter(|_| burned)
        });
        Results {
            subject,
            token_changes,
            burn_record,
            verify_record,
            burn,
            verify,
        }
    }

    /// What the app holds now (untracked), for a result about to be made.
    pub fn subject_now(&self) -> Option<Subject> {
        self.subject.get_untracked()
    }

    /// The serial of the token the current burn is about (reactive).
    pub fn subject_serial(&self) -> Option<String> {
        self.subject
            .with(|subject| subject.as_ref().map(|s| s.serial.clone()))
    }

    /// True when the current account, token and settings were burned successfully (reactive).
    pub fn burned(&self) -> bool {
        self.burn.with(is_success)
    }

    /// Records the burn (progress or outcome) for `subject`; any earlier verdict is dropped.
    pub fn record_burn(&self, subject: Subject, state: BurnState) {
        if matches!(state, BurnState::Working(_)) {
            self.verify_record.set(None);
        }
        self.burn_record.set(Some(Bound {
            subject,
            value: state,
        }));
    }

    /// A burn that did not start after all: nothing to show.
    pub fn forget_burn(&self) {
        self.burn_record.set(None);
    }

    /// Records the verdict on a typed code for `subject`.
    pub fn record_verdict(&self, subject: Subject, verdict: CodeVerdict) {
        self.verify_record.set(Some(Bound {
            subject,
            value: verdict,
        }));
    }

    /// The typed code changed: the verdict was about the old one.
    pub fn clear_verdict(&self) {
        self.verify_record.set(None);
    }

    /// Forgets every result ("Burn another token", "Start over").
    pub fn clear(&self) {
        self.burn_record.set(None);
        self.verify_record.set(None);
    }

    /// The Set-clock tool wrote to the token with `serial`. If that may have erased the seed or
    /// changed the settings a burn wrote, an earlier burn of that token no longer holds.
    pub fn note_clock_write(&self, serial: &str, report: &Report) {
        let burned_settings = self.burn_record.with_untracked(|record| {
            record
                .as_ref()
                .filter(|r| r.subject.serial == serial)
                .map(|r| r.subject.settings)
        });
        let Some(burned_settings) = burned_settings else {
            return;
        };
        let seed_touched = report.seed_state() != SeedState::Unchanged;
        let settings_changed = report.settings_state() != SettingsState::Unchanged
            && report.settings != Some(burned_settings);
        if seed_touched || settings_changed {
            self.token_changes.update(|n| *n = n.wrapping_add(1));
        }
    }
}

fn is_success(burn: &BurnState) -> bool {
    matches!(burn, BurnState::Finished(report) if report.outcome() == Outcome::Success)
}
