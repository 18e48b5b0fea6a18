//! What a Molto2 operation did, bound to what it is about: the Molto2 (serial), the profile
//! and, for a burn, the account. A result is shown only while the panel still shows that
//! Molto2 (and, for a burn, the wizard still holds that account).

use kiln_core::molto2::{Outcome, Report};
use kiln_core::otp::AccountFingerprint;

/// What a result is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultSubject {
    /// The serial of the Molto2 the operation was sent to.
    pub serial: String,
    /// The profile (`None`: all profiles, for a clock sync).
    pub profile: Option<u8>,
    /// The burned account, for a burn.
    pub account: Option<AccountFingerprint>,
}

/// The tone of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// Every command acknowledged.
    Done,
    /// Stopped; Kiln knows the Molto2 is as the summary says.
    Failed,
    /// A write without a clear answer, or waiting for the ▲ button: state unknown.
    Unknown,
}

impl ResultKind {
    /// The kind for a report: success only when every status word was `90 00`.
    pub fn of(report: &Report) -> ResultKind {
        match report.outcome() {
            Outcome::Success => ResultKind::Done,
            Outcome::Failed => ResultKind::Failed,
            Outcome::Unknown | Outcome::NotConfirmed => ResultKind::Unknown,
        }
    }

    /// The test hook's name.
    pub fn id(self) -> &'static str {
        match self {
            ResultKind::Done => "done",
            ResultKind::Failed => "failed",
            ResultKind::Unknown => "unknown",
        }
    }
}

/// One operation's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationResult {
    /// What it is about.
    pub subject: ResultSubject,
    /// How it went.
    pub kind: ResultKind,
    /// The headline ("Burned into profile 3").
    pub title: String,
    /// kiln-core's plain summary (the same sentences as `kiln molto2`).
    pub text: String,
}

impl OperationResult {
    /// True while `serial` (the table shown) and `account` (the wizard's) are its subject.
    pub fn is_about(&self, serial: Option<&str>, account: Option<AccountFingerprint>) -> bool {
        serial == Some(self.subject.serial.as_str())
            && (self.subject.account.is_none() || self.subject.account == account)
    }
}
