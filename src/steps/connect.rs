//! Step 4: choose a USB reader.

use leptos::prelude::*;

use crate::components::{ConnectPanel, StepNav, StepSection};
use crate::state::{WizardStep, use_app};

/// Step 4.
#[component]
pub fn ConnectStep() -> impl IntoView {
    let state = use_app();
    view! {
        <StepSection title="Connect the reader">
            <ConnectPanel/>
            <StepNav back=WizardStep::Preview next=WizardStep::Identify label="Continue to the token"
                test_id="connect-continue" enabled=Signal::derive(move || state.reader_name.get().is_some())/>
        </StepSection>
    }
}
