//! What the token on the reader gets — the same choices as `kiln batch`: the same seed again
//! after an "unknown" result, its list row or a new seed otherwise, or a question when it was
//! burned successfully earlier in this batch.

use kiln_core::Secret;
use kiln_core::fleet::{
    AttemptId, AttemptOutcome, Ledger, RandomSource, RandomUnavailable, User, fresh_seed,
    row_for_serial, user_for_serial,
};
use kiln_core::token::TokenSettings;

use super::plan::{Plan, Source};

/// The decision for one token.
pub enum Decision {
    /// Burn this.
    Burn(Burn),
    /// Leave the token alone, for this reason (said to the operator).
    Skip(String),
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

/// Decides for the token `serial`; `again` says the operator chose to burn a token seen
/// earlier again.
pub fn decide(
    plan: &Plan,
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
        Source::Fresh { algorithm, .. } => {
            let Some((_, settings)) = plan.fresh_settings() else {
                return Ok(Decision::Skip(
                    "Kiln has no settings for new seeds (this is a bug in Kiln).".into(),
                ));
            };
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
                    return Ok(Decision::Skip(
                        "The list row is missing (this is a bug in Kiln).".into(),
                    ));
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
            Err(refusal) => Ok(Decision::Skip(refusal.to_string())),
        },
    }
}

/// True when the batch has all the tokens it is for: the count reached, or every list row
/// burned.
pub fn complete(plan: &Plan, ledger: &Ledger) -> bool {
    let done = ledger.exported().count();
    if plan.count.is_some_and(|count| done >= count) {
        return true;
    }
    match &plan.source {
        Source::List(list) => (0..list.rows().len())
            .all(|row| ledger.exported().any(|attempt| attempt.row == Some(row))),
        Source::Fresh { .. } => false,
    }
}
