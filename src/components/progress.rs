//! Progress of a token session, one line per command.

use kiln_core::token::{Report, Step, StepStatus};
use leptos::prelude::*;

fn status_text(status: StepStatus) -> (&'static str, &'static str) {
    match status {
        StepStatus::NotSent => ("pending", "Not sent"),
        StepStatus::Sending => ("working", "Working…"),
        StepStatus::Done => ("done", "Done"),
        StepStatus::Refused(_) => ("failed", "Refused by the token"),
        StepStatus::Unknown => ("unknown", "No answer — unknown"),
    }
}

/// One line per step of the report, with its status.
#[component]
pub fn StepProgress(
    /// The session's report so far; `None` before it started.
    #[prop(into)]
    report: Signal<Option<Report>>,
    /// The steps to list, in order.
    steps: Vec<Step>,
) -> impl IntoView {
    view! {
        <ol class="progress">
            {steps
                .into_iter()
                .map(|step| {
                    let status = move || {
                        report
                            .with(|r| {
                                r.as_ref()
                                    .and_then(|r| r.steps.iter().find(|(s, _)| *s == step).map(|(_, st)| *st))
                            })
                            .unwrap_or(StepStatus::NotSent)
                    };
                    view! {
                        <li class=move || format!("progress-item is-{}", status_text(status()).0)>
                            <span class="progress-mark" aria-hidden="true"></span>
                            <span class="progress-label">{step.label()}</span>
                            <span class="progress-status">{move || status_text(status()).1}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
