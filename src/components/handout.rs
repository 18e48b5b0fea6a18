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

/// The steps that finish the enrollment: Entra's hardware-token activation, or any other
/// service's code prompt.
fn next_steps(entra: bool, period: u64, serial: &str) -> Vec<String> {
    if entra {
        // Entra's activation accepts the first code within two steps of the token's period.
        let minutes = if period >= 60 {
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

/// What one hand-out says: no secret, only what the token's user needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HandOutFacts {
    /// The token's serial number.
    pub serial: String,
    /// The model's name (e.g. "OTPC-P2-i").
    pub model: String,
    /// Whose account it opens (issuer and name, or the user's sign-in name).
    pub account: String,
    /// Seconds per code.
    pub period: u64,
    /// Seconds the display stays on.
    pub display: u32,
    /// The account is a Microsoft Entra ID one (its own activation steps).
    pub entra: bool,
}

/// One hand-out, as printed: one page per token.
#[component]
pub fn HandOutCard(
    /// What it says.
    facts: HandOutFacts,
) -> impl IntoView {
    let HandOutFacts {
        serial,
        model,
        account,
        period,
        display,
        entra,
    } = facts;
    let steps = next_steps(entra, period, &serial);
    let name = format!("Hand-out for token {serial}");
    let serial_attribute = serial.clone();
    view! {
        <section class="handout" data-testid="handout" data-serial=serial_attribute aria-label=name>
            <h3 class="handout-title">"Your hardware token"</h3>
            <dl class="facts">
                <div><dt>"Serial number"</dt><dd data-testid="handout-serial">{serial}</dd></div>
                <div><dt>"Model"</dt><dd>{format!("Token2 {model}")}</dd></div>
                <div><dt>"Account"</dt><dd data-testid="handout-account">{account}</dd></div>
                <div><dt>"New code every"</dt><dd>{format!("{period} seconds")}</dd></div>
                <div><dt>"Display stays on"</dt><dd>{format!("{display} seconds")}</dd></div>
            </dl>
            <h4>"What to do next"</h4>
            <ol class="handout-steps" data-testid="handout-steps">
                {steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ol>
            <p class="hint">"Keep the token safe: it is a key to your account. If it is lost, tell your IT help desk."</p>
        </section>
    }
}

/// Asks the browser to print the page (the print stylesheet shows only the hand-outs).
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        // Nothing to do if the browser cannot print.
        let _ = window.print();
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
            let facts = HandOutFacts {
                serial: token.info.serial.clone(),
                model: token.model.name().to_string(),
                account: account.label(),
                period: account.period.seconds(),
                display: display.seconds(),
                entra: is_entra(account),
            };
            Some(view! {
                <HandOutCard facts=facts/>
                <div class="actions actions-start no-print">
                    <button type="button" class="button" data-testid="print-handout"
                        on:click=move |_| print_page()>"Print hand-out"</button>
                </div>
            })
        })
    }
}
