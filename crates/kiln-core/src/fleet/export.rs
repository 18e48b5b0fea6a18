//! What the exports share: the manufacturer name, the hash-function names and the errors.

use core::fmt;

use crate::params::Algorithm;

/// The manufacturer written into Entra and Graph exports.
pub const MANUFACTURER: &str = "Token2";

/// Graph's `hashFunction` value for `algorithm`.
pub fn graph_hash_function(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Sha1 => "hmacsha1",
        Algorithm::Sha256 => "hmacsha256",
    }
}

/// Why an export could not be made. The batch stays in memory; nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// No token of the batch was burned successfully, so there is nothing to upload.
    NothingToExport,
    /// Entra's CSV upload has no hash-function column and is documented for SHA-1 tokens only.
    Sha256InEntraCsv {
        /// The SHA-256 tokens.
        serials: Vec<String>,
    },
    /// The JSON writer failed (a bug in Kiln, not in the batch).
    Json,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NothingToExport => f.write_str(
                "No token of this batch has been burned successfully yet, so there is nothing \
                 to upload. The audit log lists every attempt.",
            ),
            ExportError::Sha256InEntraCsv { serials } => write!(
                f,
                "Entra's CSV upload has no column for the hash function, and Microsoft documents \
                 it for SHA-1 tokens only; {} token(s) of this batch use SHA-256 ({}). Export \
                 for Microsoft Graph instead: it tells Entra that these tokens use SHA-256.",
                serials.len(),
                serials.join(", ")
            ),
            ExportError::Json => f.write_str(
                "Kiln could not write the JSON file (this is a bug in Kiln). The batch is still \
                 in memory: try another format and report the problem.",
            ),
        }
    }
}
