//! The two CSV seed-list formats: Entra's hardware-token CSV and `upn,secret`.

use super::csv_read::{CsvError, CsvRecord, header_key, read_csv};
use super::problem::{ListProblem, ProblemReason, shorten};
use super::seed_list::{Reading, RefusedKeys, SeedRow, classify_secret};
use super::users::looks_like_upn;
use crate::params::Period;
use crate::token::Model;

/// Entra's columns, as its header spells them; Kiln reads the first four.
const ENTRA_COLUMNS: [&str; 6] = [
    "upn",
    "serial number",
    "secret key",
    "time interval",
    "manufacturer",
    "model",
];

/// Reads `upn,serial number,secret key,time interval,manufacturer,model`. Columns are found by
/// name (any case and spacing); manufacturer and model are not needed, because the serial
/// number says which token it is.
pub(crate) fn read_entra_csv(text: &str, out: &mut Reading) {
    let records = read_csv(text);
    let problems = &mut out.problems;
    let Some(header) = first_record(&records, problems) else {
        return;
    };
    let keys: Vec<String> = header.fields.iter().map(|f| header_key(f)).collect();
    let mut columns = [None; 4];
    for (slot, name) in columns.iter_mut().zip(ENTRA_COLUMNS) {
        *slot = keys.iter().position(|k| *k == header_key(name));
        if slot.is_none() {
            problems.push(ListProblem {
                line: header.line,
                reason: ProblemReason::MissingColumn { column: name },
            });
        }
    }
    let [
        Some(upn_at),
        Some(serial_at),
        Some(secret_at),
        Some(interval_at),
    ] = columns
    else {
        return;
    };
    for record in data_records(&records[1..], problems) {
        let mut reasons = Vec::new();
        if has_extra_values(record, keys.len()) {
            reasons.push(ProblemReason::ExtraValues {
                expected: keys.len(),
            });
        }
        let upn = optional_upn(record.field(upn_at), &mut reasons);
        let serial = optional_serial(record.field(serial_at), &mut reasons);
        let interval = record.field(interval_at).trim();
        let period = interval.parse::<u64>().ok().and_then(Period::from_seconds);
        if period.is_none() {
            reasons.push(ProblemReason::BadInterval {
                value: shorten(interval),
            });
        }
        let account = classify_secret(record.field(secret_at), true)
            .map_err(|reason| reasons.push(reason))
            .ok();
        match (account, period) {
            (Some(mut account), Some(period)) if reasons.is_empty() => {
                account.period = period;
                out.rows.push(SeedRow {
                    line: record.line,
                    upn,
                    serial,
                    account,
                });
            }
            (account, _) => {
                push_all(problems, record.line, reasons);
                out.refused.push(RefusedKeys {
                    line: record.line,
                    serial,
                    secret: account.map(|a| a.secret),
                });
            }
        }
    }
}

/// Reads `upn,secret`. The header line is optional; the secret may be in any form the wizard
/// takes.
pub(crate) fn read_upn_secret_csv(text: &str, out: &mut Reading) {
    let records = read_csv(text);
    let problems = &mut out.problems;
    let skip_header = matches!(records.first(), Some(Ok(first)) if is_upn_secret_header(first));
    let data = if skip_header {
        &records[1..]
    } else {
        &records[..]
    };
    for record in data_records(data, problems) {
        let mut reasons = Vec::new();
        if has_extra_values(record, 2) {
            reasons.push(ProblemReason::ExtraValues { expected: 2 });
        }
        let upn = optional_upn(record.field(0), &mut reasons);
        match classify_secret(record.field(1), false) {
            Ok(account) if reasons.is_empty() => out.rows.push(SeedRow {
                line: record.line,
                upn,
                serial: None,
                account,
            }),
            Ok(account) => {
                push_all(problems, record.line, reasons);
                out.refused.push(RefusedKeys {
                    line: record.line,
                    serial: None,
                    secret: Some(account.secret),
                });
            }
            Err(reason) => {
                reasons.push(reason);
                push_all(problems, record.line, reasons);
            }
        }
    }
}

/// True when a record has non-blank values beyond `columns` (blank ones are spreadsheet noise).
fn has_extra_values(record: &CsvRecord, columns: usize) -> bool {
    record
        .fields
        .iter()
        .skip(columns)
        .any(|f| !f.trim().is_empty())
}

fn is_upn_secret_header(record: &CsvRecord) -> bool {
    let first = header_key(record.field(0));
    let second = header_key(record.field(1));
    matches!(
        first.as_str(),
        "upn" | "user" | "email" | "mail" | "userprincipalname"
    ) && matches!(second.as_str(), "secret" | "secretkey" | "seed" | "key")
}

/// The header record, or a problem saying the file is empty or its first line is damaged.
fn first_record<'a>(
    records: &'a [Result<CsvRecord, CsvError>],
    problems: &mut Vec<ListProblem>,
) -> Option<&'a CsvRecord> {
    match records.first() {
        Some(Ok(record)) => Some(record),
        Some(Err(error)) => {
            problems.push(csv_problem(*error));
            None
        }
        None => {
            problems.push(ListProblem {
                line: 1,
                reason: ProblemReason::EmptyList,
            });
            None
        }
    }
}

/// The readable records; each damaged one becomes a problem.
fn data_records<'a>(
    records: &'a [Result<CsvRecord, CsvError>],
    problems: &mut Vec<ListProblem>,
) -> Vec<&'a CsvRecord> {
    let mut out = Vec::new();
    for record in records {
        match record {
            Ok(record) => out.push(record),
            Err(error) => problems.push(csv_problem(*error)),
        }
    }
    out
}

fn csv_problem(error: CsvError) -> ListProblem {
    ListProblem {
        line: error.line(),
        reason: ProblemReason::Csv(error),
    }
}

fn push_all(problems: &mut Vec<ListProblem>, line: usize, reasons: Vec<ProblemReason>) {
    problems.extend(
        reasons
            .into_iter()
            .map(|reason| ListProblem { line, reason }),
    );
}

/// An empty cell means "no user"; anything else must be a UPN.
fn optional_upn(cell: &str, reasons: &mut Vec<ProblemReason>) -> Option<String> {
    let upn = cell.trim();
    if upn.is_empty() {
        return None;
    }
    if !looks_like_upn(upn) {
        reasons.push(ProblemReason::BadUser {
            value: shorten(upn),
        });
    }
    Some(upn.to_string())
}

/// An empty cell means "any token"; anything else must be a serial Kiln can program.
fn optional_serial(cell: &str, reasons: &mut Vec<ProblemReason>) -> Option<String> {
    let serial = cell.trim();
    if serial.is_empty() {
        return None;
    }
    if Model::from_serial(serial).is_none() {
        reasons.push(ProblemReason::UnsupportedSerial {
            serial: shorten(serial),
        });
    }
    Some(serial.to_string())
}
