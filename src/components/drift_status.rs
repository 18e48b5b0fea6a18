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

/// The period a tool's own settings name (the Set-clock tool's "Period" choice), provided as
/// context by that tool: its drift is judged for the period the user says the token runs at.
#[derive(Clone, Copy)]
pub struct ToolPeriod(pub Signal<Period>);

/// Which period the verdict is for, and where it comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Judged {
    /// The wizard's account.
    Account(Period),
    /// The tool's own period setting.
    Tool(Period),
    /// Nothing names one: 30 s, the most common kind.
    Assumed,
}

impl Judged {
    fn period(self) -> Period {
        match self {
            Judged::Account(period) | Judged::Tool(period) => period,
            Judged::Assumed => Period::S30,
        }
    }
}

fn judged_period(state: AppState, tool: Option<ToolPeriod>) -> Judged {
    match (state.screen.get(), tool) {
        (Screen::Wizard(_), _) => state
            .account
            .with(|a| a.as_ref().map(|a| a.period))
            .map_or(Judged::Assumed, Judged::Account),
        (_, Some(ToolPeriod(period))) => Judged::Tool(period.get()),
        _ => Judged::Assumed,
    }
}

/// The verdict for `offset` (token minus this device, seconds) and what to do.
#[component]
pub fn DriftStatus(
    /// Token clock minus this device's clock, in seconds, as read.
    offset: i64,
) -> impl IntoView {
    let state = use_app();
    let tool = use_context::<ToolPeriod>();
    move || {
        let judged = judged_period(state, tool);
        let period = judged.period();
        let check = DriftCheck::new(offset, period);
        let in_wizard = matches!(judged, Judged::Account(_));
        view! {
            <div class="drift-status" data-testid="drift-status"
                data-verdict=check.verdict.code() data-period=period.seconds()>
                <Notice tone=verdict_tone(check.verdict) title=verdict_title(check.verdict)>
                    <p data-testid="drift-sentence">{check.sentence_against("device")}</p>
                    {matches!(judged, Judged::Tool(_)).then(|| view! {
                        <p class="hint" data-testid="drift-tool-period">
                            {format!(
                                "Judged for a {} s token, the period chosen under Settings below: \
                                 choose the period the token was burned with.",
                                period.seconds()
                            )}
                        </p>
                    })}
                    {(judged == Judged::Assumed).then(|| view! {
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
