//! The batch's files, made by kiln-core (byte for byte the same as `kiln batch`) and offered as
//! downloads from the page, plain or (those with secrets, when asked) encrypted with a passphrase
//! as age files. A refused export loses nothing: the batch stays in memory.

use kiln_core::fleet::{ExportFormat, export_file};
use leptos::prelude::*;
use zeroize::Zeroizing;

use super::BatchState;
use crate::platform::download::{offer_bytes, offer_download};
use crate::platform::seal::seal;

/// The formats, in the order the page offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// Entra's CSV upload (SHA-1 tokens only).
    EntraCsv,
    /// Microsoft Graph: a plain array of tokens.
    GraphArray,
    /// Microsoft Graph: the `#$delta` bulk body.
    GraphDelta,
    /// Audit log, CSV (no secrets).
    AuditCsv,
    /// Audit log, JSON (no secrets).
    AuditJson,
}

impl ExportKind {
    /// Every format.
    pub const ALL: [ExportKind; 5] = [
        ExportKind::EntraCsv,
        ExportKind::GraphArray,
        ExportKind::GraphDelta,
        ExportKind::AuditCsv,
        ExportKind::AuditJson,
    ];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::EntraCsv => "Entra CSV",
            ExportKind::GraphArray => "Graph JSON",
            ExportKind::GraphDelta => "Graph bulk ($delta)",
            ExportKind::AuditCsv => "Audit log (CSV)",
            ExportKind::AuditJson => "Audit log (JSON)",
        }
    }

    /// The file's name.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportKind::EntraCsv => "kiln-batch-entra.csv",
            ExportKind::GraphArray => "kiln-batch-graph.json",
            ExportKind::GraphDelta => "kiln-batch-graph-delta.json",
            ExportKind::AuditCsv => "kiln-batch-audit.csv",
            ExportKind::AuditJson => "kiln-batch-audit.json",
        }
    }

    /// The encrypted file's name: age's convention, the plain name with `.age` added.
    pub fn sealed_file_name(self) -> String {
        format!("{}.age", self.file_name())
    }

    /// Stable name for test hooks.
    pub fn id(self) -> &'static str {
        match self {
            ExportKind::EntraCsv => "entra-csv",
            ExportKind::GraphArray => "graph-json",
            ExportKind::GraphDelta => "graph-delta",
            ExportKind::AuditCsv => "audit-csv",
            ExportKind::AuditJson => "audit-json",
        }
    }

    /// kiln-core's format, which makes the file.
    pub fn format(self) -> ExportFormat {
        match self {
            ExportKind::EntraCsv => ExportFormat::EntraCsv,
            ExportKind::GraphArray => ExportFormat::GraphArray,
            ExportKind::GraphDelta => ExportFormat::GraphDelta,
            ExportKind::AuditCsv => ExportFormat::AuditCsv,
            ExportKind::AuditJson => ExportFormat::AuditJson,
        }
    }

    /// True for the files with secrets (what an administrator uploads).
    pub fn has_secrets(self) -> bool {
        self.format().holds_seeds()
    }

    fn mime(self) -> &'static str {
        match self {
            ExportKind::EntraCsv | ExportKind::AuditCsv => "text/csv",
            _ => "application/json",
        }
    }
}

/// A file made from the ledger, not offered yet.
struct Made {
    text: Zeroizing<String>,
    /// What the operator should know about it (Graph: tokens left unassigned).
    notice: Option<String>,
    mime: &'static str,
    /// The attempts it covers.
    attempts: usize,
}

impl Made {
    /// The file was saved: a file with secrets covers its attempts (for the wipe warning).
    fn saved(self, batch: BatchState, kind: ExportKind) -> Option<String> {
        if kind.has_secrets() {
            batch
                .exported_through
                .update(|n| *n = (*n).max(self.attempts));
        }
        self.notice
    }
}

/// Makes the file and offers it. `Ok` carries what the operator should know about it (Graph:
/// tokens left unassigned); `Err` why there is no file.
pub fn export(batch: BatchState, kind: ExportKind) -> Result<Option<String>, String> {
    let made = make(batch, kind)?;
    offer_download(kind.file_name(), made.mime, &made.text).map_err(|e| e.to_string())?;
    Ok(made.saved(batch, kind))
}

/// Like [`export`], but offers the file encrypted with `passphrase` as an age file
/// ([`ExportKind::sealed_file_name`]); the encryption code is loaded for it (a worker).
pub async fn export_sealed(
    batch: BatchState,
    kind: ExportKind,
    passphrase: Zeroizing<String>,
) -> Result<Option<String>, String> {
    let made = make(batch, kind)?;
    let sealed = seal(made.text.as_bytes(), &passphrase)
        .await
        .map_err(|e| e.to_string())?;
    drop(passphrase);
    offer_bytes(&kind.sealed_file_name(), AGE_MIME, &sealed).map_err(|e| e.to_string())?;
    Ok(made.saved(batch, kind))
}

/// age files have no registered type; a download is all they need.
const AGE_MIME: &str = "application/octet-stream";

fn make(batch: BatchState, kind: ExportKind) -> Result<Made, String> {
    batch.ledger.with_value(|ledger| {
        let Some(ledger) = ledger else {
            return Err("There is no batch to export.".to_string());
        };
        let file = export_file(ledger, kind.format()).map_err(|e| e.to_string())?;
        Ok(Made {
            text: file.text,
            notice: file.notice,
            mime: kind.mime(),
            attempts: ledger.attempts().len(),
        })
    })
}
