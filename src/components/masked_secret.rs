//! The secret, hidden behind dots until the user asks to see it; hidden again when the page
//! loses visibility.

use kiln_core::otp::{self, Secret};
use leptos::prelude::*;

use crate::platform::visibility::on_page_hidden;

/// Shows a secret masked, with a reveal toggle. Revealed, it shows Base32 grouped by four.
#[component]
pub fn MaskedSecret(secret: Secret) -> impl IntoView {
    let revealed = RwSignal::new(false);
    on_page_hidden(move || revealed.set(false));
    let length = secret.len();
    let secret = StoredValue::new(secret);
    let shown = move || {
        if revealed.get() {
            secret.with_value(|s| otp::base32_display(s).to_string())
        } else {
            "•••• •••• •••• ••••".to_string()
        }
    };
    view! {
        <div class="secret">
            <div class="secret-row">
                <code class="secret-value" data-testid="secret-masked">{shown}</code>
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
