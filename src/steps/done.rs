//! Step 8: finish the enrollment, burn the same seed into another token, or start over.

use leptos::prelude::*;

use crate::components::{HandOut, Notice, PhoneQr, StepSection, Tone};
use kiln_core::otp::CodeVerdict;

use crate::state::use_app;
use crate::steps::verify::NotBurned;

/// Step 8.
#[component]
pub fn DoneStep() -> impl IntoView {
    let state = use_app();
    let verified = move || matches!(state.results.verify.get(), Some(CodeVerdict::Works { .. }));
    // The token the current burn wrote.
    let serial = move || state.results.burned_serial().unwrap_or_default();
    view! {
        <StepSection title="Done">
            <Show when=move || state.results.burned() fallback=move || view! { <NotBurned/> }>
                <Notice tone=Tone::Success title="Your token is ready">
                    <p data-testid="done-summary">{move || format!(
                        "Token {} holds the account{}.",
                        serial(),
                        if verified() { " and showed the right code" } else { "" }
                    )}</p>
                </Notice>
                <h3 class="subhead">"Finish the enrollment"</h3>
                <p>
                    "If the account’s page is still waiting for a code, press the token’s button and type "
                    "the code it shows there. Then store the token safely: it is now a key to the account."
                </p>
                <h3 class="subhead">"Hand-out for the token’s user"</h3>
                <p class="hint">"Print this page for the person who gets the token: it shows only the hand-out below, and no secret."</p>
                <HandOut/>
                <PhoneQr/>
            </Show>
            <div class="choice-grid">
                <div class="input-card">
                    <h3>"Another token, same account"</h3>
                    <p class="hint">"For a spare token: Kiln keeps the secret until you start over."</p>
                    <button type="button" class="button" data-testid="burn-another"
                        on:click=move |_| state.another_token()>"Burn another token"</button>
                </div>
                <div class="input-card">
                    <h3>"Something else"</h3>
                    <p class="hint">"Forgets the secret and everything about this token."</p>
                    <button type="button" class="button button-primary" data-testid="start-over"
                        on:click=move |_| state.start_over()>"Start over"</button>
                </div>
            </div>
        </StepSection>
    }
}
