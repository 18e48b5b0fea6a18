//! Step 7: the user power-cycles the token and types the code it shows; Kiln finds which step
//! that code belongs to, so a slightly fast or slow token clock is reported, not hidden.

use kiln_core::otp;
use leptos::ev;
use leptos::prelude::*;

use crate::components::{LiveCodes, Notice, Tone};
use crate::state::{AppState, VerifyResult, WizardStep, use_app};

/// Steps searched each way around now: ±10 steps of 30 s is ±5 minutes.
const WINDOW: u32 = 10;

fn check(state: AppState, typed: &str) {
    let Some(account) = state.account.get_untracked() else {
        return;
    };
    let now = crate::platform::clock::now_unix();
    let result = match otp::find_step_offset(
        &account.secret,
        account.algorithm,
        account.period,
        now,
        typed,
        WINDOW,
    ) {
        Some(offset) => VerifyResult::Match { offset },
        None => VerifyResult::Mismatch,
    };
    state.verify.set(Some(result));
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
        let Some(typed) = otp::typed_code(&field.value()) else {
            format_error.set(true);
            return;
        };
        format_error.set(false);
        check(state, &typed);
    };
    let period = move || {
        state
            .account
            .with(|a| a.as_ref().map_or(30, |a| a.period.seconds()))
    };
    view! {
        <section class="step" aria-labelledby="step-title">
            <h2 id="step-title" tabindex="-1">"Check the token’s code"</h2>
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
                        aria-invalid=move || format_error.get().to_string()/>
                    <button type="submit" class="button button-primary" data-testid="verify-check">"Check"</button>
                </div>
                <Show when=move || format_error.get()>
                    <p class="field-error" role="alert">"Type the 6 digits shown on the token."</p>
                </Show>
            </form>
            <div data-testid="verify-result" data-state=move || match state.verify.get() {
                Some(VerifyResult::Match { .. }) => "match",
                Some(VerifyResult::Mismatch) => "mismatch",
                None => "none",
            }>
                {move || state.verify.get().map(|result| match result {
                    VerifyResult::Match { offset } => {
                        let seconds = offset * period() as i64;
                        let detail = match offset {
                            0 => "The token shows the current code: its clock is right.".to_string(),
                            o if o > 0 => format!("The token shows the code of {o} step(s) ahead: its clock is about {seconds} s fast. Services usually accept this, but consider setting its clock again."),
                            o => format!("The token shows the code of {} step(s) ago: its clock is about {} s slow, or the code was typed late. Services usually accept this.", -o, -seconds),
                        };
                        view! {
                            <Notice tone=Tone::Success title="The token works">
                                <p data-testid="verify-offset" data-offset=offset>{detail}</p>
                            </Notice>
                        }.into_any()
                    }
                    VerifyResult::Mismatch => view! {
                        <Notice tone=Tone::Error title="That code does not match">
                            <p>"Likely causes:"</p>
                            <ul>
                                <li>"The display still showed an old code: let it go dark, press the button again and type the new code."</li>
                                <li>"A digit was mistyped."</li>
                                <li>"This is a different token from the one just burned."</li>
                                <li>"The burn did not reach the token: go back and burn again."</li>
                            </ul>
                        </Notice>
                    }.into_any(),
                })}
            </div>
            <details class="help">
                <summary>"Show the codes Kiln expects"</summary>
                {move || state.account.get().map(|account| view! {
                    <LiveCodes secret=account.secret.clone() algorithm=account.algorithm period=account.period/>
                })}
            </details>
            <div class="actions">
                <button type="button" class="button" on:click=move |_| state.go(WizardStep::Burn)>"Back"</button>
                <button type="button" class="button button-primary" data-testid="verify-continue"
                    on:click=move |_| state.go(WizardStep::Done)>
                    {move || if matches!(state.verify.get(), Some(VerifyResult::Match { .. })) { "Finish" } else { "Skip the check" }}
                </button>
            </div>
        </section>
    }
}
