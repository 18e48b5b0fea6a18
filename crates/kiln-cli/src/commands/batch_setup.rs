//! Everything `kiln batch` checks before it touches a token: the lists (every bad line, with its
//! number, from kiln-core), the files to write (one per format, none existing, each folder
//! there), SHA-256 seeds in an Entra CSV, the user count, and the passphrase.

use std::fs;
use std::path::{Path, PathBuf};

use kiln_core::Algorithm;
use kiln_core::fleet::{BatchPlan, SeedList, SeedSource, UserList};
use kiln_seal::Passphrase;
use zeroize::Zeroizing;

use super::batch_args::{BatchArgs, FormatArg};
use super::batch_passphrase;
use crate::exit::CliError;

/// A checked batch, ready to run.
pub struct Plan {
    /// Seeds, users, display timeout and count (kiln-core's rules, the same as the web app's).
    pub batch: BatchPlan,
    /// The files to write, in order.
    pub outputs: Vec<(FormatArg, PathBuf)>,
    /// The passphrase for `--encrypt`.
    pub passphrase: Option<Passphrase>,
}

impl Plan {
    /// Reads and checks everything; asks for the passphrase last.
    pub fn new(args: &BatchArgs) -> Result<Plan, CliError> {
        let outputs = outputs(args)?;
        let source = match &args.from {
            Some(path) => SeedSource::List(seed_list(path)?),
            None => SeedSource::Fresh {
                algorithm: args.algorithm.into(),
                period: args.period,
            },
        };
        let users = args.users.as_deref().map(user_list).transpose()?;
        check_entra_csv(&source, &outputs)?;
        let count = args.count.map(|n| n as usize);
        let batch = BatchPlan::new(source, users, args.display, count)
            .map_err(|e| CliError::usage("users_with_seed_list", e.to_string()))?;
        let passphrase = if args.encrypt {
            Some(batch_passphrase::passphrase()?)
        } else {
            None
        };
        Ok(Plan {
            batch,
            outputs,
            passphrase,
        })
    }

    /// What the batch will do, in a few lines (no secrets).
    pub fn describe(&self) -> String {
        let batch = &self.batch;
        let seeds = match &batch.source {
            SeedSource::Fresh { algorithm, period } => {
                format!("new random seeds, {algorithm}, new code every {period}")
            }
            SeedSource::List(list) => format!("the {} row(s) of the list", list.rows().len()),
        };
        let count = match batch.count {
            Some(n) => format!("{n} token(s)"),
            None if matches!(batch.source, SeedSource::List(_)) => {
                "until the list is used up".into()
            }
            None => "until you press Ctrl+C".into(),
        };
        let files: Vec<String> = self
            .outputs
            .iter()
            .map(|(format, path)| {
                let sealed = self.passphrase.is_some() && format.holds_seeds();
                format!(
                    "{} → {}{}",
                    format.name(),
                    path.display(),
                    if sealed { " (encrypted)" } else { "" }
                )
            })
            .collect();
        format!(
            "Batch: {count}; {seeds}; display stays on {}.\nUsers: {}.\nFiles: {}.",
            batch.display,
            batch
                .users
                .as_ref()
                .map_or("none (tokens stay unassigned)".into(), |u| format!(
                    "{} in the list",
                    u.len()
                )),
            files.join(", ")
        )
    }
}

fn outputs(args: &BatchArgs) -> Result<Vec<(FormatArg, PathBuf)>, CliError> {
    let formats = if args.format.is_empty() && args.out.len() == 1 {
        vec![FormatArg::EntraCsv]
    } else {
        args.format.clone()
    };
    if formats.len() != args.out.len() {
        return Err(CliError::usage(
            "formats_and_files",
            format!(
                "Give one --format for each --out, in the same order ({} --out, {} --format).",
                args.out.len(),
                formats.len()
            ),
        ));
    }
    if !formats.iter().any(|f| f.holds_seeds()) {
        return Err(CliError::usage(
            "no_seed_file",
            "None of the files would hold the seeds, so the tokens could not be registered \
             after the batch. Add --format entra-csv (or graph-json) with an --out.",
        ));
    }
    let mut seen: Vec<&Path> = Vec::new();
    for path in &args.out {
        if seen.contains(&path.as_path()) {
            return Err(CliError::usage(
                "same_file_twice",
                format!("{} is named by two --out options.", path.display()),
            ));
        }
        seen.push(path);
        if path.exists() {
            return Err(CliError::usage(
                "file_exists",
                format!(
                    "{} already exists, and kiln never overwrites an export (it may hold the \
                     seeds of an earlier batch). Choose another name, or move the file away.",
                    path.display()
                ),
            ));
        }
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            return Err(CliError::usage(
                "no_such_folder",
                format!(
                    "The folder {} does not exist. Create it, or choose another --out.",
                    folder.display()
                ),
            ));
        }
    }
    Ok(formats.into_iter().zip(args.out.iter().cloned()).collect())
}

fn read_text(path: &Path, what: &str) -> Result<Zeroizing<String>, CliError> {
    let bytes = Zeroizing::new(fs::read(path).map_err(|e| {
        CliError::usage(
            "unreadable_list",
            format!("The {what} {} could not be read ({e}).", path.display()),
        )
    })?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        CliError::usage(
            "list_not_text",
            format!(
                "The {what} {} is not a text file (UTF-8). Save it as CSV or plain text.",
                path.display()
            ),
        )
    })?;
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    out.push_str(text);
    Ok(out)
}

fn seed_list(path: &Path) -> Result<SeedList, CliError> {
    let text = read_text(path, "seed list")?;
    SeedList::parse(&text).map_err(|refused| {
        CliError::usage("list_refused", format!("{}: {refused}", path.display()))
    })
}

fn user_list(path: &Path) -> Result<UserList, CliError> {
    let text = read_text(path, "user list")?;
    UserList::parse(&text).map_err(|refused| {
        CliError::usage("list_refused", format!("{}: {refused}", path.display()))
    })
}

/// Entra's CSV takes SHA-1 tokens only: refuse before burning, not after.
fn check_entra_csv(source: &SeedSource, outputs: &[(FormatArg, PathBuf)]) -> Result<(), CliError> {
    if !outputs.iter().any(|(f, _)| *f == FormatArg::EntraCsv) {
        return Ok(());
    }
    let sha256 = match source {
        SeedSource::Fresh { algorithm, .. } => *algorithm == Algorithm::Sha256,
        SeedSource::List(list) => list
            .rows()
            .iter()
            .any(|r| r.account.algorithm == Algorithm::Sha256),
    };
    if sha256 {
        return Err(CliError::usage(
            "sha256_in_entra_csv",
            "Entra's CSV upload has no column for the hash function, and Microsoft documents it \
             for SHA-1 tokens only, so SHA-256 seeds cannot go into --format entra-csv. Use \
             --format graph-json (or graph-delta), which tells Entra the hash function, or \
             burn SHA1 seeds. Nothing was burned.",
        ));
    }
    Ok(())
}
