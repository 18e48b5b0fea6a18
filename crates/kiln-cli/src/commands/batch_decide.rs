//! The CLI's side of kiln-core's batch decision (`fleet::decide`): the operating system's
//! random number generator, and the decision said to the operator (a refused token, and the
//! question about a token burned earlier in this batch).

use kiln_core::fleet::{
    BatchPlan, Burn, Decision, Ledger, RandomSource, RandomUnavailable, decide,
};
use serde_json::json;

use super::batch_events::Events;
use crate::confirm;
use crate::exit::CliError;

/// The OS random number generator.
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable> {
        getrandom::fill(bytes).map_err(|_| RandomUnavailable)
    }
}

/// How the operator wants tokens burned earlier in this batch handled.
#[derive(Clone, Copy)]
pub struct Repeats {
    /// Ask on the terminal (no --yes).
    pub ask: bool,
    /// Burn them again without asking (--reburn).
    pub reburn: bool,
}

/// What to burn into the token `serial`, or `None` (said to the operator) when it is left
/// alone.
pub fn choose(
    plan: &BatchPlan,
    ledger: &Ledger,
    serial: &str,
    repeats: Repeats,
    events: Events,
) -> Result<Option<Burn>, CliError> {
    let random = |_| CliError::device("no_random", RandomUnavailable.to_string());
    match decide(plan, ledger, serial, repeats.reburn, &mut OsRandom).map_err(random)? {
        Decision::Burn(burn) => Ok(Some(burn)),
        Decision::Refused(refusal) => {
            let message = refusal.to_string();
            events.emit(
                "refused",
                json!({"serial": serial, "code": "not_for_this_token", "message": message}),
                &message,
            );
            Ok(None)
        }
        Decision::SeenEarlier { attempt } => {
            let question = format!(
                "Token {serial} was already burned in this batch (row {}). Burn it again with a \
                 new seed? Its earlier row will be marked as replaced.",
                attempt.number()
            );
            if repeats.ask && confirm::ask(&question, false)? {
                return match decide(plan, ledger, serial, true, &mut OsRandom).map_err(random)? {
                    Decision::Burn(burn) => Ok(Some(burn)),
                    _ => Ok(None),
                };
            }
            events.emit(
                "skipped",
                json!({"serial": serial, "attempt": attempt.number(),
                       "reason": "already_burned"}),
                &format!(
                    "Token {serial} was already burned in this batch (row {}): skipped, it keeps \
                     that seed. Use --reburn to burn such tokens again.",
                    attempt.number()
                ),
            );
            Ok(None)
        }
    }
}
