//! `kiln batch`: its options and help text.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use kiln_core::fleet::ExportFormat;
use kiln_core::{DisplayTimeout, Period};

use crate::cli::{AlgorithmArg, ReaderArgs, parse_display, parse_period};

/// The long help of `kiln batch`.
pub const BATCH_HELP: &str = "\
Put the tokens on the reader one after the other. For each token kiln waits for it to arrive,
reads its serial, burns it (a new seed from this computer's random number generator, or the
next row of --from), adds a row, and waits for it to leave. Ctrl+C stops after the current
token; the files are written when the batch ends (--count reached, the list used up, Ctrl+C).

Files: one --out per --format, in order (entra-csv for the Entra admin center's upload,
graph-json / graph-delta for Microsoft Graph, audit-csv / audit-json for the records: one row
per attempt, no seeds). At least one file must hold the seeds (entra-csv or graph-*). kiln never
overwrites a file. With --encrypt the files holding seeds are encrypted with a passphrase in
the age format (open with `age -d FILE`); the passphrase comes from KILN_PASSPHRASE or is asked
on the terminal. If a file cannot be written, kiln writes it to kiln-batch-<time>-<n>.<ext> in
the current directory (else the home directory) and says where.

A token burned earlier in this batch is skipped (asked without --yes; --reburn burns it again
and marks its earlier row replaced). A token whose burn ended with an unknown result gets the
same seed again when put back.

Exit status: 0 every token burned and every file written; 4 a token failed or a file went to a
fallback path; 5 a token's result is unknown (put it back and run again); 2 bad options or
lists (nothing burned); 1 cancelled at the first question. With --json, one JSON object per
line on standard output (events: plan, ready, waiting, token, skipped, refused, burned, remove,
written, not_written, write_failed, notice, done, error).";

/// `kiln batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Stop after this many tokens were burned successfully (without it: when --users or
    /// --from is used up, else at Ctrl+C).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub count: Option<u32>,

    /// HMAC algorithm of the new seeds (20-byte seeds for SHA1, 32 for SHA256).
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        default_value = "SHA1",
        conflicts_with = "from"
    )]
    pub algorithm: AlgorithmArg,

    /// Time step of the new seeds, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_period,
          conflicts_with = "from")]
    pub period: Period,

    /// How long the display stays on, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_display)]
    pub display: DisplayTimeout,

    /// Users who get the tokens, in order: one UPN per line, or a CSV with a upn column (and an
    /// id column for Graph's assignTo).
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    pub users: Option<PathBuf>,

    /// Burn these seeds instead of new ones: Entra's CSV, a upn,secret CSV, or otpauth:// links
    /// (one per line). A row with a serial only goes to that token.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// A file to write (repeat, one per --format).
    #[arg(long, value_name = "FILE", required = true)]
    pub out: Vec<PathBuf>,

    /// What to write into each --out, in order (default: entra-csv for a single --out).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Vec<FormatArg>,

    /// Encrypt the files that hold seeds with a passphrase (age format).
    #[arg(long)]
    pub encrypt: bool,

    /// Do not ask: start at once, accept a user list shorter than the batch, skip tokens
    /// already burned in this batch (unless --reburn).
    #[arg(long)]
    pub yes: bool,

    /// Burn a token already burned in this batch again (new seed; its earlier row is marked
    /// replaced) instead of skipping or asking.
    #[arg(long)]
    pub reburn: bool,

    #[command(flatten)]
    pub reader: ReaderArgs,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Entra admin center CSV (SHA1 tokens only).
    EntraCsv,
    /// Microsoft Graph: a JSON array of hardwareOathDevices.
    GraphJson,
    /// Microsoft Graph: the #$delta bulk body.
    GraphDelta,
    /// Audit log as JSON (no seeds).
    AuditJson,
    /// Audit log as CSV (no seeds).
    AuditCsv,
}

impl FormatArg {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FormatArg::EntraCsv => "entra-csv",
            FormatArg::GraphJson => "graph-json",
            FormatArg::GraphDelta => "graph-delta",
            FormatArg::AuditJson => "audit-json",
            FormatArg::AuditCsv => "audit-csv",
        }
    }

    /// kiln-core's format, which makes the file.
    pub fn format(self) -> ExportFormat {
        match self {
            FormatArg::EntraCsv => ExportFormat::EntraCsv,
            FormatArg::GraphJson => ExportFormat::GraphArray,
            FormatArg::GraphDelta => ExportFormat::GraphDelta,
            FormatArg::AuditJson => ExportFormat::AuditJson,
            FormatArg::AuditCsv => ExportFormat::AuditCsv,
        }
    }

    /// True when the file holds seeds (and is encrypted with --encrypt).
    pub fn holds_seeds(self) -> bool {
        self.format().holds_seeds()
    }

    /// File name extension for a fallback file.
    pub fn extension(self) -> &'static str {
        match self {
            FormatArg::EntraCsv | FormatArg::AuditCsv => "csv",
            _ => "json",
        }
    }
}
