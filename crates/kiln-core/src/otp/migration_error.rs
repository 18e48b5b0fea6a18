//! Why Google Authenticator export data could not be decoded.
//!
//! It sits with the decoders (Base64, protobuf) that produce it, below the export parser and
//! below [`super::InputError`], which wraps it.

use core::fmt;

/// Why export data could not be decoded (shown inside
/// [`InputError::BadMigrationPayload`](super::InputError::BadMigrationPayload)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationError {
    /// A character that is not Base64 (1-based position in the decoded `data` value).
    BadBase64 {
        /// 1-based position.
        position: usize,
    },
    /// The Base64 text ends one character into a group: it was cut off.
    BadBase64Length,
    /// The data ends in the middle of a field.
    Truncated,
    /// A number is encoded with more than 10 bytes.
    BadVarint,
    /// A field has an impossible number or wire type, or the wrong type for its field.
    BadField,
    /// The export holds no accounts.
    NoAccounts,
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrationError::BadBase64 { position } => {
                write!(f, "character {position} of the data is not Base64")
            }
            MigrationError::BadBase64Length => f.write_str("the data is cut off"),
            MigrationError::Truncated => f.write_str("the data ends too early"),
            MigrationError::BadVarint | MigrationError::BadField => {
                f.write_str("the data is damaged")
            }
            MigrationError::NoAccounts => f.write_str("it contains no accounts"),
        }
    }
}

impl core::error::Error for MigrationError {}
