//! The one action per token: put it on the reader and press the button (or Enter/Space: focus
//! returns here after every token). A token burned earlier in this batch asks first.

use leptos::prelude::*;

use crate::batch::run::{NEXT_BUTTON_ID, SKIP_BUTTON_ID, focus_next_button, next_token, skip};
use crate::batch::{Phase, use_batch};
use crate::components::Notice;
use crate::state::use_app;

/// The next-token button, the last message and the seen-earlier question.
#[component]
pub fn NextToken() -> impl IntoView {
    let app = use_app();
    let batch = use_batch();
    let working = move || batch.phase.with(|p| *p == Phase::Working);
    let asking = move || batch.phase.with(|p| matches!(p, Phase::SeenEarlier { .. }));
    let has_reader = move || app.reader_name.with(Option::is_some);
    let blocked = move || {
        !batch.started.get()
            || !has_reader()
            || working()
            || asking()
            || app.busy.get()
            || batch.complete.get()
    };
    let hint = move || {
        if !batch.started.get() {
            "Check and start the batch first (settings above)."
        } else if !has_reader() {
            "Connect the reader (above)."
        } else if batch.complete.get() {
            "Every token of this batch is burned. Export the files below."
        } else {
            "Put a token on the reader, then press the button (or Enter)."
        }
    };
    // A reader connected while the batch waits: the next key press burns, so focus goes there.
    Effect::new(move |was_connected: Option<bool>| {
        let connected = has_reader();
        if connected && was_connected == Some(false) && batch.started.get_untracked() {
            focus_next_button();
        }
        connected
    });
    let question = move || match batch.phase.get() {
        Phase::SeenEarlier { serial, row } => Some(view! {
            <div class="actions actions-start" data-testid="batch-question">
                <button type="button" class="button button-primary" id=SKIP_BUTTON_ID data-testid="batch-skip"
                    on:click={
                        let serial = serial.clone();
                        move |_| skip(batch, &serial, row)
                    }>"Skip this token"</button>
                <button type="button" class="button" data-testid="batch-burn-again"
                    on:click={
                        let serial = serial.clone();
                        move |_| next_token(app, batch, Some(serial.clone()))
                    }>{format!("Burn it again with a new seed (row {row} replaced)")}</button>
            </div>
        }),
        _ => None,
    };
    view! {
        <div class="panel">
            <p class="hint" data-testid="batch-hint">{hint}</p>
            <div class="actions actions-start">
                <button type="button" id=NEXT_BUTTON_ID data-testid="batch-next"
                    class="button button-primary button-large"
                    disabled=blocked
                    data-kiln-ms=move || batch.last_ms.get().map(|ms| ms.to_string())
                    on:click=move |_| next_token(app, batch, None)>
                    {move || if working() { "Burning…" } else { "Burn the token on the reader" }}
                </button>
            </div>
            <div class="batch-status" data-testid="batch-status" aria-live="polite"
                data-finished=move || batch.finished.get()
                data-state=move || match batch.phase.get() {
                    Phase::Ready => "ready",
                    Phase::Working => "working",
                    Phase::SeenEarlier { .. } => "question",
                }>
                {move || batch.message.get().map(|(tone, text)| view! {
                    <Notice tone=tone>
                        <p data-testid="batch-message">{text}</p>
                    </Notice>
                })}
            </div>
            {question}
            <Show when=move || batch.last_ms.get().is_some()>
                <p class="hint" data-testid="batch-timing">{move || format!("Kiln’s time for the last token: {:.1} s.", f64::from(batch.last_ms.get().unwrap_or(0)) / 1000.0)}</p>
            </Show>
        </div>
    }
}
