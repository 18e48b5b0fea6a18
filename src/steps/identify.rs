//! Step 5: read the token's serial, model and clock.

use leptos::prelude::*;

use crate::components::{IdentifyPanel, StepNav, StepSection};
use crate::state::{WizardStep, use_app};

/// Step 5.
#[component]
pub fn IdentifyStep() -> impl IntoView {
    let state = use_app();
    view! {
        <StepSection title="Put the token on the reader">
            <IdentifyPanel/>
            <StepNav back=WizardStep::Connect next=WizardStep::Burn label="Continue to burning"
                test_id="identify-continue" enabled=Signal::derive(move || state.token.get().is_some())/>
        </StepSection>
    }
}
