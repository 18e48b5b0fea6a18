//! The "list of seeds" way into a batch: a file the operator loads, checked line by line with
//! the wizard's own classifier before any token is touched. Three formats:
//!
//! * [`SeedListFormat::EntraCsv`] — `upn,serial number,secret key,time interval,manufacturer,
//!   model` (Base32 secrets; the CSV has no hash column, so SHA-1);
//! * [`SeedListFormat::UpnSecretCsv`] — `upn,secret`, header optional, the secret in any form
//!   the wizard takes (Base32, `hex:…`, an `otpauth://` link);
//! * [`SeedListFormat::OtpauthLinks`] — one `otpauth://` link per line; blank lines and lines
//!   starting with `#` are skipped.
//!
//! A row that names a serial number may only go to that token (see [`super::binding`]). Two
//! rows with the same serial or the same secret are refused, naming both lines.

use std::collections::HashMap;

use super::problem::{ListProblem, ListRefused, ProblemReason};
use super::seed_list_csv::{read_entra_csv, read_upn_secret_csv};
use crate::otp::{self, Classification, SecretEncoding, TotpAccount, classify};
use crate::secret::Secret;

/// Which kind of file a seed list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeedListFormat {
    /// Entra's hardware-token CSV.
    EntraCsv,
    /// Two columns: user and secret.
    UpnSecretCsv,
    /// One `otpauth://` link per line.
    OtpauthLinks,
}

/// One usable row of a seed list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRow {
    /// The line it came from.
    pub line: usize,
    /// The user the token is for, when the row names one.
    pub upn: Option<String>,
    /// The only token that may take this row, when the row names one.
    pub serial: Option<String>,
    /// Secret and settings, as the wizard would burn them.
    pub account: TotpAccount,
}

/// A checked seed list: every row is usable and no serial or secret appears twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedList {
    format: SeedListFormat,
    rows: Vec<SeedRow>,
}

impl SeedList {
    /// Reads a seed list, recognising its format ([`detect_format`]).
    pub fn parse(text: &str) -> Result<SeedList, ListRefused> {
        SeedList::parse_as(text, detect_format(text))
    }

    /// Reads a seed list in a given format. All lines are checked; any problem refuses the list.
    pub fn parse_as(text: &str, format: SeedListFormat) -> Result<SeedList, ListRefused> {
        let mut reading = Reading::default();
        match format {
            SeedListFormat::EntraCsv => read_entra_csv(text, &mut reading),
            SeedListFormat::UpnSecretCsv => read_upn_secret_csv(text, &mut reading),
            SeedListFormat::OtpauthLinks => read_links(text, &mut reading),
        }
        let Reading {
            rows,
            mut problems,
            refused,
        } = reading;
        if rows.is_empty() && problems.is_empty() {
            problems.push(ListProblem {
                line: 1,
                reason: ProblemReason::EmptyList,
            });
        }
        find_duplicates(&rows, &refused, &mut problems);
        if problems.is_empty() {
            Ok(SeedList { format, rows })
        } else {
            Err(ListRefused::new(problems))
        }
    }

    /// The format the list was read as.
    pub fn format(&self) -> SeedListFormat {
        self.format
    }

    /// The rows, in file order.
    pub fn rows(&self) -> &[SeedRow] {
        &self.rows
    }

    /// Wipes every secret and empties the list.
    pub fn wipe(&mut self) {
        for row in &mut self.rows {
            row.account.secret.wipe();
        }
        self.rows.clear();
    }
}

/// The format of a seed list: links when the first line with content starts with `otpauth`,
/// Entra's CSV when the first line has `serial number` and `secret key` columns, else
/// `upn,secret`.
pub fn detect_format(text: &str) -> SeedListFormat {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if first
        .get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("otpauth"))
    {
        return SeedListFormat::OtpauthLinks;
    }
    let keys: Vec<String> = first
        .split(',')
        .map(|f| super::csv_read::header_key(f.trim_matches('"')))
        .collect();
    if keys.iter().any(|k| k == "serialnumber") && keys.iter().any(|k| k == "secretkey") {
        SeedListFormat::EntraCsv
    } else {
        SeedListFormat::UpnSecretCsv
    }
}

