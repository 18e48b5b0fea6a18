//! Status words (§2.6) as typed errors with messages a non-expert can act on.

use core::fmt;

/// `90 00`: success.
pub const SW_OK: u16 = 0x9000;

/// A status word other than `90 00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// `69 83`: the token refused the authentication (wrong key, or locked by an older firmware
    /// after failed attempts). Also used by some firmware for a bad MAC.
    AuthRefused,
    /// `63 Cx` / `63 NN`: authentication failed with attempts left (multi-profile tokens).
    AuthFailed {
        /// Attempts left before the token locks.
        remaining: u8,
    },
    /// `69 82`: a write was attempted without a successful authentication.
    NotAuthenticated,
    /// `69 85`: the token was not ready for this command (e.g. an answer without a challenge).
    ConditionsNotSatisfied,
    /// `67 00`: wrong length.
    WrongLength,
    /// `6A 80`: the token rejected the data.
    WrongData,
    /// `6A 83`: referenced data not found.
    NotFound,
    /// `6D 00`: instruction not supported — probably not a Token2 programmable token.
    UnknownInstruction,
    /// `6E 00`: class not supported — probably not a Token2 programmable token.
    UnknownClass,
    /// Any other status word.
    Other(u16),
}

impl TokenError {
    /// Maps a status word; `None` for `90 00`.
    pub fn from_status(sw: u16) -> Option<TokenError> {
        Some(match sw {
            SW_OK => return None,
            0x6983 => TokenError::AuthRefused,
            0x6982 => TokenError::NotAuthenticated,
            0x6985 => TokenError::ConditionsNotSatisfied,
            0x6700 => TokenError::WrongLength,
            0x6A80 => TokenError::WrongData,
            0x6A83 => TokenError::NotFound,
            0x6D00 => TokenError::UnknownInstruction,
            0x6E00 => TokenError::UnknownClass,
            sw if sw & 0xFF00 == 0x6300 => TokenError::AuthFailed {
                remaining: (sw & 0x000F) as u8,
            },
            sw => TokenError::Other(sw),
        })
    }

    /// The status word this error came from (for `63 xx` the `63 Cx` form).
    pub fn status_word(self) -> u16 {
        match self {
            TokenError::AuthRefused => 0x6983,
            TokenError::AuthFailed { remaining } => 0x63C0 | u16::from(remaining & 0x0F),
            TokenError::NotAuthenticated => 0x6982,
            TokenError::ConditionsNotSatisfied => 0x6985,
            TokenError::WrongLength => 0x6700,
            TokenError::WrongData => 0x6A80,
            TokenError::NotFound => 0x6A83,
            TokenError::UnknownInstruction => 0x6D00,
            TokenError::UnknownClass => 0x6E00,
            TokenError::Other(sw) => sw,
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sw = self.status_word();
        match self {
            TokenError::AuthRefused => write!(
                f,
                "The token refused Kiln's authentication (status {sw:04X}). The token may be \
                 locked by its administrator or by an older firmware after failed attempts, or it \
                 may not be a Token2 single-profile token. Kiln will not try again on its own: \
                 retrying can lock some tokens for good. Contact Token2 support if this token \
                 should be programmable."
            ),
            TokenError::AuthFailed { remaining } => write!(
                f,
                "The token refused the authentication and says {remaining} attempts are left \
                 before it locks (status {sw:04X}). Kiln will not try again on its own."
            ),
            TokenError::NotAuthenticated => write!(
                f,
                "The token says it was not authenticated when the write arrived (status \
                 {sw:04X}). It may have restarted. Switch it on again and burn again."
            ),
            TokenError::ConditionsNotSatisfied => write!(
                f,
                "The token was not ready for the command (status {sw:04X}). Switch it on again \
                 and retry."
            ),
            TokenError::WrongLength | TokenError::WrongData => write!(
                f,
                "The token rejected the data Kiln sent (status {sw:04X}). Nothing was changed by \
                 this command. Check that this is a supported Token2 model."
            ),
            TokenError::NotFound => write!(f, "The token reported missing data (status {sw:04X})."),
            TokenError::UnknownInstruction | TokenError::UnknownClass => write!(
                f,
                "The token does not understand Token2's programming commands (status {sw:04X}). \
                 It is probably not a Token2 programmable token."
            ),
            TokenError::Other(_) => write!(f, "The token answered with error status {sw:04X}."),
        }
    }
}

/// Splits a reply into its data and status word. `None` when the reply has fewer than 2 bytes.
pub fn split_status(reply: &[u8]) -> Option<(&[u8], u16)> {
    let split = reply.len().checked_sub(2)?;
    let (data, sw) = reply.split_at(split);
    Some((data, u16::from_be_bytes([sw[0], sw[1]])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_map_both_ways() {
        for sw in [
            0x6983u16, 0x6982, 0x6985, 0x6700, 0x6A80, 0x6A83, 0x6D00, 0x6E00, 0x63C2, 0x6F00,
        ] {
            let e = TokenError::from_status(sw).unwrap();
            assert_eq!(e.status_word(), sw);
            assert!(e.to_string().contains(&format!("{sw:04X}")), "{e}");
        }
        assert_eq!(TokenError::from_status(0x9000), None);
        assert_eq!(
            TokenError::from_status(0x63C3),
            Some(TokenError::AuthFailed { remaining: 3 })
        );
    }

    #[test]
    fn replies_shorter_than_a_status_word_do_not_split() {
        assert_eq!(split_status(&[]), None);
        assert_eq!(split_status(&[0x90]), None);
        assert_eq!(split_status(&[0x90, 0x00]), Some((&[][..], 0x9000)));
        assert_eq!(
            split_status(&[1, 2, 0x6A, 0x80]),
            Some((&[1u8, 2][..], 0x6A80))
        );
    }
}
