//! Status words (§2.6) as typed errors with messages a non-expert can act on, and the one place
//! that decides which of them mean "refused, nothing written".

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

/// What an error status word says about the effect of the command it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusEffect {
    /// The token refused the command before executing it: nothing was changed.
    Refused(TokenError),
    /// The token may have executed it: what it stores now is not known.
    MayHaveChanged(u16),
}

/// The status words a token answers when it refuses a write *before* executing it.
///
/// Only words `docs/protocol.md` lists for the single-profile writes, or that ISO 7816-4 §5.6
/// defines as a check that fails before execution, are trusted to mean "nothing written":
/// * `69 83` wrong MAC / key locked (§2.6: seen on writes);
/// * `69 82` security status not satisfied (not authenticated) and `69 85` conditions of use
///   not satisfied (ISO 7816-4 "command not allowed": checked before the command runs);
/// * `67 00` wrong length, `6A 80` bad data, `6D 00` unknown instruction, `6E 00` unknown class
///   (§2.6, from the vendor's firmware notes).
const WRITE_REFUSALS: [u16; 7] = [0x6983, 0x6982, 0x6985, 0x6700, 0x6A80, 0x6D00, 0x6E00];

/// Classifies the (non-`90 00`) status word that answered WRITE CONFIG or WRITE SEED.
///
/// Anything outside [`WRITE_REFUSALS`] may hide a write that happened: ISO 7816-4 says `63 xx`
/// (warning) and `65 xx` (execution error) come *with* non-volatile memory changed, `6F xx` is
/// "no precise diagnosis", and an undocumented word says nothing at all. Reporting those as
/// "nothing written" could tell the user an erased token still holds its seed.
pub fn write_status_effect(sw: u16) -> StatusEffect {
    match TokenError::from_status(sw) {
        Some(error) if WRITE_REFUSALS.contains(&sw) => StatusEffect::Refused(error),
        _ => StatusEffect::MayHaveChanged(sw),
    }
}

/// Classifies the (non-`90 00`) status word that answered a command that stores nothing (GET
/// INFO, GET CHALLENGE, ANSWER CHALLENGE). Such a command cannot change what the token holds,
/// so any well-formed ISO 7816 warning or error (SW1 `62`..`6F`) is a refusal; other words are
/// not status words a token sends and count as an unreadable reply (`None`).
pub fn read_status_refusal(sw: u16) -> Option<TokenError> {
    let sw1 = (sw >> 8) as u8;
    TokenError::from_status(sw).filter(|_| (0x62..=0x6F).contains(&sw1))
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
    fn only_documented_refusals_of_a_write_mean_nothing_was_written() {
        for sw in [0x6983u16, 0x6982, 0x6985, 0x6700, 0x6A80, 0x6D00, 0x6E00] {
            assert!(
                matches!(write_status_effect(sw), StatusEffect::Refused(e) if e.status_word() == sw),
                "{sw:04X}"
            );
        }
        // ISO 7816-4: 63xx and 65xx come with memory changed; 6Fxx and undocumented words say
        // nothing, and 90 00 is not an error at all.
        for sw in [
            0x63C2u16, 0x6300, 0x6581, 0x6F00, 0x6FFB, 0x6A83, 0x6A86, 0x6400, 0x9060, 0x1234,
            0x9000,
        ] {
            assert_eq!(
                write_status_effect(sw),
                StatusEffect::MayHaveChanged(sw),
                "{sw:04X}"
            );
        }
    }

    #[test]
    fn a_command_that_stores_nothing_is_refused_by_any_iso_error() {
        assert_eq!(read_status_refusal(0x6983), Some(TokenError::AuthRefused));
        assert_eq!(
            read_status_refusal(0x63C2),
            Some(TokenError::AuthFailed { remaining: 2 })
        );
        assert_eq!(read_status_refusal(0x6F00), Some(TokenError::Other(0x6F00)));
        assert_eq!(read_status_refusal(0x9000), None);
        assert_eq!(read_status_refusal(0x1234), None);
        assert_eq!(read_status_refusal(0x7000), None);
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
