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
    /// When it ended (UTC, RFC 3339).
    pub time: String,
    /// `success`, `failed` or `unknown` (test hook).
    pub outcome: &'static str,
    /// The outcome in words.
    pub outcome_text: String,
    /// The later row that replaced it.
    pub replaced_by: Option<usize>,
    /// The quick check.
    pub check: CodeCheck,
    /// True when it goes into the Entra and Graph files.
    pub exported: bool,
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
            outcome_text: match &a.outcome {
                AttemptOutcome::Success => "Success".to_string(),
                AttemptOutcome::Failed { reason } | AttemptOutcome::NothingWritten { reason } => {
                    format!("Failed: {reason}")
                }
                AttemptOutcome::Unknown { reason } => {
                    format!("Unknown — burn again: {reason}")
                }
            },
            replaced_by: a.replaced_by.map(|r| r.number()),
            check: a.check,
            exported: a.is_exported(),
        })
        .collect()
}
