//! The Entra admin center's hardware OATH token CSV (Protection → Authentication methods →
//! OATH tokens), byte for byte:
//!
//! ```text
//! upn,serial number,secret key,time interval,manufacturer,model
//! helga@contoso.com,8659622000123,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,Token2,OTPC-P2-i
//! ```
//!
//! * one row per token whose current attempt succeeded, in burn order;
//! * secret: Base32, upper case, no padding; time interval 30 or 60; manufacturer `Token2`;
//!   model: Token2's name for the serial's prefix; upn empty when the token has no user;
//! * lines end in CRLF: Microsoft's sample (a code block in the docs) cannot show a line
//!   ending, so Kiln follows RFC 4180, which specifies CRLF, and is what Excel on Windows, the
//!   tool most admins check such a file with, writes; the last line ends in CRLF too;
//! * a field is quoted only when it holds a comma, quote, line break or edge space.
//!
//! The CSV has no hash-function column, and Microsoft documents the CSV upload (the "original
//! preview") for SHA-1 tokens; SHA-256 is documented only for the Graph API's `hashFunction`.
//! A batch with SHA-256 tokens is therefore refused here and pointed to the Graph export.

use zeroize::Zeroizing;

use super::csv_write::{CsvWriter, LineEnding};
use super::export::{ExportError, MANUFACTURER};
use super::ledger::Ledger;
use crate::otp::base32_unpadded;
use crate::params::Algorithm;

/// The header line, exactly as Entra expects it.
pub const ENTRA_CSV_HEADER: &str = "upn,serial number,secret key,time interval,manufacturer,model";

/// The Entra CSV of the batch. The text holds secrets and wipes itself when dropped.
pub fn entra_csv(ledger: &Ledger) -> Result<Zeroizing<String>, ExportError> {
    let rows: Vec<_> = ledger.exported().collect();
    if rows.is_empty() {
        return Err(ExportError::NothingToExport);
    }
    let sha256: Vec<String> = rows
        .iter()
        .filter(|a| a.settings.algorithm == Algorithm::Sha256)
        .map(|a| a.serial.clone())
        .collect();
    if !sha256.is_empty() {
        return Err(ExportError::Sha256InEntraCsv { serials: sha256 });
    }
    // An upper bound (every quote doubled, every field quoted), so the buffer never grows.
    let capacity = ENTRA_CSV_HEADER.len()
        + 2
        + rows
            .iter()
            .map(|a| {
                let upn = a.user.as_ref().map_or(0, |u| u.upn.len());
                2 * (upn + a.serial.len()) + a.secret.len() * 8 / 5 + 64
            })
            .sum::<usize>();
    let mut writer = CsvWriter::new(LineEnding::Crlf, capacity);
    writer.record(&ENTRA_CSV_HEADER.split(',').collect::<Vec<_>>());
    for attempt in rows {
        let secret = base32_unpadded(&attempt.secret);
        let interval = attempt.settings.period.seconds().to_string();
        writer.record(&[
            attempt.user.as_ref().map_or("", |u| u.upn.as_str()),
            &attempt.serial,
            &secret,
            &interval,
            MANUFACTURER,
            attempt.model.name(),
        ]);
    }
    Ok(writer.finish())
}
