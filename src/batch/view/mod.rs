//! The Batch screen: settings, the reader, the next token, the results, the files.

mod check;
mod encrypt;
mod export;
mod file_field;
mod handouts;
mod next;
mod settings;
mod table;

use leptos::prelude::*;

use super::use_batch;
use crate::components::{ConnectPanel, StepSection};
use check::QuickCheck;
use export::ExportPanel;
use handouts::BatchHandOuts;
use next::NextToken;
use settings::SettingsPanel;
use table::ResultsTable;

/// The Batch screen.
#[component]
pub fn BatchScreen() -> impl IntoView {
    let batch = use_batch();
    view! {
        <StepSection title="Burn a batch of tokens">
            <p class="lead">"For organisations: new or listed seeds into many tokens in a row, then the files to upload to Microsoft Entra ID. Everything stays in this page until you wipe it."</p>
            <h3 class="subhead">"1. Settings"</h3>
            <SettingsPanel/>
            <h3 class="subhead">"2. Reader"</h3>
            <ConnectPanel/>
            <h3 class="subhead">"3. Tokens"</h3>
            <NextToken/>
            <QuickCheck/>
            <Show when=move || batch.rows.with(|r| !r.is_empty())>
                <h3 class="subhead">"4. Results"</h3>
                <ResultsTable/>
                <BatchHandOuts/>
            </Show>
            <Show when=move || batch.started.get()>
                <h3 class="subhead">"5. Files"</h3>
                <ExportPanel/>
            </Show>
        </StepSection>
    }
}
