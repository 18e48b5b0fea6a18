//! What a Google Authenticator export holds: every account, each with whether the token can
//! take it (a silently dropped account is a lost login). Filled in by `migration.rs`.

use super::account::TotpAccount;
use super::advice::Refusal;

/// Position of one QR code in a multi-QR export ("QR 2 of 3").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batch {
    /// 1-based, for display.
    pub index: usize,
    /// How many QR codes the export has.
    pub size: usize,
}

/// One account of an export, with whether the token can take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationAccount {
    /// 1-based position in this QR code, for display.
    pub index: usize,
    /// The service: the export's issuer, else the prefix of its name (`""` when neither).
    pub issuer: String,
    /// The name with any `Issuer:` prefix removed.
    pub account: String,
    /// `SHA1`, `SHA256`, `SHA512`, `MD5`, or `UNKNOWN(n)`.
    pub algorithm: String,
    /// 6 or 8; 0 when the export names an unknown length.
    pub digits: u8,
    /// Always 30: exports carry no period.
    pub period: u64,
    /// The burnable account, or why not.
    pub supported: Result<TotpAccount, Refusal>,
}

/// The accounts of one export QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationExport {
    /// Every account in the QR code, in order, including those the token cannot take.
    pub accounts: Vec<MigrationAccount>,
    /// Which QR code of a multi-QR export this is (`None` for a single-QR export).
    pub batch: Option<Batch>,
}
