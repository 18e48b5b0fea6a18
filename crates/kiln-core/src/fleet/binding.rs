//! Which seed-list row and which user the token on the reader gets.
//!
//! Rows and users are handed out in order. A token keeps its row and user while it may hold
//! the row's seed (its current attempt succeeded or ended "unknown"); a failed attempt gives
//! them back. A row that names a serial waits for that token: any other token is refused with
//! the serial it should have been.

use core::fmt;

use super::ledger::Ledger;
use super::seed_list::{SeedList, SeedRow};
use super::users::UserList;

/// A token that may not take the row or list it was offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowRefusal {
    /// The row is for another token.
    OtherSerial {
        /// The list line of the row.
        line: usize,
        /// The token the row is for.
        expected: String,
        /// The token on the reader.
        found: String,
    },
    /// Every remaining row names another token.
    NotInList {
        /// The token on the reader.
        found: String,
        /// The tokens the remaining rows wait for.
        waiting_for: Vec<String>,
    },
    /// Every row of the list has been burned.
    ListFinished,
}

impl fmt::Display for RowRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowRefusal::OtherSerial {
                line,
                expected,
                found,
            } => write!(
                f,
                "Line {line} of the list is for token {expected}, but this is token {found}. Put \
                 token {expected} on the reader."
            ),
            RowRefusal::NotInList { found, waiting_for } => write!(
                f,
                "Token {found} is not in the list. The rows left are for token(s) {}: put one \
                 of them on the reader.",
                waiting_for.join(", ")
            ),
            RowRefusal::ListFinished => f.write_str(
                "Every row of the list has been burned. Export the results, or load another \
                 list.",
            ),
        }
    }
}

impl SeedRow {
    /// Whether the token with `serial` may take this row.
    pub fn check_serial(&self, serial: &str) -> Result<(), RowRefusal> {
        match &self.serial {
            Some(expected) if expected != serial => Err(RowRefusal::OtherSerial {
                line: self.line,
                expected: expected.clone(),
                found: serial.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

/// The index of the row the token with `serial` may take: the row it already holds, else the
/// row that names it, else the first free row that names no token.
pub fn row_for_serial(list: &SeedList, ledger: &Ledger, serial: &str) -> Result<usize, RowRefusal> {
    if let Some(row) = ledger
        .seen_earlier(serial)
        .filter(|a| a.holds_token())
        .and_then(|a| a.row)
    {
        return Ok(row);
    }
    let taken = |index: usize| {
        ledger
            .attempts()
            .iter()
            .any(|a| a.holds_token() && a.row == Some(index))
    };
    let rows = list.rows();
    if let Some(index) = rows
        .iter()
        .position(|r| r.serial.as_deref() == Some(serial))
    {
        return Ok(index);
    }
    if let Some(index) = (0..rows.len()).find(|i| rows[*i].serial.is_none() && !taken(*i)) {
        return Ok(index);
    }
    let waiting_for: Vec<String> = (0..rows.len())
        .filter(|i| !taken(*i))
        .filter_map(|i| rows[i].serial.clone())
        .collect();
    if waiting_for.is_empty() {
        Err(RowRefusal::ListFinished)
    } else {
        Err(RowRefusal::NotInList {
            found: serial.to_string(),
            waiting_for,
        })
    }
}

/// The index of the user the token with `serial` is for: the one it already has, else the
/// first user no token holds. `None` when every user has a token (the list was shorter than
/// the batch): the caller asks whether to go on with unassigned tokens.
pub fn user_for_serial(users: &UserList, ledger: &Ledger, serial: &str) -> Option<usize> {
    if let Some(slot) = ledger
        .seen_earlier(serial)
        .filter(|a| a.holds_token())
        .and_then(|a| a.user_slot)
    {
        return Some(slot);
    }
    (0..users.len()).find(|slot| {
        !ledger
            .attempts()
            .iter()
            .any(|a| a.holds_token() && a.user_slot == Some(*slot))
    })
}
