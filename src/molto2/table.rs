//! The profile table of one Molto2, as one `list` session read it.

use kiln_core::molto2::Report;

/// One profile's public data (never a seed: READ PROFILE does not return one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProfileRow {
    /// Profile number (0–99, 0–49 on a Molto2 v1).
    pub number: u8,
    /// Its title ("" when none).
    pub title: String,
    /// "SHA1", "SHA256", or the unknown code.
    pub algorithm: String,
    /// Time step in seconds.
    pub period: u8,
    /// Digits shown.
    pub digits: u8,
    /// True when it holds a seed.
    pub occupied: bool,
}

/// The table, with the serial of the Molto2 it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileTable {
    /// The Molto2's serial number: the table is about this device only.
    pub serial: String,
    /// Seconds between the Molto2's clock and this computer's when read (positive: ahead).
    pub clock_offset: i64,
    /// Every profile read, in order.
    pub rows: Vec<ProfileRow>,
}

impl ProfileTable {
    /// The table in a finished `list` report; `None` unless the device and every profile
    /// were read.
    pub fn from_report(report: &Report, read_at: u64) -> Option<ProfileTable> {
        if report.outcome() != kiln_core::molto2::Outcome::Success {
            return None;
        }
        let info = report.info.as_ref()?;
        let rows = report
            .profiles
            .iter()
            .map(|(number, record)| ProfileRow {
                number: number.get(),
                title: record.title.clone(),
                algorithm: record.algorithm().map_or_else(
                    || format!("unknown ({})", record.algorithm_code),
                    |a| a.name().to_string(),
                ),
                period: record.step_seconds,
                digits: record.digits,
                occupied: record.occupied,
            })
            .collect();
        Some(ProfileTable {
            serial: info.serial.clone(),
            clock_offset: info.clock_offset(read_at),
            rows,
        })
    }

    /// The row of `number`, if read.
    pub fn row(&self, number: u8) -> Option<&ProfileRow> {
        self.rows.iter().find(|row| row.number == number)
    }
}
