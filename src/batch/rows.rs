//! The results table: one row per attempt, without secrets.

use kiln_core::fleet::{AttemptOutcome, CodeCheck, Ledger, rfc3339_utc};

/// One attempt as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowView {
    /// Attempt number, from 1.
    pub number: usize,
    /// Token serial.
    pub serial: String,
    /// Model name.
    pub model: String,
    /// The user's UPN, if any.
    pub user: Option<String>,
    /// When it ended (UTC, RFC 3339; the table shows the time of day).
    pub time: String,
    /// `success`, `failed` or `unknown` (test hook).
    pub outcome: &'static str,
    /// The outcome in a few words.
    pub outcome_label: &'static str,
    /// Why it failed or is unknown.
    pub reason: Option<String>,
    /// The later row that replaced it.
    pub replaced_by: Option<usize>,
    /// The quick check.
    pub check: CodeCheck,
    /// True when it goes into the Entra and Graph files.
    pub exported: bool,
    /// Seconds per code (for the hand-out).
    pub period: u64,
    /// Seconds the display stays on (for the hand-out).
    pub display: u32,
}

/// The table of `ledger`.
pub fn rows(ledger: &Ledger) -> Vec<RowView> {
    ledger
        .attempts()
        .iter()
        .map(|a| RowView {
            number: a.id.number(),
            serial: a.serial.clone(),
            model: a.model.name().to_string(),
            user: a.user.as_ref().map(|u| u.upn.clone()),
            time: rfc3339_utc(a.unix_time),
            outcome: a.outcome.code(),
            outcome_label: match &a.outcome {
                AttemptOutcome::Success => "Success",
                AttemptOutcome::Failed { .. } => "Failed",
                AttemptOutcome::NothingWritten { .. } => "Failed, nothing written",
                AttemptOutcome::Unknown { .. } => "Unknown — burn again",
            },
            reason: a.outcome.reason().map(str::to_string),
            replaced_by: a.replaced_by.map(|r| r.number()),
            check: a.check,
            exported: a.is_exported(),
            period: a.settings.period.seconds(),
            display: a.settings.display.seconds(),
        })
        .collect()
}
