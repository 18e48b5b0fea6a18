//! The audit log: one row per attempt, including failed and replaced ones, and never a secret.
//! Each seed appears only as its [`SecretFingerprint`](super::fingerprint::SecretFingerprint)
//! under the batch key, so two exports of the batch can be matched up without revealing seeds.
//!
//! CSV columns (CRLF line ends, like the Entra CSV):
//! `attempt,time,serial,model,algorithm,period,display timeout,upn,outcome,reason,check,
//! export row,replaced by,secret fingerprint`. The JSON form is an array of objects with the
//! same values in camelCase (`exportRow`, `replacedBy`: numbers or null).

use serde::Serialize;

use super::csv_write::{CsvWriter, LineEnding};
use super::export::ExportError;
use super::ledger::{Attempt, CodeCheck, Ledger};
use super::time::rfc3339_utc;

/// The audit CSV header.
pub const AUDIT_CSV_HEADER: &str = "attempt,time,serial,model,algorithm,period,display timeout,\
upn,outcome,reason,check,export row,replaced by,secret fingerprint";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    attempt: usize,
    time: String,
    serial: &'a str,
    model: &'a str,
    algorithm: &'a str,
    period: u64,
    display_timeout: u32,
    upn: Option<&'a str>,
    outcome: &'a str,
    reason: Option<&'a str>,
    check: &'a str,
    export_row: Option<usize>,
    replaced_by: Option<usize>,
    secret_fingerprint: String,
}

fn check_code(check: CodeCheck) -> &'static str {
    match check {
        CodeCheck::Unchecked => "unchecked",
        CodeCheck::Matched => "matched",
        CodeCheck::Mismatched => "mismatched",
    }
}

fn entry<'a>(ledger: &Ledger, attempt: &'a Attempt) -> Entry<'a> {
    Entry {
        attempt: attempt.id.number(),
        time: rfc3339_utc(attempt.unix_time),
        serial: &attempt.serial,
        model: attempt.model.name(),
        algorithm: attempt.settings.algorithm.name(),
        period: attempt.settings.period.seconds(),
        display_timeout: attempt.settings.display.seconds(),
        upn: attempt.user.as_ref().map(|u| u.upn.as_str()),
        outcome: attempt.outcome.code(),
        reason: attempt.outcome.reason(),
        check: check_code(attempt.check),
        export_row: ledger.export_row(attempt.id),
        replaced_by: attempt.replaced_by.map(|id| id.number()),
        secret_fingerprint: ledger.audit_key().fingerprint(&attempt.secret).to_string(),
    }
}

/// The audit log as CSV.
pub fn audit_csv(ledger: &Ledger) -> String {
    let mut writer = CsvWriter::new(LineEnding::Crlf, 256 * (ledger.attempts().len() + 1));
    writer.record(&AUDIT_CSV_HEADER.split(',').collect::<Vec<_>>());
    let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    for attempt in ledger.attempts() {
        let e = entry(ledger, attempt);
        writer.record(&[
            &e.attempt.to_string(),
            &e.time,
            e.serial,
            e.model,
            e.algorithm,
            &e.period.to_string(),
            &e.display_timeout.to_string(),
            e.upn.unwrap_or(""),
            e.outcome,
            e.reason.unwrap_or(""),
            e.check,
            &number(e.export_row),
            &number(e.replaced_by),
            &e.secret_fingerprint,
        ]);
    }
    writer.finish().to_string()
}

/// The audit log as JSON (an array, pretty-printed, final line break).
pub fn audit_json(ledger: &Ledger) -> Result<String, ExportError> {
    let entries: Vec<Entry<'_>> = ledger.attempts().iter().map(|a| entry(ledger, a)).collect();
    let mut json = serde_json::to_string_pretty(&entries).map_err(|_| ExportError::Json)?;
    json.push('\n');
    Ok(json)
}
