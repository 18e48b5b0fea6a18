//! "Show as QR code for a phone app": the account as a QR code an authenticator app can scan,
//! for a deliberate backup. Drawn only when the user asks (by a worker loaded then, so the first
//! page load carries no QR encoder), and gone from the page — not just covered — when the user
//! hides it, when the page loses visibility and when the account changes. Inline SVG only: no
//! image file, no download link, nothing to save with a right click.

use kiln_core::otp::TotpAccount;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::platform::qr_encode::{self, QrSvg};
use crate::platform::visibility::on_page_hidden;
use crate::state::use_app;

/// Where the QR code is.
#[derive(Clone, Debug)]
enum QrState {
    /// Not in the page.
    Hidden,
    /// Asked for; the worker is drawing it.
    Drawing,
    /// In the page.
    Shown(QrSvg),
    /// Could not be drawn, with what to do.
    Failed(String),
}

/// The toggle, the warning and (when asked for) the QR code of the app's current account.
#[component]
pub fn PhoneQr() -> impl IntoView {
    let state = use_app();
    let drawing = RwSignal::new_local(QrState::Hidden);
    // Bumped by every hide: a drawing that arrives after it is dropped, never shown.
    let generation = StoredValue::new(0_u32);
    let hide = move || {
        generation.update_value(|g| *g = g.wrapping_add(1));
        drawing.set(QrState::Hidden);
    };
    on_page_hidden(hide);
    // Another account (typed, scanned, picked, or forgotten by Start over): its QR is not this one.
    Effect::watch(move || state.account.track(), move |_, _, _| hide(), false);
    let show = move || {
        let Some(uri) = state
            .account
            .with_untracked(|a| a.as_ref().map(TotpAccount::to_otpauth_uri))
        else {
            return;
        };
        let asked = generation.get_value();
        drawing.set(QrState::Drawing);
        spawn_local(async move {
            let result = qr_encode::draw(&uri).await;
            drop(uri);
            if generation.try_get_value() != Some(asked) {
                return; // hidden (or gone) while it was being drawn
            }
            drawing.try_set(match result {
                Ok(svg) => QrState::Shown(svg),
                Err(failure) => QrState::Failed(failure.to_string()),
            });
        });
    };
    let is_open = move || drawing.with(|d| matches!(d, QrState::Drawing | QrState::Shown(_)));
    view! {
        <div class="phone-qr" data-testid="phone-qr">
            <h3 class="subhead">"Also in a phone app?"</h3>
            <p class="hint" data-testid="phone-qr-why">
                "A phone app that scans this code holds a second key to the account: whoever has "
                "that phone can sign in without the token, so “something you have” is no longer "
                "only the token. Keep such a copy only as a deliberate backup."
            </p>
            <div class="actions actions-start">
                <button type="button" class="button" data-testid="phone-qr-toggle"
                    aria-expanded=move || is_open().to_string() aria-controls="phone-qr-area"
                    on:click=move |_| if is_open() { hide() } else { show() }>
                    {move || if is_open() { "Hide the QR code" } else { "Show as QR code for a phone app" }}
                </button>
            </div>
            <div id="phone-qr-area" aria-live="polite">
                {move || match drawing.get() {
                    QrState::Hidden => None,
                    QrState::Drawing => Some(view! {
                        <p class="hint" data-testid="phone-qr-drawing">"Drawing the QR code…"</p>
                    }.into_any()),
                    QrState::Shown(svg) => Some(view! { <ShownCode svg=svg/> }.into_any()),
                    QrState::Failed(advice) => Some(view! {
                        <p class="field-error" data-testid="phone-qr-error">{advice}</p>
                    }.into_any()),
                }}
            </div>
        </div>
    }
}

/// The drawn QR code and what to do with it.
#[component]
fn ShownCode(svg: QrSvg) -> impl IntoView {
    let holder = NodeRef::<Div>::new();
    holder.on_load(move |element| svg.draw_into(&element));
    view! {
        <figure class="phone-qr-figure">
            <div class="phone-qr-code" data-testid="phone-qr-code" node_ref=holder
                role="img" aria-label="QR code of this account for a phone authenticator app"></div>
            <figcaption class="hint">
                "Scan it with the phone app, then hide it. It hides itself when you switch away "
                "from this page."
            </figcaption>
        </figure>
    }
}
