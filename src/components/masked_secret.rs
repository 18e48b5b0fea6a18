//! The secret, hidden behind dots until the user asks to see it; hidden again when the page
//! loses visibility.

use kiln_core::otp::{self, Secret};
use leptos::prelude::*;

use crate::platform::visibility::on_page_hidden;

const MASK: &str = "•••• •••• •••• ••••";

/// Shows a secret masked, with a reveal toggle. Revealed, it shows Base32 grouped by four.
///
/// The revealed text goes straight from a wiping buffer into the DOM (no `String` copy kept by
/// the view, which Leptos would hold and free without wiping): after hiding, no copy of the
/// Base32 stays in WebAssembly memory (tests/e2e/privacy-leaks.test.mjs).
#[component]
pub fn MaskedSecret(
    /// The secret to hide until the user asks to see it.
    secret: Secret,
) -> impl IntoView {
    let revealed = RwSignal::new(false);
    on_page_hidden(move || revealed.set(false));
    let length = secret.len();
    let secret = StoredValue::new(secret);
    let shown = NodeRef::<leptos::html::Code>::new();
    Effect::new(move |_| {
        let revealed = revealed.get();
        let Some(code) = shown.get() else { return };
        if revealed {
            secret.with_value(|s| code.set_text_content(Some(&otp::base32_display(s))));
        } else {
            code.set_text_content(Some(MASK));
        }
    });
    view! {
        <div class="secret">
            <div class="secret-row">
                <code class="secret-value" data-testid="secret-masked" node_ref=shown>{MASK}</code>
                <button
                    type="button"
                    class="button button-quiet"
                    aria-pressed=move || revealed.get().to_string()
                    on:click=move |_| revealed.update(|r| *r = !*r)
                >
                    {move || if revealed.get() { "Hide secret" } else { "Show secret" }}
                </button>
            </div>
            <p class="hint">{format!("{length} bytes ({} bits)", length * 8)}</p>
        </div>
    }
}
