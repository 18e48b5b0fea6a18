//! The passphrase for encrypted exports, as typed twice on the Batch screen.
//!
//! [`MIN_CHARS`] is 12: an encrypted export can be attacked offline, with no limit on guesses.
//! age's scrypt makes each guess cost about a second on one computer, but an attacker runs
//! thousands in parallel, so an 8-character password is within reach; 12 characters is room
//! for a four-word passphrase, which is not. The CLI (`kiln batch --encrypt`) sets no minimum:
//! its passphrase may come from a script's secret store.

use std::fmt;

use zeroize::Zeroizing;

/// The shortest passphrase accepted, in characters (see the module documentation).
pub const MIN_CHARS: usize = 12;

/// Why the typed passphrase cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassphraseProblem {
    /// Nothing typed.
    Empty,
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// The two fields differ.
    Mismatch,
}

impl fmt::Display for PassphraseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PassphraseProblem::Empty => f.write_str(
                "Type a passphrase (twice) to encrypt the file, or turn encryption off.",
            ),
            PassphraseProblem::TooShort => write!(
                f,
                "The passphrase is too short: use at least {MIN_CHARS} characters, for example \
                 four random words. Anyone who gets the file can try passwords without limit."
            ),
            PassphraseProblem::Mismatch => {
                f.write_str("The two passphrases differ. Type the same passphrase in both fields.")
            }
        }
    }
}

/// The passphrase if both fields hold the same, long enough text. Spaces count: they are part
/// of it, as for age.
pub fn checked(
    first: Zeroizing<String>,
    again: Zeroizing<String>,
) -> Result<Zeroizing<String>, PassphraseProblem> {
    if first.is_empty() {
        return Err(PassphraseProblem::Empty);
    }
    if first.chars().count() < MIN_CHARS {
        return Err(PassphraseProblem::TooShort);
    }
    if first.as_bytes() != again.as_bytes() {
        return Err(PassphraseProblem::Mismatch);
    }
    Ok(first)
}
