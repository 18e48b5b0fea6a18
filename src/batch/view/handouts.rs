//! "Print hand-outs": one printed page per burned token for the person who gets it (serial,
//! model, user, period, display, the Entra activation steps), from the results table — no secret.
//! The same hand-out as the wizard's Done step (components::handout); on screen only the button
//! and a count show, on paper only the hand-outs, each on its own page.

use leptos::prelude::*;

use crate::batch::rows::RowView;
use crate::batch::use_batch;
use crate::components::handout::print_page;
use crate::components::{HandOutCard, HandOutFacts};

/// A batch goes to Microsoft Entra ID (its files are Entra's), so its hand-outs give Entra's
/// activation steps.
fn facts(row: &RowView) -> HandOutFacts {
    HandOutFacts {
        serial: row.serial.clone(),
        model: row.model.clone(),
        account: row
            .user
            .clone()
            .unwrap_or_else(|| "Not assigned yet: your IT help desk assigns it".to_string()),
        period: row.period,
        display: row.display,
        entra: true,
    }
}

/// The Print button and the hand-outs of the tokens that hold their seed (current, successful).
#[component]
pub fn BatchHandOuts() -> impl IntoView {
    let batch = use_batch();
    let burned = move || {
        batch.rows.with(|rows| {
            rows.iter()
                .filter(|r| r.exported)
                .map(facts)
                .collect::<Vec<_>>()
        })
    };
    let count = move || {
        batch
            .rows
            .with(|rows| rows.iter().filter(|r| r.exported).count())
    };
    view! {
        <div class="batch-handouts" data-testid="batch-handouts">
            <h4 class="subhead">"Hand-outs for the tokens’ users"</h4>
            <p class="hint" data-testid="batch-handouts-count">{move || match count() {
                0 => "No token is burned yet: a hand-out is printed for each burned token.".to_string(),
                1 => "One hand-out, for the burned token: one page, no secret.".to_string(),
                n => format!("{n} hand-outs, one page per burned token, no secret."),
            }}</p>
            <div class="actions actions-start">
                <button type="button" class="button" data-testid="batch-print-handouts"
                    disabled=move || count() == 0
                    on:click=move |_| print_page()>"Print hand-outs"</button>
            </div>
            // Redrawn whole when a row changes: it is only read when printed.
            <div class="handout-set">
                {move || burned().into_iter().map(|facts| view! { <HandOutCard facts=facts/> }).collect_view()}
            </div>
        </div>
    }
}
