//! The live TOTP display: the current code, a countdown, and the previous and next codes.

use kiln_core::otp::{self, Algorithm, Period, Secret};
use leptos::prelude::*;

use crate::state::use_app;

/// Groups a 6-digit code as "123 456" for reading aloud.
pub fn spaced(code: &str) -> String {
    if code.len() == 6 {
        format!("{} {}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

/// Live codes for a seed, as the token will show them. `offset` shifts the clock (seconds), to
/// show what a token with a known clock offset displays.
#[component]
pub fn LiveCodes(
    /// The seed the codes are computed from.
    secret: Secret,
    /// The account's hash algorithm.
    algorithm: Algorithm,
    /// How long each code is valid.
    period: Period,
    /// Seconds added to this device's clock (0 when not given).
    #[prop(optional)]
    offset: i64,
) -> impl IntoView {
    let state = use_app();
    let preview = Memo::new(move |_| {
        let now = state.now_unix().saturating_add_signed(offset);
        otp::preview(&secret, algorithm, period, now)
    });
    let seconds = period.seconds();
    // Set through the CSSOM (`style:`), which the Content-Security-Policy allows, unlike a
    // `style` attribute.
    let fraction = move || {
        let left = preview.with(|p| p.seconds_left) as f64;
        format!("{:.1}%", 100.0 * left / seconds as f64)
    };
    view! {
        <div class="codes">
            <div class="code-current">
                <span class="code-label" id="code-current-label">"Code now"</span>
                <output
                    class="code-digits"
                    data-testid="totp-current"
                    data-code=move || preview.with(|p| p.current.clone())
                    aria-labelledby="code-current-label"
                >
                    {move || preview.with(|p| spaced(&p.current))}
                </output>
                <div
                    class="countdown"
                    role="progressbar"
                    aria-label="Seconds until the code changes"
                    aria-valuemin="0"
                    aria-valuemax=seconds
                    aria-valuenow=move || preview.with(|p| p.seconds_left)
                >
                    <div class="countdown-bar" style:width=fraction></div>
                </div>
                <span class="code-left">
                    {move || preview.with(|p| format!("changes in {} s", p.seconds_left))}
                </span>
            </div>
            <dl class="code-neighbours">
                <div>
                    <dt>"Previous"</dt>
                    <dd data-testid="totp-previous">{move || preview.with(|p| spaced(&p.previous))}</dd>
                </div>
                <div>
                    <dt>"Next"</dt>
                    <dd data-testid="totp-next">{move || preview.with(|p| spaced(&p.next))}</dd>
                </div>
            </dl>
        </div>
    }
}
