//! A checked batch: where the seeds come from, who gets the tokens, the settings, and how many.
//! Built from the settings form before anything is burned; every refused line of a loaded list
//! is listed with its number (kiln-core's checks, the same as `kiln batch`).

use kiln_core::fleet::{ListRefused, SeedList, ShortUserList, UserList};
use kiln_core::token::TokenSettings;
use kiln_core::{Algorithm, DisplayTimeout, Period};

/// Where the seeds come from.
pub enum Source {
    /// New random seeds with these settings.
    Fresh {
        /// HMAC algorithm.
        algorithm: Algorithm,
        /// Time step.
        period: Period,
    },
    /// The rows of a checked list (secrets are wiped on drop).
    List(SeedList),
}

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

/// A checked batch, ready to run.
pub struct Plan {
    /// Seeds.
    pub source: Source,
    /// Users for new seeds.
    pub users: Option<UserList>,
    /// Display timeout for every token.
    pub display: DisplayTimeout,
    /// Successful tokens after which the batch is complete, when there is such a number.
    pub count: Option<usize>,
    /// The user list is shorter than the count (the extra tokens go unassigned).
    pub short_users: Option<ShortUserList>,
}

impl Plan {
    /// Checks the form. A user list with a seed list is refused (the list names its users).
    pub fn from_form(form: &SetupForm) -> Result<Plan, SetupRefused> {
        let count = match form.count.trim() {
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
        let source = if form.from_list {
            if form.seeds.trim().is_empty() {
                return Err(SetupRefused::plain(
                    "Load or paste the list of seeds first: an Entra CSV, a upn,secret CSV or \
                     one otpauth:// link per line.",
                ));
            }
            Source::List(
                SeedList::parse(&form.seeds).map_err(|e| SetupRefused::list("seed list", &e))?,
            )
        } else {
            Source::Fresh {
                algorithm: form.algorithm,
                period: form.period,
            }
        };
        let users = match (form.from_list, form.users.trim().is_empty()) {
            (_, true) => None,
            (true, false) => {
                return Err(SetupRefused::plain(
                    "A list of seeds names its own users (its upn column). Remove the user list, \
                     or use new seeds.",
                ));
            }
            (false, false) => Some(
                UserList::parse(&form.users).map_err(|e| SetupRefused::list("user list", &e))?,
            ),
        };
        let count = count.or_else(|| users.as_ref().map(UserList::len));
        let short_users = match (&users, count) {
            (Some(users), Some(count)) => users.check_count(count).err(),
            _ => None,
        };
        Ok(Plan {
            source,
            users,
            display: form.display,
            count,
            short_users,
        })
    }

    /// The settings of new seeds (`None` for a seed list: each row has its own).
    pub fn fresh_settings(&self) -> Option<(Algorithm, TokenSettings)> {
        match self.source {
            Source::Fresh { algorithm, period } => Some((
                algorithm,
                TokenSettings {
                    algorithm,
                    period,
                    display: self.display,
                },
            )),
            Source::List(_) => None,
        }
    }

    /// Tokens the batch is for, when known (the count, else the list's rows).
    pub fn size(&self) -> Option<usize> {
        match &self.source {
            Source::List(list) => Some(
                self.count
                    .map_or(list.rows().len(), |c| c.min(list.rows().len())),
            ),
            Source::Fresh { .. } => self.count,
        }
    }

    /// Wipes the seed list's secrets.
    pub fn wipe(&mut self) {
        if let Source::List(list) = &mut self.source {
            list.wipe();
        }
    }
}
