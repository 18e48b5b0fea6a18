//! Identify a token without burning: serial, model, clock offset.

use leptos::prelude::*;

use crate::components::StepSection;
use crate::tools::ReaderAndToken;

/// The Identify tool.
#[component]
pub fn IdentifyTool() -> impl IntoView {
    view! {
        <StepSection title="Identify a token">
            <p class="lead">"Reads the token’s serial number, model and clock. Nothing is written."</p>
            <ReaderAndToken/>
        </StepSection>
    }
}
