//! A text area that can also be filled from a file (read in the page, never uploaded).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A labelled text area with a "Load from a file…" picker.
#[component]
pub fn FileTextField(
    /// The element id (the label points at it) and test hook.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// A hint under the label.
    hint: &'static str,
    /// The text.
    text: Signal<String>,
    /// Called with the new text.
    on_text: Callback<String>,
    /// Locked once the batch started.
    disabled: Signal<bool>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let file_id = format!("{id}-file");
    let hint_id = format!("{id}-hint");
    let load = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        spawn_local(async move {
            match JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
                Some(text) => {
                    error.set(None);
                    on_text.run(text);
                }
                None => error.set(Some(
                    "The file could not be read. Check that it is a text file (CSV or one link per line)."
                        .into(),
                )),
            }
        });
    };
    view! {
        <div class="field field-wide">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <textarea id=id data-testid=id rows="4" spellcheck="false" autocomplete="off"
                aria-describedby=hint_id
                prop:value=move || text.get()
                disabled=move || disabled.get()
                on:input=move |ev| on_text.run(event_target_value(&ev))></textarea>
            <label class="file-button button" class:is-disabled=move || disabled.get()>
                "Load from a file…"
                <input type="file" class="visually-hidden" id=file_id data-testid=format!("{id}-file")
                    accept=".csv,.txt,text/csv,text/plain"
                    disabled=move || disabled.get()
                    on:change=load/>
            </label>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}
