//! Why sealing or opening failed, in words for the operator.

use core::fmt;

/// Sealing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealError {
    /// The passphrase is empty.
    EmptyPassphrase,
    /// age could not encrypt (it writes to memory, so this means a bug or no random numbers).
    Encrypt,
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SealError::EmptyPassphrase => f.write_str(
                "The passphrase is empty, so anyone could open the file. Choose a passphrase.",
            ),
            SealError::Encrypt => f.write_str(
                "The file could not be encrypted (this computer's random number generator may \
                 have failed). Nothing was written; try again.",
            ),
        }
    }
}

impl std::error::Error for SealError {}

/// Opening failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// The data is not an age file.
    NotAge,
    /// It is an age file, but for a key, not a passphrase.
    NotPassphraseEncrypted,
    /// The passphrase does not open it.
    WrongPassphrase,
    /// It was made with a higher scrypt work factor than this computer accepts.
    TooSlow,
    /// The file is truncated or was altered.
    Damaged,
}

impl OpenError {
    pub(crate) fn of(error: age::DecryptError) -> OpenError {
        match error {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                OpenError::WrongPassphrase
            }
            age::DecryptError::ExcessiveWork { .. } => OpenError::TooSlow,
            age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => {
                OpenError::NotAge
            }
            _ => OpenError::Damaged,
        }
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OpenError::NotAge => "This is not an age-encrypted file.",
            OpenError::NotPassphraseEncrypted => {
                "This file was encrypted for a key, not with a passphrase. Open it with age and \
                 the key."
            }
            OpenError::WrongPassphrase => {
                "The passphrase does not open this file. Check it and try again."
            }
            OpenError::TooSlow => {
                "This file was encrypted with a work factor too high for this computer. Open it \
                 with age on a faster computer."
            }
            OpenError::Damaged => {
                "The file is damaged (cut short or altered) and cannot be opened."
            }
        })
    }
}

impl std::error::Error for OpenError {}
