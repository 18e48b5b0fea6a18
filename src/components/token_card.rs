//! What Kiln read from the token: serial, model, clock offset, and whether a clock write clears
//! its seed.

use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::state::TokenFacts;

/// Describes a clock offset in words: "in sync", "12 s ahead", "3 min 5 s behind".
pub fn describe_offset(offset: i64) -> String {
    let magnitude = offset.unsigned_abs();
    if magnitude <= 2 {
        return "in sync with this device (within 2 s)".to_string();
    }
    let amount = if magnitude < 120 {
        format!("{magnitude} s")
    } else if magnitude < 7_200 {
        format!("{} min {} s", magnitude / 60, magnitude % 60)
    } else if magnitude < 172_800 {
        format!("{} h {} min", magnitude / 3_600, (magnitude % 3_600) / 60)
    } else {
        format!("{} days", magnitude / 86_400)
    };
    if offset > 0 {
        format!("{amount} ahead of this device")
    } else {
        format!("{amount} behind this device")
    }
}

/// The token's identity and clock.
#[component]
pub fn TokenCard(facts: TokenFacts) -> impl IntoView {
    let restricted = facts.model.restricted_sync();
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
                    {describe_offset(facts.clock_offset)}
                </dd>
            </div>
        </dl>
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
