//! The Back / Continue row at the bottom of a wizard step.

use leptos::prelude::*;

use crate::state::{WizardStep, use_app};

/// "Back" to `back`, and a primary "Continue" to `next` (labelled `label`, test hook `test_id`)
/// that is enabled while `enabled` is true.
#[component]
pub fn StepNav(
    /// Where "Back" goes.
    back: WizardStep,
    /// Where "Continue" goes.
    next: WizardStep,
    /// The text of the "Continue" button.
    label: &'static str,
    /// The test hook on the "Continue" button.
    test_id: &'static str,
    /// Whether "Continue" can be pressed.
    #[prop(into)]
    enabled: Signal<bool>,
) -> impl IntoView {
    let state = use_app();
    view! {
        <div class="actions">
            <button type="button" class="button" on:click=move |_| state.go(back)>"Back"</button>
            <button type="button" class="button button-primary" data-testid=test_id
                disabled=move || !enabled.get()
                on:click=move |_| state.go(next)>
                {label}
            </button>
        </div>
    }
}
