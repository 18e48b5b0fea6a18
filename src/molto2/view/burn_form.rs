//! Burning the wizard's account into the free profile chosen in the table: the title defaults
//! to the account's label (cut to what a Molto2 shows), the settings come from the account.

use kiln_core::molto2::settings::fitting_prefix;
use kiln_core::molto2::{Title, account::profile_digits};
use kiln_core::otp::TotpAccount;
use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::molto2::panel::{self, Activity, Molto2State};
use crate::state::{WizardStep, use_app};

/// The default title: the label if it fits in 12 bytes, else the service, else the label's
/// first 12 bytes.
pub fn default_title(account: &TotpAccount) -> String {
    let label = account.label();
    if Title::new(&label).is_ok() {
        return label;
    }
    if let Some(service) = account.service().filter(|s| Title::new(s).is_ok()) {
        return service;
    }
    fitting_prefix(&label).trim().to_string()
}

/// What the burn writes besides the seed, in words.
fn settings_text(account: &TotpAccount) -> String {
    let digits = profile_digits(account).map_or(account.digits, |d| d.count());
    format!(
        "{}, {digits} digits, a new code every {} s.",
        account.algorithm.name(),
        account.period.seconds()
    )
}

/// The burn form for the chosen profile, or where to get an account.
#[component]
pub fn BurnForm(
    /// The panel's state.
    molto2: Molto2State,
) -> impl IntoView {
    let state = use_app();
    let busy = move || molto2.activity.get() != Activity::Idle;
    move || {
        let number = molto2.burn_into.get()?;
        // The label and settings only: the secret is not copied for the view.
        let account = state
            .account
            .with(|a| a.as_ref().map(|a| (a.label(), settings_text(a))));
        Some(match account {
            None => view! {
                <div data-testid="molto2-burn-form" data-profile=number.to_string()>
                    <Notice tone=Tone::Info title=format!("Profile {number} is free")>
                        <p data-testid="molto2-no-account">"There is no account to burn yet. Enter the secret or scan the QR code in the Secret step, check it in Review, then come back here."</p>
                        <div class="actions actions-start">
                            <button type="button" class="button" data-testid="molto2-go-secret"
                                on:click=move |_| state.go(WizardStep::Secret)>"Go to the Secret step"</button>
                        </div>
                    </Notice>
                </div>
            }.into_any(),
            Some((label, settings)) => {
                view! {
                    <form class="molto2-burn" data-testid="molto2-burn-form" data-profile=number.to_string()
                        on:submit=move |ev| { ev.prevent_default(); panel::burn(molto2, state, number); }>
                        <p><strong>{format!("Burn this account into profile {number}: ")}</strong>
                            <span data-testid="molto2-burn-account">{if label.is_empty() { "(unnamed account)".to_string() } else { label }}</span></p>
                        <p class="hint">{settings}</p>
                        <div class="field">
                            <label for="molto2-title">"Title on the Molto2’s display (up to 12 bytes)"</label>
                            <input id="molto2-title" data-testid="molto2-title" autocomplete="off"
                                prop:value=move || molto2.title.get()
                                on:input=move |ev| molto2.title.set(event_target_value(&ev))/>
                        </div>
                        <div class="actions actions-start">
                            <button type="submit" class="button button-primary" data-testid="molto2-burn"
                                disabled=busy>
                                {format!("Burn into profile {number}")}
                            </button>
                            <button type="button" class="button" data-testid="molto2-burn-cancel"
                                disabled=busy on:click=move |_| molto2.burn_into.set(None)>
                                "Cancel"
                            </button>
                        </div>
                    </form>
                }.into_any()
            }
        })
    }
}
