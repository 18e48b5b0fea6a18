//! The results table: serial, model, user, time, outcome, check. Replaced rows stay, marked.

use kiln_core::fleet::CodeCheck;
use leptos::prelude::*;

use crate::batch::use_batch;

/// `hh:mm:ss` of an RFC 3339 UTC time (the audit log has the full date).
fn time_of_day(rfc3339: &str) -> String {
    rfc3339
        .split_once('T')
        .map(|(_, time)| time.trim_end_matches('Z').to_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

/// One row per attempt.
#[component]
pub fn ResultsTable() -> impl IntoView {
    let batch = use_batch();
    let done = move || {
        batch
            .rows
            .with(|rows| rows.iter().filter(|r| r.exported).count())
    };
    view! {
        <p class="hint" data-testid="batch-count-done">{move || format!("{} token(s) burned and ready to export.", done())}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Results">
            <table class="batch-table" data-testid="batch-table">
                <thead>
                    <tr><th scope="col">"#"</th><th scope="col">"Serial"</th><th scope="col">"Model"</th><th scope="col">"User"</th><th scope="col">"Time (UTC)"</th><th scope="col">"Outcome"</th><th scope="col">"Check"</th></tr>
                </thead>
                <tbody>
                    <For each=move || batch.rows.get() key=|r| (r.number, r.replaced_by, r.check as u8) let:row>
                        <tr data-testid="batch-row" data-serial=row.serial.clone() data-outcome=row.outcome
                            data-replaced=row.replaced_by.is_some().to_string()
                            class:is-replaced=row.replaced_by.is_some()>
                            <td data-label="#">{row.number}</td>
                            <td data-label="Serial" class="mono">{row.serial.clone()}</td>
                            <td data-label="Model">{row.model.clone()}</td>
                            <td data-label="User">{row.user.clone().unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Time (UTC)"><time datetime=row.time.clone()>{time_of_day(&row.time)}</time></td>
                            <td data-label="Outcome">
                                <span class=format!("outcome outcome-{}", row.outcome)>{row.outcome_label}</span>
                                {row.replaced_by.map(|n| format!(" (replaced by row {n})"))}
                                // A replaced row's reason is history; the current row says what to do.
                                {row.reason.clone().filter(|_| row.replaced_by.is_none()).map(|r| view! { <span class="outcome-reason">{r}</span> })}
                            </td>
                            <td data-label="Check" data-testid="batch-row-check">{match row.check {
                                CodeCheck::Unchecked => "Unchecked",
                                CodeCheck::Matched => "Checked",
                                CodeCheck::Mismatched => "Code did not match",
                            }}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
