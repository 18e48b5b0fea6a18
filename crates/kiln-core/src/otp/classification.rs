//! The answer of the classifier: what a scanned or pasted text is. It only names the types it
//! holds, so every reader (links, exports, pasted secrets) sits above it and the classifier
//! above them.

use super::account::TotpAccount;
use super::advice::{NotASecret, Refusal};
use super::error::InputError;
use super::export::MigrationExport;

/// What a scanned or pasted text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    /// A TOTP account the token can take.
    Totp(TotpAccount),
    /// A Google Authenticator export: pick one account.
    Migration(MigrationExport),
    /// Not a secret at all; says what it is and what to do instead.
    NotASecret(NotASecret),
    /// A secret the token cannot use, with the reason.
    Refused(Refusal),
    /// Input that could not be read (typo, damage, truncation).
    Invalid(InputError),
}

impl Classification {
    /// `totp`, `migration`, `not_a_secret`, `refused` or `invalid` (the CLI's JSON `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Classification::Totp(_) => "totp",
            Classification::Migration(_) => "migration",
            Classification::NotASecret(_) => "not_a_secret",
            Classification::Refused(_) => "refused",
            Classification::Invalid(_) => "invalid",
        }
    }

    /// A read account, a refusal (it reads fine but the token cannot take it), or why it could
    /// not be read.
    pub(crate) fn from_read(read: Result<Result<TotpAccount, Refusal>, InputError>) -> Self {
        match read {
            Ok(Ok(account)) => Classification::Totp(account),
            Ok(Err(refusal)) => Classification::Refused(refusal),
            Err(error) => Classification::Invalid(error),
        }
    }
}
