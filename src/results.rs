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
    /// The token's serial. While no token is identified (reader unplugged, token being read
    /// again or taken off to check its code), the app's current subject names the token read
    /// last: a token that was only forgotten was not replaced.
    pub serial: Option<String>,
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
    /// The value while `now` is still its subject.
    fn if_about(&self, now: Option<&Subject>) -> Option<T> {
        (now == Some(&self.subject)).then(|| self.value.clone())
    }
}

/// The burn and verify results, and the subject they are checked against. `Copy`: handles.
#[derive(Clone, Copy)]
pub struct Results {
    /// What the app holds now, when it holds an account.
    subject: Memo<Option<Subject>>,
    token: RwSignal<Option<TokenFacts>>,
    /// The serial of the token read last (kept when the token is forgotten).
    identified: RwSignal<Option<String>>,
    token_changes: RwSignal<u32>,
    burn_record: RwSignal<Option<Bound<BurnState>>>,
    verify_record: RwSignal<Option<Bound<CodeVerdict>>>,
    /// The burn as it concerns the current account, token and settings (`Idle` when the last
    /// burn was about something else). A running burn is always shown: it is what happens now.
    pub burn: Memo<BurnState>,
    /// True when the current account, token and settings were burned successfully.
    burned: Memo<bool>,
    /// The verdict on a code typed for the current, successfully burned subject.
    pub verify: Memo<Option<CodeVerdict>>,
}

fn subject_of(
    account: Option<&TotpAccount>,
    serial: Option<String>,
    display: DisplayTimeout,
    token_changes: u32,
) -> Option<Subject> {
    let account = account?;
    Some(Subject {
        serial,
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
        let identified = RwSignal::new(None::<String>);
        let subject = Memo::new(move |_| {
            let serial = token
                .with(|t| t.as_ref().map(|t| t.info.serial.clone()))
                .or_else(|| identified.get());
            account.with(|account| {
                subject_of(account.as_ref(), serial, display.get(), token_changes.get())
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
        let burned = Memo::new(move |_| burn.with(is_success));
        // A verdict is about the burn it checked: shown only while that burn is the current one.
        let verify = Memo::new(move |_| {
            if !burned.get() {
                return None;
            }
            let burned_subject =
                burn_record.with(|record| record.as_ref().map(|r| r.subject.clone()));
            verify_record.with(|record| {
                record
                    .as_ref()
                    .filter(|r| Some(&r.subject) == burned_subject.as_ref())
                    .map(|r| r.value)
            })
        });
        Results {
            subject,
            token,
            identified,
            token_changes,
            burn_record,
            verify_record,
            burn,
            burned,
            verify,
        }
    }

    /// What the app holds now (untracked), for a result about to be made: `None` unless it
    /// holds both an account and an identified token.
    pub fn subject_now(&self) -> Option<Subject> {
        if self.token.with_untracked(Option::is_none) {
            return None;
        }
        self.subject.get_untracked()
    }

    /// A token was identified: from now on, results are about it (or stale).
    pub fn note_identified(&self, serial: &str) {
        self.identified.set(Some(serial.to_string()));
    }

    /// The serial of the token of the current successful burn (reactive).
    pub fn burned_serial(&self) -> Option<String> {
        if !self.burned.get() {
            return None;
        }
        self.burn_record.with(|record| {
            record
                .as_ref()
                .and_then(|record| record.subject.serial.clone())
        })
    }

    /// True when the current account, token and settings were burned successfully (reactive):
    /// what opens Verify and Done.
    pub fn burned(&self) -> bool {
        self.burned.get()
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

    /// Records the verdict on a code typed from the token of the current successful burn.
    pub fn record_verdict(&self, verdict: CodeVerdict) {
        if !self.burned.get_untracked() {
            return;
        }
        let subject = self
            .burn_record
            .with_untracked(|record| record.as_ref().map(|r| r.subject.clone()));
        if let Some(subject) = subject {
            self.verify_record.set(Some(Bound {
                subject,
                value: verdict,
            }));
        }
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
                .filter(|r| r.subject.serial.as_deref() == Some(serial))
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
