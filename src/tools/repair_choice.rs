//! The Set-clock tool's repair for the identified model (kiln-core's repair plan): on most
//! models the clock is set and the seed stays; on restricted models the repair is a re-burn,
//! which the wizard does with the secret the user gives again.

use kiln_core::token::{Repair, repair_plan};
use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::state::{WizardStep, use_app};

/// The consequence of setting this token's clock, in one sentence naming the model, and for
/// restricted models the way to keep the account: the wizard's burn.
#[component]
pub fn RepairChoice() -> impl IntoView {
    let state = use_app();
    move || {
        state.token.with(|t| t.as_ref().map(|t| repair_plan(t.model))).map(|plan| {
            let reburn = plan.repair == Repair::Reburn;
            let (tone, title) = if reburn {
                (Tone::Warning, "Setting the clock erases this token’s seed")
            } else {
                (Tone::Info, "The seed stays")
            };
            view! {
                <div data-testid="repair-plan" data-repair=plan.repair.code()
                    data-model=plan.model.name()>
                    <Notice tone=tone title=title>
                        <p data-testid="repair-consequence">{plan.consequence()}</p>
                        {reburn.then(|| view! {
                            <p>
                                "To keep the account working, burn it again with the account’s \
                                 QR code or secret: the burn sets the clock first and then \
                                 writes the seed."
                            </p>
                            <div class="actions actions-start">
                                <button type="button" class="button" data-testid="repair-reburn"
                                    disabled=move || state.busy.get()
                                    on:click=move |_| {
                                        // The account may still be on this page from a burn a
                                        // moment ago; otherwise the user gives it again.
                                        let step = if state.account.with_untracked(Option::is_some) {
                                            WizardStep::Review
                                        } else {
                                            WizardStep::Secret
                                        };
                                        state.go(step);
                                    }>
                                    "Set the clock and write the same secret again"
                                </button>
                            </div>
                            <p class="hint">
                                "Setting only the clock below leaves the token with no seed: it \
                                 shows no valid codes until a seed is burned again."
                            </p>
                        })}
                    </Notice>
                </div>
            }
        })
    }
}
