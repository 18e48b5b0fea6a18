//! The drift check on the token card: the token's clock against this device's, and what that
//! means for the account's codes (kiln-core's verdict and sentence).

use kiln_core::Period;
use kiln_core::token::{DriftCheck, DriftVerdict};
use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::state::{AppState, Screen, use_app};

/// The verdict in a few words.
fn verdict_title(verdict: DriftVerdict) -> &'static str {
    match verdict {
        DriftVerdict::Ok => "Clock check: fine",
        DriftVerdict::Fix => "Clock check: worth fixing",
        DriftVerdict::Refused => "Clock check: codes will be refused",
    }
}

fn verdict_tone(verdict: DriftVerdict) -> Tone {
    match verdict {
        DriftVerdict::Ok => Tone::Success,
        DriftVerdict::Fix => Tone::Warning,
        // Not an error of Kiln's: a warning, announced politely.
        DriftVerdict::Refused => Tone::Warning,
    }
}

/// The account's period when the wizard knows the account; the tools judge for 30 s.
fn known_period(state: AppState) -> Option<Period> {
    match state.screen.get() {
        Screen::Wizard(_) => state.account.with(|a| a.as_ref().map(|a| a.period)),
        _ => None,
    }
}

/// The verdict for `offset` (token minus this device, seconds) and what to do.
#[component]
pub fn DriftStatus(
    /// Token clock minus this device's clock, in seconds, as read.
    offset: i64,
) -> impl IntoView {
    let state = use_app();
    move || {
        let known = known_period(state);
        let period = known.unwrap_or(Period::S30);
        let check = DriftCheck::new(offset, period);
        let in_wizard = known.is_some();
        view! {
            <div class="drift-status" data-testid="drift-status"
                data-verdict=check.verdict.code() data-period=period.seconds()>
                <Notice tone=verdict_tone(check.verdict) title=verdict_title(check.verdict)>
                    <p data-testid="drift-sentence">{check.sentence_against("device")}</p>
                    {(!in_wizard).then(|| view! {
                        <p class="hint" data-testid="drift-assumed-period">
                            "No account is known here, so this is judged for a 30 s token, the \
                             most common kind. A 60 s token tolerates twice as much."
                        </p>
                    })}
                    {(in_wizard && check.verdict != DriftVerdict::Ok).then(|| view! {
                        <p class="hint">"The burn sets the token’s clock to this device’s time, so it fixes this too."</p>
                    })}
                    <p class="hint">
                        "This page cannot know the true time: it compares the token with this \
                         device’s clock, which may itself be wrong."
                    </p>
                </Notice>
            </div>
        }
    }
}
