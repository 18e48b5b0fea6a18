//! The passphrase an export is sealed with: never empty, wiped on drop, never shown by `Debug`.

use core::fmt;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use crate::error::SealError;

/// A non-empty passphrase. Leading and trailing spaces are kept: they are part of it.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes `text` as the passphrase; an empty one is refused (anyone could open the file).
    pub fn new(text: Zeroizing<String>) -> Result<Passphrase, SealError> {
        if text.is_empty() {
            return Err(SealError::EmptyPassphrase);
        }
        Ok(Passphrase(text))
    }

    /// True when both are the same passphrase (the "type it again" check).
    pub fn matches(&self, other: &Passphrase) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }

    /// A copy for age, which wipes it on drop. `to_owned` allocates exactly the length, so
    /// the conversion to a boxed `str` moves it without leaving a copy behind.
    pub(crate) fn to_secret(&self) -> SecretString {
        SecretString::from(self.0.as_str().to_owned())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}
