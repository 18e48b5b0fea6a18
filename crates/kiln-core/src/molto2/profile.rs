//! Profile numbers and the READ PROFILE reply (§2.7):
//! `95 1F | 70 1D | flag | title[16] | timeA[4] | timeB[4] | alg | step | digits | seedPresent`.
//!
//! The title comes back in clear, zero-padded. Empty slots may show default settings, so only
//! the last byte says whether a seed is stored; any value other than `00`/`01` there makes the
//! record unreadable, because a profile must never be taken for free by mistake.

use core::fmt;

use crate::params::{Algorithm, Period};

/// Profiles of a Molto2v2 (0–99). A Molto2 (v1) has 0–49 and refuses the others.
pub const MAX_PROFILES: u8 = 100;

/// A profile number, 0–99.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileNumber(u8);

impl ProfileNumber {
    /// `None` above 99.
    pub fn new(number: u8) -> Option<ProfileNumber> {
        (number < MAX_PROFILES).then_some(ProfileNumber(number))
    }

    /// Reads a number typed by the user.
    pub fn parse(text: &str) -> Option<ProfileNumber> {
        text.trim().parse::<u8>().ok().and_then(ProfileNumber::new)
    }

    /// The number, which is also the command's P2.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Every profile number, 0 to 99.
    pub fn all() -> impl Iterator<Item = ProfileNumber> {
        (0..MAX_PROFILES).map(ProfileNumber)
    }
}

impl fmt::Display for ProfileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What READ PROFILE says about one profile. The settings are the raw bytes: an empty slot
/// may hold anything there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRecord {
    /// The first byte of the record (meaning unknown; kept for diagnostics).
    pub flag: u8,
    /// The title up to its first zero byte (invalid UTF-8 is shown with U+FFFD).
    pub title: String,
    /// Algorithm byte: 1 = SHA-1, 2 = SHA-256.
    pub algorithm_code: u8,
    /// Time step in seconds (0x1E = 30).
    pub step_seconds: u8,
    /// Digits shown.
    pub digits: u8,
    /// True when the profile holds a seed.
    pub occupied: bool,
}

impl ProfileRecord {
    /// The algorithm, when the byte is a known one.
    pub fn algorithm(&self) -> Option<Algorithm> {
        match self.algorithm_code {
            1 => Some(Algorithm::Sha1),
            2 => Some(Algorithm::Sha256),
            _ => None,
        }
    }

    /// The period, when the step is 30 or 60 s.
    pub fn period(&self) -> Option<Period> {
        Period::from_seconds(u64::from(self.step_seconds))
    }
}

/// A READ PROFILE reply Kiln could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Not the `95 1F 70 1D` layout of 33 bytes.
    Layout,
    /// The occupancy byte is neither 00 nor 01.
    Occupancy(u8),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Layout => f.write_str(
                "The Molto2's description of the profile has an unknown layout. Kiln will not \
                 write to a profile it cannot read; check that this is a Token2 Molto2.",
            ),
            RecordError::Occupancy(b) => write!(
                f,
                "The Molto2 did not say clearly whether the profile holds a seed (byte {b:02X}). \
                 Kiln will not write to it."
            ),
        }
    }
}

/// Length of the record's data (status word removed).
pub const RECORD_LEN: usize = 33;

/// Parses the data part of a READ PROFILE reply (status word removed).
pub fn parse_record(data: &[u8]) -> Result<ProfileRecord, RecordError> {
    let record: &[u8; RECORD_LEN] = data.try_into().map_err(|_| RecordError::Layout)?;
    if record[..4] != [0x95, 0x1F, 0x70, 0x1D] {
        return Err(RecordError::Layout);
    }
    let title_bytes = &record[5..21];
    let end = title_bytes
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(title_bytes.len());
    let occupied = match record[32] {
        0x00 => false,
        0x01 => true,
        other => return Err(RecordError::Occupancy(other)),
    };
    Ok(ProfileRecord {
        flag: record[4],
        title: String::from_utf8_lossy(&title_bytes[..end]).into_owned(),
        algorithm_code: record[29],
        step_seconds: record[30],
        digits: record[31],
        occupied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(title: &[u8], present: u8) -> Vec<u8> {
        let mut r = vec![0x95, 0x1F, 0x70, 0x1D, 0x01];
        let mut t = title.to_vec();
        t.resize(16, 0);
        r.extend_from_slice(&t);
        r.extend_from_slice(&[0; 8]);
        r.extend_from_slice(&[0x01, 0x1E, 0x06, present]);
        r
    }

    #[test]
    fn a_record_parses_and_a_wrong_one_does_not() {
        let r = parse_record(&record(b"Mail", 1)).unwrap();
        assert_eq!(r.title, "Mail");
        assert!(r.occupied);
        assert_eq!(r.algorithm(), Some(Algorithm::Sha1));
        assert_eq!(r.period(), Some(Period::S30));
        assert_eq!(
            parse_record(&record(b"", 2)),
            Err(RecordError::Occupancy(2))
        );
        let mut short = record(b"x", 0);
        short.pop();
        assert_eq!(parse_record(&short), Err(RecordError::Layout));
        let mut bad = record(b"x", 0);
        bad[2] = 0x71;
        assert_eq!(parse_record(&bad), Err(RecordError::Layout));
        let full = parse_record(&record(&[b'A'; 16], 0)).unwrap();
        assert_eq!(full.title.len(), 16);
        let invalid = parse_record(&record(&[0xFF, b'a'], 0)).unwrap();
        assert_eq!(invalid.title, "\u{FFFD}a");
    }

    #[test]
    fn profile_numbers_stop_at_99() {
        assert_eq!(ProfileNumber::new(99).map(ProfileNumber::get), Some(99));
        assert_eq!(ProfileNumber::new(100), None);
        assert_eq!(
            ProfileNumber::parse(" 49 ").map(ProfileNumber::get),
            Some(49)
        );
        assert_eq!(ProfileNumber::parse("-1"), None);
        assert_eq!(ProfileNumber::all().count(), 100);
    }
}
