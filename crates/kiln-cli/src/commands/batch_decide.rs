//! What the token on the reader gets: the same seed again after an unknown result, a new seed
//! (or its list row) otherwise, or nothing when it was already burned in this batch and the
//! operator does not want it burned again.

use kiln_core::Secret;
use kiln_core::fleet::{
    AttemptId, AttemptOutcome, Ledger, RandomSource, RandomUnavailable, User, fresh_seed,
    row_for_serial, user_for_serial,
};
use kiln_core::token::TokenSettings;

use super::batch_setup::{Plan, Source};

/// The decision for one token.
pub enum Decision {
    /// Burn this.
    Burn(Burn),
    /// Leave the token alone, for this reason (said to the operator).
    Skip {
        /// Machine-readable reason.
        code: &'static str,
        /// For people.
        message: String,
    },
    /// The token was burned successfully earlier in this batch: ask, skip or burn again.
    SeenEarlier {
        /// Its current row.
        attempt: AttemptId,
    },
}

/// What to burn into a token.
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

/// The OS random number generator.
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable> {
        getrandom::fill(bytes).map_err(|_| RandomUnavailable)
    }
}

/// Decides for the token `serial`; `again` says the operator chose to burn a token seen
/// earlier again.
pub fn decide(
    plan: &Plan,
    ledger: &Ledger,
    serial: &str,
    again: bool,
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
        Source::Fresh { algorithm, .. } => {
            let Some((_, settings)) = plan.fresh_settings() else {
                return Ok(Decision::Skip {
                    code: "internal_error",
                    message: "internal error: no settings for new seeds".into(),
                });
            };
            let secret = fresh_seed(*algorithm, &mut OsRandom)?;
            let (user, user_slot) = match &plan.users {
                Some(users) => match user_for_serial(users, ledger, serial) {
                    Some(slot) => (users.users().get(slot).cloned(), Some(slot)),
                    None => (None, None),
                },
                None => (None, None),
            };
            Ok(Decision::Burn(Burn {
                secret,
                settings,
                user,
                user_slot,
                row: None,
                replaces,
                retry: false,
            }))
        }
        Source::List(list) => match row_for_serial(list, ledger, serial) {
            Ok(index) => {
                let Some(row) = list.rows().get(index) else {
                    return Ok(Decision::Skip {
                        code: "internal_error",
                        message: "internal error: the list row is missing".into(),
                    });
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
            Err(refusal) => Ok(Decision::Skip {
                code: "not_for_this_token",
                message: refusal.to_string(),
            }),
        },
    }
}
