//! What a Molto2 profile is configured with, and the TLVs that carry it (§2.7):
//! WRITE CONFIG's 22-byte TLV (display, clock, algorithm, digits, step) and the 8-byte
//! time-only TLV. Titles are 1–12 UTF-8 bytes.

use core::fmt;

use crate::params::{Algorithm, DisplayTimeout, Period};
use crate::token::config::{algorithm_code, display_code, period_code};

/// How many digits a profile shows. Molto2 takes 4, 6, 8 or 10 (single-profile tokens: 6 only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Digits {
    /// 4 digits.
    D4,
    /// 6 digits (the usual).
    #[default]
    D6,
    /// 8 digits.
    D8,
    /// 10 digits.
    D10,
}

impl Digits {
    /// The number of digits.
    pub fn count(self) -> u8 {
        match self {
            Digits::D4 => 4,
            Digits::D6 => 6,
            Digits::D8 => 8,
            Digits::D10 => 10,
        }
    }

    /// `None` for anything but 4, 6, 8 and 10.
    pub fn from_count(count: u8) -> Option<Digits> {
        match count {
            4 => Some(Digits::D4),
            6 => Some(Digits::D6),
            8 => Some(Digits::D8),
            10 => Some(Digits::D10),
            _ => None,
        }
    }
}

/// Everything WRITE CONFIG sets on one profile besides the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ProfileSettings {
    /// HMAC algorithm.
    pub algorithm: Algorithm,
    /// Time step.
    pub period: Period,
    /// Code length.
    pub digits: Digits,
    /// How long the display stays on.
    pub display: DisplayTimeout,
}

/// `81 14 | 1F 01 dd | 0F 04 tttttttt | 86 09 | 0A 01 aa | 0B 01 nn | 0D 01 ss`: the
/// single-profile TLV (same wire codes) with the digits added.
pub(crate) fn config_tlv(settings: &ProfileSettings, unix_time: u32) -> [u8; 22] {
    let t = unix_time.to_be_bytes();
    [
        0x81,
        0x14,
        0x1F,
        0x01,
        display_code(settings.display),
        0x0F,
        0x04,
        t[0],
        t[1],
        t[2],
        t[3],
        0x86,
        0x09,
        0x0A,
        0x01,
        algorithm_code(settings.algorithm),
        0x0B,
        0x01,
        settings.digits.count(),
        0x0D,
        0x01,
        period_code(settings.period),
    ]
}

/// `81 06 | 0F 04 tttttttt`: sets the clock only.
pub(crate) fn time_tlv(unix_time: u32) -> [u8; 8] {
    let t = unix_time.to_be_bytes();
    [0x81, 0x06, 0x0F, 0x04, t[0], t[1], t[2], t[3]]
}

/// Longest title in bytes (UTF-8 bytes, not characters).
pub const MAX_TITLE_BYTES: usize = 12;

/// A profile title the Molto2 can show: 1–12 UTF-8 bytes, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Title(String);

impl Title {
    /// Checks the length in bytes; the display shows what it can of other characters.
    pub fn new(text: &str) -> Result<Title, TitleError> {
        if text.is_empty() {
            return Err(TitleError::Empty);
        }
        if text.len() > MAX_TITLE_BYTES {
            return Err(TitleError::TooLong {
                bytes: text.len(),
                fitting: fitting_prefix(text).to_string(),
            });
        }
        // A NUL would read back as the end of the title (§2.7: zero-padded).
        if text.chars().any(char::is_control) {
            return Err(TitleError::ControlCharacter);
        }
        Ok(Title(text.to_string()))
    }

    /// The title text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest prefix of `text` that fits in 12 bytes without cutting a character.
pub fn fitting_prefix(text: &str) -> &str {
    let mut end = 0;
    for (index, c) in text.char_indices() {
        if index + c.len_utf8() > MAX_TITLE_BYTES {
            break;
        }
        end = index + c.len_utf8();
    }
    &text[..end]
}

/// A title the Molto2 cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleError {
    /// No title.
    Empty,
    /// More than 12 bytes.
    TooLong {
        /// Its length in bytes.
        bytes: usize,
        /// What would fit.
        fitting: String,
    },
    /// Tabs, newlines and other control characters.
    ControlCharacter,
}

impl fmt::Display for TitleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TitleError::Empty => f.write_str(
                "The profile needs a title (1 to 12 bytes), for example the service name.",
            ),
            TitleError::TooLong { bytes, fitting } => write!(
                f,
                "The title is {bytes} bytes long; a Molto2 shows at most {MAX_TITLE_BYTES} bytes \
                 (accented letters and symbols take 2 to 4). Shorten it, for example to \
                 \"{fitting}\"."
            ),
            TitleError::ControlCharacter => f.write_str(
                "The title contains a control character (tab, line break…). Use plain text.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_counted_in_bytes() {
        assert!(Title::new("ABCDEFGHIJKL").is_ok());
        assert!(Title::new("éééééé").is_ok()); // 12 bytes
        let err = Title::new("ééééééé").unwrap_err(); // 14 bytes
        assert_eq!(
            err,
            TitleError::TooLong {
                bytes: 14,
                fitting: "éééééé".into()
            }
        );
        assert_eq!(Title::new(""), Err(TitleError::Empty));
        assert_eq!(Title::new("a\0b"), Err(TitleError::ControlCharacter));
        assert_eq!(fitting_prefix("12345678901✓"), "12345678901");
    }

    #[test]
    fn digits_are_four_six_eight_or_ten() {
        for n in 0..=20u8 {
            let expected = matches!(n, 4 | 6 | 8 | 10);
            assert_eq!(Digits::from_count(n).is_some(), expected, "{n}");
            if let Some(d) = Digits::from_count(n) {
                assert_eq!(d.count(), n);
            }
        }
    }
}
