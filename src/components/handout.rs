//! The printable hand-out for the person who receives the token: what it is, which account it
//! opens, and how to finish the enrollment. Printed by the browser (a print stylesheet shows only
//! the hand-out); no secret is on it.

use kiln_core::otp::TotpAccount;
use leptos::prelude::*;

use crate::state::use_app;

/// Whether the account is a Microsoft Entra ID one (Microsoft 365's enrollment QR says
/// `issuer=Microsoft`): Entra has its own hardware-token activation page.
fn is_entra(account: &TotpAccount) -> bool {
    account
        .issuer
        .as_deref()
        .is_some_and(|issuer| issuer.trim().eq_ignore_ascii_case("Microsoft"))
}

/// The steps that finish the enrollment, for this service.
fn next_steps(account: &TotpAccount, serial: &str) -> Vec<String> {
    if is_entra(account) {
        // Entra's activation accepts the first code within two steps of the token's period.
        let minutes = if account.period.seconds() >= 60 {
            "2 minutes"
        } else {
            "1 minute"
        };
        vec![
            "Sign in to My Security Info (mysignins.microsoft.com/security-info) with your work \
             account."
                .to_string(),
            "Choose Add sign-in method, then Hardware token. (If it is not offered, ask your IT \
             help desk to add the token to your account first.)"
                .to_string(),
            format!("Enter the serial number {serial}."),
            format!(
                "Press the token’s button and enter the code shown, within {minutes} of it \
                 appearing."
            ),
        ]
    } else {
        vec![
            "Sign in to the service where it asks for a code from an authenticator.".to_string(),
            "Press the token’s button and enter the code shown.".to_string(),
        ]
    }
}

/// The hand-out (shown on the Done step as a preview) and its Print button.
#[component]
pub fn HandOut() -> impl IntoView {
    let state = use_app();
    move || {
        let token = state.token.get()?;
        let display = state.display.get();
        state.account.with(|account| {
            let account = account.as_ref()?;
            let serial = token.info.serial.clone();
            let steps = next_steps(account, &serial);
            let label = account.label();
            let period = account.period.seconds();
            Some(view! {
                <section class="handout" data-testid="handout" aria-labelledby="handout-title">
                    <h3 id="handout-title" class="handout-title">"Your hardware token"</h3>
                    <dl class="facts">
                        <div><dt>"Serial number"</dt><dd data-testid="handout-serial">{serial}</dd></div>
                        <div><dt>"Model"</dt><dd>{format!("Token2 {}", token.model.name())}</dd></div>
                        <div><dt>"Account"</dt><dd data-testid="handout-account">{label}</dd></div>
                        <div><dt>"New code every"</dt><dd>{format!("{period} seconds")}</dd></div>
                        <div><dt>"Display stays on"</dt><dd>{format!("{} seconds", display.seconds())}</dd></div>
                    </dl>
                    <h4>"What to do next"</h4>
                    <ol class="handout-steps" data-testid="handout-steps">
                        {steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                    </ol>
                    <p class="hint">"Keep the token safe: it is a key to your account. If it is lost, tell your IT help desk."</p>
                </section>
                <div class="actions actions-start no-print">
                    <button type="button" class="button" data-testid="print-handout"
                        on:click=move |_| {
                            if let Some(window) = web_sys::window() {
                                // Nothing to do if the browser cannot print.
                                let _ = window.print();
                            }
                        }>"Print hand-out"</button>
                </div>
            })
        })
    }
}
