//! Writing the batch's files at the end. Each file is created new (never over an existing one;
//! seed files readable by their owner only), written, and flushed to disk. When that fails
//! (full disk, folder removed, no permission) the batch is still in memory, so the same content
//! goes to a fallback file `kiln-batch-<unix time>-<n>.<ext>` in the current directory, else in
//! the home directory, and the operator is told where. Only when every place fails is the
//! content lost, and the message says so plainly.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use kiln_core::fleet::{ExportError, Ledger, export_file};
use serde_json::json;
use zeroize::Zeroizing;

use super::batch_args::FormatArg;
use super::batch_events::Events;
use super::batch_setup::Plan;
use crate::clock;

/// How the writing went.
#[derive(Debug, Default)]
pub struct WriteSummary {
    /// Files written where asked.
    pub written: Vec<PathBuf>,
    /// Files written to a fallback path instead.
    pub fallbacks: Vec<PathBuf>,
    /// Files not written at all (with why).
    pub failed: Vec<String>,
}

/// Writes every `--out` file of `plan` from `ledger`.
pub fn write_files(plan: &Plan, ledger: &Ledger, events: Events) -> WriteSummary {
    let mut summary = WriteSummary::default();
    for (index, (format, path)) in plan.outputs.iter().enumerate() {
        let content = match export(*format, ledger, events) {
            Ok(content) => content,
            Err(ExportError::NothingToExport) => {
                // No token succeeded (say Ctrl+C before the first): nothing is lost.
                let message = ExportError::NothingToExport.to_string();
                events.emit(
                    "not_written",
                    json!({"format": format.name(), "path": path, "message": message}),
                    &format!("{} was not written: {message}", path.display()),
                );
                continue;
            }
            Err(error) => {
                events.emit(
                    "write_failed",
                    json!({"format": format.name(), "path": path, "message": error.to_string(),
                           "fallback": null}),
                    &format!("{} was not written: {error}", path.display()),
                );
                summary.failed.push(format!("{}: {error}", path.display()));
                continue;
            }
        };
        let sealed = plan.passphrase.as_ref().filter(|_| format.holds_seeds());
        let bytes = match sealed {
            Some(passphrase) => match kiln_seal::seal(&content, passphrase) {
                Ok(bytes) => Zeroizing::new(bytes),
                Err(error) => {
                    events.emit(
                        "write_failed",
                        json!({"format": format.name(), "path": path,
                               "message": error.to_string(), "fallback": null}),
                        &format!("{} was not written: {error}", path.display()),
                    );
                    summary.failed.push(format!("{}: {error}", path.display()));
                    continue;
                }
            },
            None => content,
        };
        let encrypted = plan.passphrase.is_some() && format.holds_seeds();
        match write_new(path, &bytes, format.holds_seeds()) {
            Ok(()) => {
                events.emit(
                    "written",
                    json!({"format": format.name(), "path": path, "encrypted": encrypted,
                           "bytes": bytes.len()}),
                    &format!(
                        "Wrote {} ({}{}).",
                        path.display(),
                        format.name(),
                        if encrypted { ", encrypted" } else { "" }
                    ),
                );
                summary.written.push(path.clone());
            }
            Err(error) => {
                let fallback = write_fallback(*format, index, encrypted, &bytes);
                let message = match &fallback {
                    Some(other) => format!(
                        "{} could not be written ({error}). The same content was written to {} \
                         instead: move it where it belongs.",
                        path.display(),
                        other.display()
                    ),
                    None => format!(
                        "{} could not be written ({error}), nor a copy in the current or home \
                         directory. This file's content is lost: the tokens it lists must be \
                         burned again.",
                        path.display()
                    ),
                };
                events.emit(
                    "write_failed",
                    json!({"format": format.name(), "path": path, "message": message,
                           "fallback": fallback}),
                    &message,
                );
                match fallback {
                    Some(other) => summary.fallbacks.push(other),
                    None => summary.failed.push(message),
                }
            }
        }
    }
    summary
}

/// The file's bytes, from kiln-core; Graph's notice about unassigned tokens is said here.
fn export(
    format: FormatArg,
    ledger: &Ledger,
    events: Events,
) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let file = export_file(ledger, format.format())?;
    if let Some(notice) = &file.notice {
        events.emit("notice", json!({"message": notice}), notice);
    }
    Ok(Zeroizing::new(file.text.as_bytes().to_vec()))
}

/// Creates `path` (never replacing a file), writes `bytes` and flushes them to disk. A file
/// that was created but not completely written is removed.
fn write_new(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path)?;
    let result = file.write_all(bytes).and_then(|()| file.sync_all());
    if result.is_err() {
        drop(file);
        let _ = fs::remove_file(path);
    }
    result
}

fn write_fallback(
    format: FormatArg,
    index: usize,
    encrypted: bool,
    bytes: &[u8],
) -> Option<PathBuf> {
    let name = format!(
        "kiln-batch-{}-{}.{}{}",
        clock::now_unix(),
        index + 1,
        format.extension(),
        if encrypted { ".age" } else { "" }
    );
    let mut folders = vec![PathBuf::from(".")];
    folders.extend(std::env::var_os("HOME").map(PathBuf::from));
    folders.into_iter().find_map(|folder| {
        let path = folder.join(&name);
        write_new(&path, bytes, format.holds_seeds())
            .ok()
            .map(|()| fs::canonicalize(&path).unwrap_or(path))
    })
}
