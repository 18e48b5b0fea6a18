//! What the token on the reader gets: the same seed again after an "unknown" result (the token
//! may already hold it), else its seed-list row or a new seed with the next user, or a question
//! when it was burned successfully earlier in this batch. The front ends only word the answer.

use super::binding::{RowRefusal, row_for_serial, user_for_serial};
use super::ledger::{AttemptId, AttemptOutcome, Ledger};
use super::plan::{BatchPlan, SeedSource};
use super::random::{RandomSource, RandomUnavailable};
use super::seed::fresh_seed;
use super::users::User;
use crate::Secret;
use crate::token::TokenSettings;

/// The decision for one token.
pub enum Decision {
    /// Burn this.
    Burn(Burn),
    /// Leave the token alone: the seed list has no row for it.
    Refused(RowRefusal),
    /// The token was burned successfully earlier in this batch: the operator chooses to skip
    /// it or burn it again.
    SeenEarlier {
        /// Its current row.
        attempt: AttemptId,
    },
}

/// What to burn into a token; the fields go into the ledger's `NewAttempt` after the burn.
pub struct Burn {
    /// The seed (wiped on drop).
    pub secret: Secret,
    /// Settings.
    pub settings: TokenSettings,
    /// The user, if any.
    pub user: Option<User>,
    /// The user's place in the user list.
    pub user_slot: Option<usize>,
    /// The seed list row.
    pub row: Option<usize>,
    /// The earlier row this attempt replaces.
    pub replaces: Option<AttemptId>,
    /// True when it is the same seed again after an unknown result.
    pub retry: bool,
}

/// Decides for the token `serial`; `again` says the operator chose to burn a token seen
/// earlier again. `random` is used only when a new seed is needed.
pub fn decide(
    plan: &BatchPlan,
    ledger: &Ledger,
    serial: &str,
    again: bool,
    random: &mut dyn RandomSource,
) -> Result<Decision, RandomUnavailable> {
    let current = ledger.seen_earlier(serial);
    if let Some(attempt) = current {
        match attempt.outcome {
            AttemptOutcome::Unknown { .. } => {
                return Ok(Decision::Burn(Burn {
                    secret: attempt.secret.clone(),
                    settings: attempt.settings,
                    user: attempt.user.clone(),
                    user_slot: attempt.user_slot,
                    row: attempt.row,
                    replaces: Some(attempt.id),
                    retry: true,
                }));
            }
            AttemptOutcome::Success if !again => {
                return Ok(Decision::SeenEarlier {
                    attempt: attempt.id,
                });
            }
            _ => {}
        }
    }
    let replaces = current.map(|a| a.id);
    match &plan.source {
        SeedSource::Fresh { algorithm, period } => {
            let secret = fresh_seed(*algorithm, random)?;
            let (user, user_slot) = match &plan.users {
                Some(users) => match user_for_serial(users, ledger, serial) {
                    Some(slot) => (users.users().get(slot).cloned(), Some(slot)),
                    None => (None, None),
                },
                None => (None, None),
            };
            Ok(Decision::Burn(Burn {
                secret,
                settings: TokenSettings {
                    algorithm: *algorithm,
                    period: *period,
                    display: plan.display,
                },
                user,
                user_slot,
                row: None,
                replaces,
                retry: false,
            }))
        }
        SeedSource::List(list) => {
            let index = match row_for_serial(list, ledger, serial) {
                Ok(index) => index,
                Err(refusal) => return Ok(Decision::Refused(refusal)),
            };
            // `row_for_serial` only gives indexes of the list's rows; were one missing, no row
            // is left for this token.
            let Some(row) = list.rows().get(index) else {
                return Ok(Decision::Refused(RowRefusal::ListFinished));
            };
            Ok(Decision::Burn(Burn {
                secret: row.account.secret.clone(),
                settings: TokenSettings {
                    algorithm: row.account.algorithm,
                    period: row.account.period,
                    display: plan.display,
                },
                user: row.upn.as_ref().map(|upn| User {
                    upn: upn.clone(),
                    object_id: None,
                    line: row.line,
                }),
                user_slot: None,
                row: Some(index),
                replaces,
                retry: false,
            }))
        }
    }
}
