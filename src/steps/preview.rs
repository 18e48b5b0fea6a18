//! Step 3: the live codes the token will show.

use leptos::prelude::*;

use crate::components::{LiveCodes, StepNav, StepSection};
use crate::state::{WizardStep, use_app};

/// Step 3.
#[component]
pub fn PreviewStep() -> impl IntoView {
    let state = use_app();
    view! {
        <StepSection title="Preview the codes">
            <p class="lead">
                "Once burned, the token shows these codes. If the account’s page asks for a code "
                "now, you can already type this one."
            </p>
            {move || state.account.get().map(|account| view! {
                <LiveCodes secret=account.secret.clone() algorithm=account.algorithm period=account.period/>
            })}
            <StepNav back=WizardStep::Review next=WizardStep::Connect label="Continue to the reader"
                test_id="preview-continue" enabled=Signal::derive(|| true)/>
        </StepSection>
    }
}
