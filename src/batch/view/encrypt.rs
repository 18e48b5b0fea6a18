//! "Encrypt files that hold seeds": the option and its passphrase, typed twice. The fields are
//! read when a file is made, never kept in a signal; turning the option off or wiping the batch
//! removes them from the page.

use leptos::html;
use leptos::prelude::*;
use zeroize::Zeroizing;

use crate::batch::passphrase::{MIN_CHARS, PassphraseProblem, checked};

/// The option's inputs, read by the export buttons.
#[derive(Clone, Copy)]
pub struct EncryptChoice {
    /// The option is on.
    pub on: RwSignal<bool>,
    first: NodeRef<html::Input>,
    again: NodeRef<html::Input>,
}

impl EncryptChoice {
    /// Off, nothing typed.
    pub fn new() -> EncryptChoice {
        EncryptChoice {
            on: RwSignal::new(false),
            first: NodeRef::new(),
            again: NodeRef::new(),
        }
    }

    /// The passphrase typed twice, checked.
    pub fn passphrase(&self) -> Result<Zeroizing<String>, PassphraseProblem> {
        let read = |field: NodeRef<html::Input>| {
            Zeroizing::new(field.get_untracked().map(|i| i.value()).unwrap_or_default())
        };
        checked(read(self.first), read(self.again))
    }
}

/// The checkbox and, when it is on, the two passphrase fields and how to open the files.
#[component]
pub fn EncryptOption(choice: EncryptChoice, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    view! {
        <label class="checkbox">
            <input type="checkbox" data-testid="batch-encrypt"
                prop:checked=move || choice.on.get() disabled=move || disabled.get()
                on:change=move |ev| choice.on.set(event_target_checked(&ev))/>
            "Encrypt files that hold seeds (age, passphrase)"
        </label>
        <Show when=move || choice.on.get()>
            <div class="field-row">
                <div class="field">
                    <label for="batch-passphrase">"Passphrase"</label>
                    <input id="batch-passphrase" data-testid="batch-passphrase" type="password"
                        autocomplete="new-password" aria-describedby="batch-passphrase-hint"
                        node_ref=choice.first disabled=move || disabled.get()/>
                </div>
                <div class="field">
                    <label for="batch-passphrase-again">"The same passphrase again"</label>
                    <input id="batch-passphrase-again" data-testid="batch-passphrase-again"
                        type="password" autocomplete="new-password"
                        node_ref=choice.again disabled=move || disabled.get()/>
                </div>
            </div>
            <p class="hint" id="batch-passphrase-hint">
                {format!("At least {MIN_CHARS} characters, for example four random words. ")}
                "The Entra CSV and Graph files are then saved as " <code>".age"</code>
                " files; the audit logs hold no secrets and stay plain. To open one, run "
                <code class="wrap-anywhere">"age -d kiln-batch-entra.csv.age > kiln-batch-entra.csv"</code>
                " (age asks for the passphrase; Kiln cannot recover a forgotten one)."
            </p>
        </Show>
    }
}
