//! Identify a token without burning: serial, model, clock offset.

use leptos::prelude::*;

use crate::steps::connect::ConnectPanel;
use crate::steps::identify::IdentifyPanel;

/// The Identify tool.
#[component]
pub fn IdentifyTool() -> impl IntoView {
    view! {
        <section class="step" aria-labelledby="step-title">
            <h2 id="step-title" tabindex="-1">"Identify a token"</h2>
            <p class="lead">"Reads the token’s serial number, model and clock. Nothing is written."</p>
            <h3 class="subhead">"1. Reader"</h3>
            <ConnectPanel/>
            <h3 class="subhead">"2. Token"</h3>
            <IdentifyPanel/>
        </section>
    }
}
