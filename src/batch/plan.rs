//! The settings form and its check: the form's text becomes kiln-core's `BatchPlan` (the same
//! rules as `kiln batch`) before anything is burned; every refused line of a loaded list is
//! listed with its number.

use kiln_core::fleet::{BatchPlan, ListRefused, SeedList, SeedSource, UserList, UsersWithSeedList};
use kiln_core::{Algorithm, DisplayTimeout, Period};

/// What the settings form says, as typed.
#[derive(Clone, Default)]
pub struct SetupForm {
    /// True for "a list of seeds from a file", false for new seeds.
    pub from_list: bool,
    /// How many tokens ("" for open-ended).
    pub count: String,
    /// New seeds' algorithm.
    pub algorithm: Algorithm,
    /// New seeds' time step.
    pub period: Period,
    /// Display timeout for every token.
    pub display: DisplayTimeout,
    /// The user list, pasted or loaded ("" for none).
    pub users: String,
    /// The seed list, pasted or loaded.
    pub seeds: String,
}

/// Why the settings cannot start a batch: a sentence, and the lines to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupRefused {
    /// What is wrong, in a sentence.
    pub summary: String,
    /// One entry per refused line ("Line 3: …"), in order.
    pub lines: Vec<String>,
}

impl SetupRefused {
    fn list(which: &str, refused: &ListRefused) -> SetupRefused {
        SetupRefused {
            summary: format!(
                "The {which} was not loaded: {} line(s) need fixing. Nothing has been written to \
                 any token.",
                refused.problems.len()
            ),
            lines: refused.problems.iter().map(ToString::to_string).collect(),
        }
    }

    fn plain(summary: &str) -> SetupRefused {
        SetupRefused {
            summary: summary.to_string(),
            lines: Vec::new(),
        }
    }
}

impl SetupForm {
    /// Checks the form and builds the batch (kiln-core's rules, the same as `kiln batch`).
    pub fn plan(&self) -> Result<BatchPlan, SetupRefused> {
        let count = match self.count.trim() {
            "" => None,
            text => match text.parse::<usize>() {
                Ok(n) if (1..=10_000).contains(&n) => Some(n),
                _ => {
                    return Err(SetupRefused::plain(
                        "The number of tokens must be a whole number from 1 to 10000, or empty \
                         for a batch without a set end.",
                    ));
                }
            },
        };
        let source = if self.from_list {
            if self.seeds.trim().is_empty() {
                return Err(SetupRefused::plain(
                    "Load or paste the list of seeds first: an Entra CSV, a upn,secret CSV or \
                     one otpauth:// link per line.",
                ));
            }
            SeedSource::List(
                SeedList::parse(&self.seeds).map_err(|e| SetupRefused::list("seed list", &e))?,
            )
        } else {
            SeedSource::Fresh {
                algorithm: self.algorithm,
                period: self.period,
            }
        };
        let users = if self.users.trim().is_empty() {
            None
        } else if self.from_list {
            // Said before the user list is read: its lines do not matter with a seed list.
            return Err(SetupRefused::plain(&UsersWithSeedList.to_string()));
        } else {
            Some(UserList::parse(&self.users).map_err(|e| SetupRefused::list("user list", &e))?)
        };
        BatchPlan::new(source, users, self.display, count)
            .map_err(|refused| SetupRefused::plain(&refused.to_string()))
    }
}
