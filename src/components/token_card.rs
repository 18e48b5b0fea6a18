//! What Kiln read from the token: serial, model, clock offset, and whether a clock write clears
//! its seed.

use kiln_core::token::describe_clock_offset;
use leptos::prelude::*;

use crate::components::{DriftStatus, Notice, Tone};
use crate::state::{Screen, TokenFacts, use_app};

/// The token's identity and clock.
#[component]
pub fn TokenCard(
    /// What was read from the token.
    facts: TokenFacts,
) -> impl IntoView {
    // The Set-clock tool explains the repair for the model itself (tools::RepairChoice).
    let restricted =
        facts.model.restricted_sync() && use_app().screen.get_untracked() != Screen::TimeSyncTool;
    view! {
        <dl class="facts">
            <div>
                <dt>"Serial number"</dt>
                <dd data-testid="token-serial">{facts.info.serial.clone()}</dd>
            </div>
            <div>
                <dt>"Model"</dt>
                <dd data-testid="token-model">{facts.model.name()}</dd>
            </div>
            <div>
                <dt>"Token clock"</dt>
                <dd data-testid="token-clock-offset" data-offset=facts.clock_offset>
                    {describe_clock_offset(facts.clock_offset, "this device")}
                </dd>
            </div>
        </dl>
        <DriftStatus offset=facts.clock_offset/>
        {restricted.then(|| view! {
            <Notice tone=Tone::Warning title="This model erases its seed when its clock is set">
                <p>
                    {format!(
                        "Setting the clock of {} clears the seed it holds. A burn sets the clock \
                         first and then writes the seed, so burning is safe; keep the token on the \
                         reader until Kiln says it is done.",
                        facts.model.with_article()
                    )}
                </p>
            </Notice>
        })}
    }
}
