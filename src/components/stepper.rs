//! The list of wizard steps: where you are, what is done, what you can go back to.

use leptos::prelude::*;

use crate::state::{Screen, WizardStep, use_app};

/// The step list. Reachable steps are buttons; the current one is marked for screen readers.
#[component]
pub fn Stepper() -> impl IntoView {
    let state = use_app();
    let current = move || match state.screen.get() {
        Screen::Wizard(step) => Some(step),
        _ => None,
    };
    view! {
        <nav class="stepper" aria-label="Burn steps">
            <ol>
                {WizardStep::ALL
                    .into_iter()
                    .map(|step| {
                        let is_current = move || current() == Some(step);
                        let is_done = move || current().is_some_and(|c| c.number() > step.number());
                        let reachable = move || state.reachable(step) && !state.busy.get();
                        let class = move || {
                            let mut c = String::from("stepper-item");
                            if is_current() {
                                c.push_str(" is-current");
                            }
                            if is_done() {
                                c.push_str(" is-done");
                            }
                            c
                        };
                        view! {
                            <li class=class>
                                <button
                                    type="button"
                                    class="stepper-button"
                                    disabled=move || !reachable() || is_current()
                                    aria-current=move || is_current().then_some("step")
                                    on:click=move |_| state.go(step)
                                >
                                    <span class="stepper-number" aria-hidden="true">
                                        {step.number()}
                                    </span>
                                    <span class="stepper-title">{step.title()}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
