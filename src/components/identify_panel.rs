//! Reading the token's serial, model and clock; the wizard's Identify step and the tools show it.

use kiln_core::token::{Failure, Outcome, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{Notice, TokenCard, Tone};
use crate::ops;
use crate::platform::clock;
use crate::state::{AppState, use_app};

/// Why the token could not be identified: a title and the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifyError {
    /// What went wrong, in a few words.
    pub title: &'static str,
    /// Why, and what to do.
    pub message: String,
}

impl IdentifyError {
    fn unreadable(message: String) -> IdentifyError {
        IdentifyError {
            title: "The token could not be read",
            message,
        }
    }
}

/// Runs an Identify session and stores the result (or the error).
pub fn identify(state: AppState, error: RwSignal<Option<IdentifyError>>) {
    error.set(None);
    state.token.set(None);
    spawn_local(async move {
        match ops::run_session(state, Session::identify(), |_| {}).await {
            Ok(report) => match ops::facts_from(&report, clock::now_unix()) {
                Some(facts) => {
                    state.results.note_identified(&facts.info.serial);
                    state.token.set(Some(facts));
                }
                None => {
                    let failure = if report.outcome() == Outcome::Success {
                        IdentifyError::unreadable(
                            "The token answered, but its identity was incomplete.".to_string(),
                        )
                    } else {
                        match report.failure {
                            // It was read fine: Kiln refuses to program it.
                            Some(f @ Failure::UnknownModel { .. }) => IdentifyError {
                                title: "Kiln cannot program this token",
                                message: f.to_string(),
                            },
                            Some(f) => IdentifyError::unreadable(f.to_string()),
                            None => IdentifyError::unreadable(
                                "The token could not be read. Switch it on and keep it on the \
                                 reader, then try again."
                                    .to_string(),
                            ),
                        }
                    };
                    error.set(Some(failure));
                }
            },
            Err(failure) => error.set(Some(IdentifyError::unreadable(failure.to_string()))),
        }
    });
}

/// How to put the token on the reader.
#[component]
pub fn TokenInstructions() -> impl IntoView {
    view! {
        <ol class="instructions">
            <li>"Press and hold the token’s button until its display lights up."</li>
            <li>"Lay it flat on the reader straight away, and keep it there."</li>
            <li>"Click " <strong>"Read the token"</strong> " while the display is still on."</li>
        </ol>
    }
}

/// Identify button, result and errors; used by the wizard and by the tools.
#[component]
pub fn IdentifyPanel() -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<IdentifyError>);
    view! {
        <div class="panel">
            <TokenInstructions/>
            <div class="actions actions-start">
                <button type="button" class="button button-primary" data-testid="identify-token"
                    disabled=move || state.busy.get() || state.reader_name.get().is_none()
                    on:click=move |_| identify(state, error)>
                    {move || if state.busy.get() { "Reading…" } else { "Read the token" }}
                </button>
            </div>
            <Show when=move || state.reader_name.get().is_none()>
                <Notice tone=Tone::Warning title="No reader">
                    <p>"The reader is not connected. Connect it first."</p>
                </Notice>
            </Show>
            {move || error.get().map(|e| view! {
                <Notice tone=Tone::Error title=e.title>
                    <p data-testid="identify-error">{e.message}</p>
                </Notice>
            })}
            {move || state.token.get().map(|facts| view! { <TokenCard facts=facts/> })}
        </div>
    }
}
