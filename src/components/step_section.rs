//! The frame of every wizard step and tool: a section named by its heading. The heading has the
//! id `step-title` and takes focus when the screen changes (`app`), so screen readers announce
//! the new screen.

use leptos::prelude::*;

/// A step's section: its heading, then `children`.
#[component]
pub fn StepSection(
    /// The heading, in a few words.
    title: &'static str,
    /// The step's content, below the heading.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="step" aria-labelledby="step-title">
            <h2 id="step-title" tabindex="-1">{title}</h2>
            {children()}
        </section>
    }
}
