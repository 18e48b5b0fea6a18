//! The optional quick check of the last token burned: type the code it shows.

use leptos::prelude::*;

use crate::batch::check::{CheckResult, check_code};
use crate::batch::run::focus_next_button;
use crate::batch::use_batch;
use crate::components::{Notice, Tone};
use crate::platform::clock;

/// The quick-check form, for the last attempt while it is a success.
#[component]
pub fn QuickCheck() -> impl IntoView {
    let batch = use_batch();
    let typed = RwSignal::new(String::new());
    let result = RwSignal::new(None::<CheckResult>);
    // The row being checked: the last attempt, when it succeeded and is current.
    let target = move || {
        let id = batch.last_attempt.get()?;
        batch.rows.with(|rows| {
            rows.iter()
                .find(|r| r.number == id.number() && r.exported)
                .map(|r| (id, r.serial.clone()))
        })
    };
    // A check belongs to its token: a new attempt clears the field and the verdict.
    Effect::new(move |_| {
        batch.last_attempt.track();
        typed.set(String::new());
        result.set(None);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((id, _)) = target() else {
            return;
        };
        let verdict = check_code(batch, id, &typed.get_untracked(), clock::now_unix());
        let matched = verdict == CheckResult::Matched;
        result.set(Some(verdict));
        if matched {
            focus_next_button();
        }
    };
    view! {
        {move || target().map(|(_, serial)| view! {
            <form class="verify-form batch-check" on:submit=submit>
                <label for="batch-check-code">{format!("Quick check (optional): the code token {serial} shows")}</label>
                <div class="verify-row">
                    <input id="batch-check-code" data-testid="batch-check-code"
                        inputmode="numeric" autocomplete="off" maxlength="7" pattern="[0-9 ]*" placeholder="123 456"
                        aria-invalid=move || (result.get() == Some(CheckResult::NotACode)).to_string()
                        prop:value=move || typed.get()
                        on:input=move |ev| { typed.set(event_target_value(&ev)); result.set(None); }/>
                    <button type="submit" class="button" data-testid="batch-check">"Check"</button>
                </div>
            </form>
        })}
        <div data-testid="batch-check-result" aria-live="polite">
            {move || result.get().map(|r| match r {
                CheckResult::Matched => view! {
                    <Notice tone=Tone::Success><p>"The code matches: row checked."</p></Notice>
                }.into_any(),
                CheckResult::Mismatched(text) => view! {
                    <Notice tone=Tone::Error title="The code does not match"><p>{text}</p></Notice>
                }.into_any(),
                CheckResult::NotACode => view! {
                    <p class="field-error" role="alert">"Type the 6 digits shown on the token."</p>
                }.into_any(),
            })}
        </div>
    }
}