/// Classifies one secret cell with the wizard's classifier. With `base32_only` the cell is read
/// as Base32 whatever it looks like (Entra's format says so); positions in errors count from the
/// cell's first character.
pub(crate) fn classify_secret(cell: &str, base32_only: bool) -> Result<TotpAccount, ProblemReason> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Err(ProblemReason::MissingSecret);
    }
    let classification = if base32_only {
        otp::classify_secret(cell, SecretEncoding::Base32)
    } else {
        classify(cell)
    };
    let advice = match classification {
        Classification::Totp(account) => return Ok(account),
        Classification::Migration(_) => "This is a Google Authenticator export, which can hold \
            many accounts. A row holds one account: write each account as its own otpauth:// \
            link, or burn it with the wizard."
            .to_string(),
        Classification::NotASecret(not) => not.advice,
        Classification::Refused(refusal) => refusal.advice,
        Classification::Invalid(error) => error.to_string(),
    };
    Err(ProblemReason::Secret { advice })
}

/// What the readers collect: usable rows, problems, and the serial and secret of refused rows
/// (so a duplicate is reported even when its twin has another problem too).
#[derive(Default)]
pub(crate) struct Reading {
    pub(crate) rows: Vec<SeedRow>,
    pub(crate) problems: Vec<ListProblem>,
    pub(crate) refused: Vec<RefusedKeys>,
}

/// The serial and secret of a refused row, when they could be read.
pub(crate) struct RefusedKeys {
    pub(crate) line: usize,
    pub(crate) serial: Option<String>,
    pub(crate) secret: Option<Secret>,
}

fn read_links(text: &str, out: &mut Reading) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let link = raw.trim();
        if link.is_empty() || link.starts_with('#') {
            continue;
        }
        match classify_secret(link, false) {
            Ok(account) => out.rows.push(SeedRow {
                line,
                upn: None,
                serial: None,
                account,
            }),
            Err(reason) => out.problems.push(ListProblem { line, reason }),
        }
    }
}

/// A row's line, serial and secret bytes, for the duplicate check.
type DuplicateKeys<'a> = (usize, Option<&'a str>, Option<&'a [u8]>);

/// Adds a problem for every row whose serial or secret appeared on an earlier row, usable or
/// not.
fn find_duplicates(rows: &[SeedRow], refused: &[RefusedKeys], problems: &mut Vec<ListProblem>) {
    let mut keys: Vec<DuplicateKeys<'_>> = rows
        .iter()
        .map(|r| (r.line, r.serial.as_deref(), Some(r.account.secret.expose())))
        .chain(refused.iter().map(|r| {
            (
                r.line,
                r.serial.as_deref(),
                r.secret.as_ref().map(Secret::expose),
            )
        }))
        .collect();
    keys.sort_by_key(|k| k.0);
    let mut serials: HashMap<&str, usize> = HashMap::new();
    let mut secrets: HashMap<&[u8], usize> = HashMap::new();
    for (line, serial, secret) in keys {
        if let Some(serial) = serial {
            match serials.get(serial) {
                Some(first_line) => problems.push(ListProblem {
                    line,
                    reason: ProblemReason::DuplicateSerial {
                        serial: serial.to_string(),
                        first_line: *first_line,
                    },
                }),
                None => {
                    serials.insert(serial, line);
                }
            }
        }
        let Some(secret) = secret else { continue };
        match secrets.get(secret) {
            Some(first_line) => problems.push(ListProblem {
                line,
                reason: ProblemReason::DuplicateSecret {
                    first_line: *first_line,
                },
            }),
            None => {
                secrets.insert(secret, line);
            }
        }
    }
}
