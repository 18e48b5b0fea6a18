//! Kiln's web app (Leptos, client-side rendered).
use leptos::prelude::*;

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    view! { <main><h1>"Kiln"</h1></main> }
}
