//! The batch's files by format, the same for the Batch screen's downloads and `kiln batch`'s
//! `--out` files: which writer makes each, and which hold the seeds.

use zeroize::Zeroizing;

use super::audit::{audit_csv, audit_json};
use super::entra_csv::entra_csv;
use super::export::ExportError;
use super::graph_json::{GraphForm, graph_json};
use super::ledger::Ledger;

/// A file a batch can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Entra's CSV upload (SHA-1 tokens only).
    EntraCsv,
    /// Microsoft Graph: a plain array of tokens.
    GraphArray,
    /// Microsoft Graph: the `#$delta` bulk body.
    GraphDelta,
    /// Audit log, CSV (no seeds).
    AuditCsv,
    /// Audit log, JSON (no seeds).
    AuditJson,
}

impl ExportFormat {
    /// True for the files with seeds (what an administrator uploads).
    pub fn holds_seeds(self) -> bool {
        matches!(
            self,
            ExportFormat::EntraCsv | ExportFormat::GraphArray | ExportFormat::GraphDelta
        )
    }
}

/// A made file: its text (wiped on drop) and what the operator should know about it.
pub struct ExportFile {
    /// The file's content.
    pub text: Zeroizing<String>,
    /// Graph: tokens left unassigned, in a sentence.
    pub notice: Option<String>,
}

/// Makes the file of `format` from the batch.
pub fn export_file(ledger: &Ledger, format: ExportFormat) -> Result<ExportFile, ExportError> {
    let plain = |text| ExportFile { text, notice: None };
    Ok(match format {
        ExportFormat::EntraCsv => plain(entra_csv(ledger)?),
        ExportFormat::GraphArray | ExportFormat::GraphDelta => {
            let form = if format == ExportFormat::GraphArray {
                GraphForm::Array
            } else {
                GraphForm::Delta
            };
            let export = graph_json(ledger, form)?;
            let notice = export.notice();
            ExportFile {
                text: export.json,
                notice,
            }
        }
        ExportFormat::AuditCsv => plain(Zeroizing::new(audit_csv(ledger))),
        ExportFormat::AuditJson => plain(Zeroizing::new(audit_json(ledger)?)),
    })
}
