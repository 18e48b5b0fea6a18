//! The batch's files, made by kiln-core (byte for byte the same as `kiln batch`) and offered as
//! downloads from the page. A refused export loses nothing: the batch stays in memory.

use kiln_core::fleet::{ExportFormat, export_file};
use leptos::prelude::*;

use super::BatchState;
use crate::platform::download::offer_download;

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

/// Makes the file and offers it. `Ok` carries what the operator should know about it (Graph:
/// tokens left unassigned); `Err` why there is no file.
pub fn export(batch: BatchState, kind: ExportKind) -> Result<Option<String>, String> {
    let made = batch.ledger.with_value(|ledger| {
        let Some(ledger) = ledger else {
            return Err("There is no batch to export.".to_string());
        };
        let file = export_file(ledger, kind.format()).map_err(|e| e.to_string())?;
        offer_download(kind.file_name(), kind.mime(), &file.text).map_err(|e| e.to_string())?;
        Ok((file.notice, ledger.attempts().len()))
    });
    let (notice, attempts) = made?;
    if kind.has_secrets() {
        batch.exported_through.update(|n| *n = (*n).max(attempts));
    }
    Ok(notice)
}
