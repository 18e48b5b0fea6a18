//! The first two parts of every tool: connect a reader, then read the token on it.

use leptos::prelude::*;

use crate::components::{ConnectPanel, IdentifyPanel};

/// "1. Reader" and "2. Token", the panels the wizard's Connect and Identify steps show.
#[component]
pub fn ReaderAndToken() -> impl IntoView {
    view! {
        <h3 class="subhead">"1. Reader"</h3>
        <ConnectPanel/>
        <h3 class="subhead">"2. Token"</h3>
        <IdentifyPanel/>
    }
}
