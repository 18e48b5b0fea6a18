//! Step 7: the user power-cycles the token and types the code it shows; Kiln judges it with
//! `kiln_core::otp::judge_typed_code`: the token works (±1 step), its clock did not take (2–10
//! steps off), or the code is not this account's.

use kiln_core::otp::{self, CodeVerdict};
use leptos::ev;
use leptos::prelude::*;

use crate::components::{LiveCodes, Notice, StepSection, Tone};
use crate::state::{AppState, WizardStep, use_app};

/// Judges `typed` against the burned account; false when it is not a code a token can show.
fn check(state: AppState, typed: &str) -> bool {
    if !state.results.burned() {
        return true;
    }
    let Some(account) = state.account.get_untracked() else {
        return true;
    };
    let now = crate::platform::clock::now_unix();
    match otp::judge_typed_code(
        &account.secret,
        account.algorithm,
        account.period,
        now,
        typed,
    ) {
        Some(verdict) => {
            state.results.record_verdict(verdict);
            true
        }
        None => false,
    }
}

/// `match`, `warning`, `mismatch` or `none` — the `data-state` test hook.
fn verdict_state(verdict: Option<CodeVerdict>) -> &'static str {
    match verdict {
        Some(CodeVerdict::Works { .. }) => "match",
        Some(CodeVerdict::ClockOff { .. }) => "warning",
        Some(CodeVerdict::Mismatch) => "mismatch",
        None => "none",
    }
}

/// "about 90 s", or minutes when longer.
fn duration_words(seconds: i64) -> String {
    let seconds = seconds.unsigned_abs();
    if seconds < 120 {
        format!("about {seconds} s")
    } else {
        format!("about {} min", seconds.div_ceil(60))
    }
}

/// What a verdict means, in words.
#[component]
fn VerdictNotice(verdict: CodeVerdict, period: u64) -> impl IntoView {
    match verdict {
        CodeVerdict::Works { offset } => {
            let detail = match offset {
                0 => "The token shows the current code: its clock is right.".to_string(),
                1 => "The token shows the next code: its clock is a little fast, or a new code just began. Services accept this.".to_string(),
                _ => "The token shows the previous code: the code was typed as a new one began, or its clock is a little slow. Services accept this.".to_string(),
            };
            view! {
                <Notice tone=Tone::Success title="The token works">
                    <p data-testid="verify-offset" data-offset=offset>{detail}</p>
                </Notice>
            }
            .into_any()
        }
        CodeVerdict::ClockOff { offset } => {
            let how = duration_words(offset.saturating_mul(i64::try_from(period).unwrap_or(30)));
            let direction = if offset > 0 { "ahead" } else { "behind" };
            view! {
                <Notice tone=Tone::Warning title="The seed is right, but the clock did not take">
                    <p data-testid="verify-offset" data-offset=offset>{format!(
                        "The code belongs to this account, but to a time {how} {direction} of this device. Services will likely reject the token’s codes."
                    )}</p>
                    <ul>
                        <li>"Check that this device’s clock is right (set automatically from the network)."</li>
                        <li>"Then go back and burn again: the burn sets the token’s clock."</li>
                    </ul>
                </Notice>
            }
            .into_any()
        }
        CodeVerdict::Mismatch => view! {
            <Notice tone=Tone::Error title="That code does not match">
                <p>"Likely causes:"</p>
                <ul>
                    <li>"The display still showed an old code: let it go dark, press the button again and type the new code."</li>
                    <li>"A digit was mistyped."</li>
                    <li>"This is a different token from the one just burned."</li>
                    <li>"The burn did not reach the token: go back and burn again."</li>
                </ul>
            </Notice>
        }
        .into_any(),
    }
}

/// Step 7.
#[component]
pub fn VerifyStep() -> impl IntoView {
    let state = use_app();
    let input = NodeRef::<leptos::html::Input>::new();
    let format_error = RwSignal::new(false);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let Some(field) = input.get() else { return };
        format_error.set(!check(state, &field.value()));
    };
    let period = move || {
        state
            .account
            .with(|a| a.as_ref().map_or(30, |a| a.period.seconds()))
    };
    let burned = move || state.results.burned();
    view! {
        <StepSection title="Check the token’s code">
            <Show when=burned fallback=move || view! { <NotBurned/> }>
                <ol class="instructions">
                    <li>"Take the token off the reader."</li>
                    <li>"Let its display go dark, then press the button once to switch it on again. (The display may still show a code from before the burn until it restarts.)"</li>
                    <li>"Type the six digits it shows."</li>
                </ol>
                <form class="verify-form" on:submit=submit>
                    <label for="verify-code">"Code on the token"</label>
                    <div class="verify-row">
                        <input id="verify-code" data-testid="verify-code" node_ref=input
                            inputmode="numeric" autocomplete="one-time-code" maxlength="7"
                            pattern="[0-9 ]*" placeholder="123 456"
                            aria-invalid=move || format_error.get().to_string()
                            // The verdict was about the code as it was typed.
                            on:input=move |_| state.results.clear_verdict()/>
                        <button type="submit" class="button button-primary" data-testid="verify-check">"Check"</button>
                    </div>
                    <Show when=move || format_error.get()>
                        <p class="field-error" role="alert">"Type the 6 digits shown on the token."</p>
                    </Show>
                </form>
            </Show>
            <div data-testid="verify-result" data-state=move || verdict_state(state.results.verify.get()) aria-live="polite">
                {move || state.results.verify.get().map(|verdict| view! { <VerdictNotice verdict=verdict period=period()/> })}
            </div>
            <Show when=burned>
                <details class="help">
                    <summary>"Show the codes Kiln expects"</summary>
                    {move || state.account.get().map(|account| view! {
                        <LiveCodes secret=account.secret.clone() algorithm=account.algorithm period=account.period/>
                    })}
                </details>
            </Show>
            <div class="actions">
                <button type="button" class="button" on:click=move |_| state.go(WizardStep::Burn)>"Back"</button>
                <button type="button" class="button button-primary" data-testid="verify-continue"
                    disabled=move || !burned()
                    on:click=move |_| state.go(WizardStep::Done)>
                    {move || if matches!(state.results.verify.get(), Some(CodeVerdict::Works { .. })) { "Finish" } else { "Skip the check" }}
                </button>
            </div>
        </StepSection>
    }
}

/// Shown on Verify and Done when the account and token Kiln holds now were not burned (the
/// account, token or settings changed since the burn): nothing here may speak about them.
#[component]
pub fn NotBurned() -> impl IntoView {
    let state = use_app();
    view! {
        <div data-testid="not-burned">
            <Notice tone=Tone::Warning title="This account is not burned into this token yet">
                <p>"The account, the token or the settings changed since the last burn. Burn first, then check the code."</p>
                <button type="button" class="button" on:click=move |_| state.go(WizardStep::Burn)>"Go to the Burn step"</button>
            </Notice>
        </div>
    }
}
