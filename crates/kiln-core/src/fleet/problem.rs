//! Why a line of a loaded list cannot be used. Every line is checked before anything is burned,
//! and all problems are listed together, each with its line number, so the operator fixes the
//! file once.

use core::fmt;

use super::csv_read::CsvError;

/// One refused line of an input list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProblem {
    /// Physical line number (from 1), as an editor shows it.
    pub line: usize,
    /// What is wrong.
    pub reason: ProblemReason,
}

/// What is wrong with a line. No variant holds secret material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemReason {
    /// The line is not valid CSV.
    Csv(CsvError),
    /// The file has no lines with content.
    EmptyList,
    /// The header lacks a column the format needs.
    MissingColumn {
        /// The column's name as the format spells it.
        column: &'static str,
    },
    /// A row has values beyond the known columns.
    ExtraValues {
        /// How many columns the format has.
        expected: usize,
    },
    /// The secret is not usable; `advice` is the wizard's own explanation.
    Secret {
        /// The wizard's message: what the value is and what to do.
        advice: String,
    },
    /// A row has no secret.
    MissingSecret,
    /// The time interval is not 30 or 60.
    BadInterval {
        /// The value as written (shortened).
        value: String,
    },
    /// The serial number is not one of a token Kiln can program.
    UnsupportedSerial {
        /// The serial as written (shortened).
        serial: String,
    },
    /// The user is not a UPN or e-mail address.
    BadUser {
        /// The value as written (shortened).
        value: String,
    },
    /// The object id is not a directory object id (a GUID).
    BadObjectId {
        /// The value as written (shortened).
        value: String,
    },
    /// The same serial appears on an earlier line.
    DuplicateSerial {
        /// The serial.
        serial: String,
        /// The earlier line.
        first_line: usize,
    },
    /// The same secret appears on an earlier line (two tokens must never share a seed).
    DuplicateSecret {
        /// The earlier line.
        first_line: usize,
    },
    /// The same user appears on an earlier line of a user list.
    DuplicateUser {
        /// The user.
        upn: String,
        /// The earlier line.
        first_line: usize,
    },
}

impl fmt::Display for ProblemReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemReason::Csv(error) => write!(f, "{error}"),
            ProblemReason::EmptyList => f.write_str("the file is empty. Load the list itself."),
            ProblemReason::MissingColumn { column } => write!(
                f,
                "the header has no \"{column}\" column. Add it to the first line, spelled as \
                 shown."
            ),
            ProblemReason::ExtraValues { expected } => write!(
                f,
                "this row has more than {expected} values. Remove the extra ones, or put a value \
                 that contains a comma in quotes."
            ),
            ProblemReason::Secret { advice } => f.write_str(advice),
            ProblemReason::MissingSecret => {
                f.write_str("this row has no secret. Add the secret key or remove the row.")
            }
            ProblemReason::BadInterval { value } => write!(
                f,
                "the time interval \"{value}\" is not one a token supports. Use 30 or 60."
            ),
            ProblemReason::UnsupportedSerial { serial } => write!(
                f,
                "\"{serial}\" is not the serial number of a token Kiln can program (OTPC-P1-i, \
                 OTPC-P2-i, miniOTP-2-i, miniOTP-3-i, C301-i, C302-i…). Check the number on \
                 the token, or leave the serial empty so any token can take this row."
            ),
            ProblemReason::BadUser { value } => write!(
                f,
                "\"{value}\" is not a user name. Write the user's sign-in name (UPN) or e-mail \
                 address, like helga@contoso.com."
            ),
            ProblemReason::BadObjectId { value } => write!(
                f,
                "\"{value}\" is not a user object id. Copy the user's Object ID from the Entra \
                 admin center (it looks like 00aa00aa-bb11-cc22-dd33-44ee44ee44ee), or leave \
                 it empty."
            ),
            ProblemReason::DuplicateSerial { serial, first_line } => write!(
                f,
                "serial {serial} is also on line {first_line}. A token can take only one row: \
                 remove one of the two."
            ),
            ProblemReason::DuplicateSecret { first_line } => write!(
                f,
                "this secret is also on line {first_line}. Two tokens must never share a \
                 secret: remove one of the two rows."
            ),
            ProblemReason::DuplicateUser { upn, first_line } => write!(
                f,
                "{upn} is also on line {first_line}. Each user gets one token: remove one of the \
                 two."
            ),
        }
    }
}

impl fmt::Display for ListProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line {}: {}", self.line, self.reason)
    }
}

/// A list that was refused: every problem found, in line order. Nothing was burned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRefused {
    /// The problems, sorted by line.
    pub problems: Vec<ListProblem>,
}

impl ListRefused {
    /// Sorts `problems` by line (stable, so a line's problems keep their order).
    pub(crate) fn new(mut problems: Vec<ListProblem>) -> ListRefused {
        problems.sort_by_key(|p| p.line);
        ListRefused { problems }
    }
}

impl fmt::Display for ListRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The list was not loaded: {} line(s) need fixing. Nothing has been written to any \
             token.",
            self.problems.len()
        )?;
        for problem in &self.problems {
            write!(f, "\n{problem}")?;
        }
        Ok(())
    }
}

/// `text` cut to 40 characters for a message (never used for secrets).
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}
