//! Exit statuses and the errors that end a command early.

use serde_json::{Map, Value};

/// The exit statuses `kiln --help` documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command did what was asked.
    Success,
    /// 1: the user answered no at a confirmation question; nothing was written.
    Cancelled,
    /// 2: wrong or conflicting options.
    Usage,
    /// 3: the input is not a TOTP secret a token can take.
    NotBurnable,
    /// 4: the PC/SC service, the reader or the token failed, or refused.
    Device,
    /// 5: a write was sent without an answer; what the token holds is unknown.
    Unknown,
    /// 6: `kiln verify`: the code is the account's, but the token's clock is off.
    ClockOff,
    /// 7: `kiln verify`: the code does not match the account.
    Mismatch,
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Cancelled => 1,
            Exit::Usage => 2,
            Exit::NotBurnable => 3,
            Exit::Device => 4,
            Exit::Unknown => 5,
            Exit::ClockOff => 6,
            Exit::Mismatch => 7,
        }
    }
}

/// Why a command stopped: a stable `code` for scripts, a `message` for people, and optional
/// extra JSON fields (for example what the classifier found).
#[derive(Debug)]
pub struct CliError {
    /// The exit status.
    pub exit: Exit,
    /// Machine-readable reason, e.g. `no_card`.
    pub code: &'static str,
    /// What happened and what to do next, in plain sentences.
    pub message: String,
    /// Extra top-level fields of the JSON document.
    pub fields: Map<String, Value>,
}

impl CliError {
    /// An error with no extra fields.
    pub fn new(exit: Exit, code: &'static str, message: impl Into<String>) -> CliError {
        CliError {
            exit,
            code,
            message: message.into(),
            fields: Map::new(),
        }
    }

    /// A usage error (exit status 2).
    pub fn usage(code: &'static str, message: impl Into<String>) -> CliError {
        CliError::new(Exit::Usage, code, message)
    }

    /// A device or token error (exit status 4).
    pub fn device(code: &'static str, message: impl Into<String>) -> CliError {
        CliError::new(Exit::Device, code, message)
    }

    /// Input that cannot be burned (exit status 3).
    pub fn not_burnable(code: &'static str, message: impl Into<String>) -> CliError {
        CliError::new(Exit::NotBurnable, code, message)
    }

    /// The user said no.
    pub fn cancelled() -> CliError {
        CliError::new(
            Exit::Cancelled,
            "cancelled",
            "Cancelled: nothing was written to the token.",
        )
    }

    /// Adds top-level JSON fields (an object's entries; anything else is ignored).
    pub fn with_fields(mut self, fields: Value) -> CliError {
        if let Value::Object(map) = fields {
            self.fields.extend(map);
        }
        self
    }
}
