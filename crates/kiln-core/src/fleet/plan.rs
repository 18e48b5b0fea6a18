//! A checked batch, the same for the web app's Batch screen and `kiln batch`: where the seeds
//! come from, who gets the tokens, the display timeout, and how many tokens it is for. Each
//! front end reads its own form or flags into these parts; the rules that join them live here.

use core::fmt;

use super::ledger::Ledger;
use super::seed_list::SeedList;
use super::users::{ShortUserList, UserList};
use crate::{Algorithm, DisplayTimeout, Period};

/// Where the seeds come from.
pub enum SeedSource {
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

/// A user list was given with a seed list: the seed list names its own users (its upn
/// column), so the two would disagree about who gets each token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsersWithSeedList;

impl fmt::Display for UsersWithSeedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "A list of seeds names its own users (its upn column). Remove the user list, or use \
             new seeds.",
        )
    }
}

/// A checked batch, ready to run.
pub struct BatchPlan {
    /// Seeds.
    pub source: SeedSource,
    /// Users for new seeds (never with a seed list).
    pub users: Option<UserList>,
    /// Display timeout for every token.
    pub display: DisplayTimeout,
    /// Successful tokens after which the batch is complete, when there is such a number: the
    /// count asked for, else the number of users.
    pub count: Option<usize>,
    /// The user list is shorter than the count (the extra tokens go unassigned): the front end
    /// says so before the batch starts.
    pub short_users: Option<ShortUserList>,
}

impl BatchPlan {
    /// Joins the parts. Without a `count`, a user list sets it (one token per user).
    pub fn new(
        source: SeedSource,
        users: Option<UserList>,
        display: DisplayTimeout,
        count: Option<usize>,
    ) -> Result<BatchPlan, UsersWithSeedList> {
        if users.is_some() && matches!(source, SeedSource::List(_)) {
            return Err(UsersWithSeedList);
        }
        let count = count.or_else(|| users.as_ref().map(UserList::len));
        let short_users = match (&users, count) {
            (Some(users), Some(count)) => users.check_count(count).err(),
            _ => None,
        };
        Ok(BatchPlan {
            source,
            users,
            display,
            count,
            short_users,
        })
    }

    /// Tokens the batch is for, when known (the count, else the list's rows; a count beyond
    /// the list's rows is the rows).
    pub fn size(&self) -> Option<usize> {
        match &self.source {
            SeedSource::List(list) => Some(
                self.count
                    .map_or(list.rows().len(), |c| c.min(list.rows().len())),
            ),
            SeedSource::Fresh { .. } => self.count,
        }
    }

    /// True when the batch has all the tokens it is for: the count reached (a user list sets
    /// the count), or every list row burned successfully.
    pub fn is_complete(&self, ledger: &Ledger) -> bool {
        let done = ledger.exported().count();
        if self.count.is_some_and(|count| done >= count) {
            return true;
        }
        match &self.source {
            SeedSource::List(list) => (0..list.rows().len())
                .all(|row| ledger.exported().any(|attempt| attempt.row == Some(row))),
            SeedSource::Fresh { .. } => false,
        }
    }

    /// Wipes the seed list's secrets.
    pub fn wipe(&mut self) {
        if let SeedSource::List(list) = &mut self.source {
            list.wipe();
        }
    }
}
