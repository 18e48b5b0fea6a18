//! One token of the batch, from one button press: read its serial (GET INFO), decide what it
//! gets, burn it with kiln-core's burn session (clock and settings before the seed, so
//! restricted models keep it), and record the attempt. Never retried on its own: a failed or
//! unknown burn waits for the operator to press again.

use kiln_core::fleet::{AttemptId, AttemptOutcome, Burn, Decision, NewAttempt, decide};
use kiln_core::token::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::{BatchState, Phase};
use crate::components::Tone;
use crate::ops;
use crate::platform::clock;
use crate::platform::random::CryptoRandom;
use crate::state::AppState;

/// The id of the "burn the next token" button, where focus returns after each token.
pub const NEXT_BUTTON_ID: &str = "batch-next";

/// Burns the token on the reader. `again` names a serial the operator chose to burn again
/// with a new seed.
pub fn next_token(app: AppState, batch: BatchState, again: Option<String>) {
    if batch.phase.get_untracked() == Phase::Working || app.busy.get_untracked() {
        return;
    }
    batch.phase.set(Phase::Working);
    batch
        .message
        .set(Some((Tone::Info, "Reading the token…".into())));
    let started = clock::now_ms();
    spawn_local(async move {
        let (tone, message) = one_token(app, batch, again, started).await;
        batch.message.set(Some((tone, message)));
        batch.finished.update(|n| *n = n.wrapping_add(1));
        if batch.phase.get_untracked() == Phase::Working {
            batch.phase.set(Phase::Ready);
            focus_next_button();
        } else {
            focus_by_id(SKIP_BUTTON_ID);
        }
    });
}

/// The operator chose to leave a token burned earlier alone.
pub fn skip(batch: BatchState, serial: &str, row: usize) {
    batch.phase.set(Phase::Ready);
    batch.message.set(Some((
        Tone::Info,
        format!("Token {serial} skipped: it keeps the seed of row {row}. Put the next token on the reader."),
    )));
    focus_next_button();
}

/// The id of "Skip this token", where focus goes when a token burned earlier asks.
pub const SKIP_BUTTON_ID: &str = "batch-skip";

/// Moves keyboard focus to the next-token button (after the view updated).
pub fn focus_next_button() {
    focus_by_id(NEXT_BUTTON_ID);
}

fn focus_by_id(id: &'static str) {
    request_animation_frame(move || {
        if let Some(button) = document().get_element_by_id(id)
            && let Ok(button) = button.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = button.focus();
        }
    });
}

async fn one_token(
    app: AppState,
    batch: BatchState,
    again: Option<String>,
    started: f64,
) -> (Tone, String) {
    // The wizard's results were about a token this batch may now overwrite.
    app.token.set(None);
    app.results.clear();
    let report = match ops::run_session(app, Session::identify(), |_| {}).await {
        Ok(report) => report,
        Err(error) => return (Tone::Error, error.to_string()),
    };
    let Some(facts) = ops::facts_from(&report, clock::now_unix()) else {
        return (
            Tone::Error,
            format!(
                "{} Nothing was written. Put a Token2 token on the reader and press again.",
                report.summary()
            ),
        );
    };
    let serial = facts.info.serial;
    let burn_again = again.as_deref() == Some(serial.as_str());
    let decision = batch.plan.with_value(|plan| {
        batch.ledger.with_value(|ledger| match (plan, ledger) {
            (Some(plan), Some(ledger)) => {
                Some(decide(plan, ledger, &serial, burn_again, &mut CryptoRandom))
            }
            _ => None,
        })
    });
    let burn = match decision {
        None => {
            return (
                Tone::Error,
                "Start the batch first (settings above).".into(),
            );
        }
        Some(Err(random)) => return (Tone::Error, random.to_string()),
        Some(Ok(Decision::Refused(refusal))) => {
            return (Tone::Warning, format!("Nothing was written. {refusal}"));
        }
        Some(Ok(Decision::SeenEarlier { attempt })) => {
            batch.phase.set(Phase::SeenEarlier {
                serial: serial.clone(),
                row: attempt.number(),
            });
            return (
                Tone::Warning,
                format!(
                    "Token {serial} was already burned in this batch (row {}). Skip it, or burn \
                     it again with a new seed (row {} will be marked as replaced).",
                    attempt.number(),
                    attempt.number()
                ),
            );
        }
        Some(Ok(Decision::Burn(burn))) => burn,
    };
    burn_token(app, batch, &serial, burn, started).await
}

async fn burn_token(
    app: AppState,
    batch: BatchState,
    serial: &str,
    burn: Burn,
    started: f64,
) -> (Tone, String) {
    batch.message.set(Some((
        Tone::Info,
        format!("Burning token {serial}… keep it on the reader."),
    )));
    let session = match Session::burn(&burn.secret, burn.settings) {
        Ok(session) => session.expect_serial(serial),
        Err(error) => return (Tone::Error, error.to_string()),
    };
    let report = match ops::run_session(app, session, |_| {}).await {
        Ok(report) => report,
        // The link did not open: nothing was sent, the token is as it was.
        Err(error) => return (Tone::Error, error.to_string()),
    };
    let outcome = AttemptOutcome::from_report(&report);
    let retry = burn.retry;
    let recorded = batch.ledger.try_update_value(|ledger| {
        ledger.as_mut().map(|ledger| {
            ledger.record(NewAttempt {
                unix_time: clock::now_unix(),
                serial: serial.to_string(),
                settings: burn.settings,
                secret: burn.secret,
                user: burn.user,
                user_slot: burn.user_slot,
                row: burn.row,
                outcome: outcome.clone(),
                replaces: burn.replaces,
            })
        })
    });
    let id = match recorded.flatten() {
        Some(Ok(id)) => id,
        Some(Err(error)) => return (Tone::Error, error.to_string()),
        None => {
            return (
                Tone::Error,
                "The batch was wiped while the token was burned.".into(),
            );
        }
    };
    batch.refresh();
    batch.last_attempt.set(Some(id));
    batch
        .last_ms
        .set(Some((clock::now_ms() - started).max(0.0) as u32));
    let done = batch.plan.with_value(|plan| {
        batch
            .ledger
            .with_value(|ledger| matches!((plan, ledger), (Some(p), Some(l)) if p.is_complete(l)))
    });
    batch.complete.set(done);
    outcome_message(batch, id, serial, &outcome, retry)
}

fn outcome_message(
    batch: BatchState,
    id: AttemptId,
    serial: &str,
    outcome: &AttemptOutcome,
    retry: bool,
) -> (Tone, String) {
    let row = id.number();
    match outcome {
        AttemptOutcome::Success => {
            let user = batch.rows.with_untracked(|rows| {
                rows.iter()
                    .find(|r| r.number == row)
                    .and_then(|r| r.user.clone())
            });
            let next = if batch.complete.get_untracked() {
                "The batch is complete: export the files below."
            } else {
                "Put the next token on the reader and press Enter."
            };
            (
                Tone::Success,
                format!(
                    "Row {row}: token {serial} burned{}{}. {next}",
                    user.map(|u| format!(" for {u}")).unwrap_or_default(),
                    if retry { " (same seed again)" } else { "" }
                ),
            )
        }
        AttemptOutcome::Unknown { reason } => (
            Tone::Warning,
            format!(
                "Row {row}: token {serial}: result unknown. {reason} Put token {serial} back on \
                 the reader and press again: Kiln burns the same seed again."
            ),
        ),
        other => (
            Tone::Error,
            format!(
                "Row {row}: token {serial} failed. {} Put it back on the reader to try again.",
                other.reason().unwrap_or_default()
            ),
        ),
    }
}
