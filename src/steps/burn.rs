//! Step 6: write the settings and the seed, with progress per command and a truthful outcome.

use kiln_core::otp::account_label;
use kiln_core::token::{Failure, Outcome, Report, Session, Step, StepStatus, TokenSettings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{ErrorNotice, Notice, StepProgress, StepSection, Tone};
use crate::ops;
use crate::results::BurnState;
use crate::state::{AppState, WizardStep, use_app};

const BURN_STEPS: [Step; 5] = [
    Step::ReadInfo,
    Step::GetChallenge,
    Step::Authenticate,
    Step::WriteConfig,
    Step::WriteSeed,
];

fn start_burn(state: AppState, error: RwSignal<Option<String>>) {
    let Some(account) = state.account.get_untracked() else {
        return;
    };
    let Some(token) = state.token.get_untracked() else {
        return;
    };
    // What this burn is about: its result counts only while the app still holds exactly this.
    let Some(subject) = state.results.subject_now() else {
        return;
    };
    let settings = TokenSettings {
        algorithm: account.algorithm,
        period: account.period,
        display: state.display.get_untracked(),
    };
    let session = match Session::burn(&account.secret, settings) {
        Ok(session) => session.expect_serial(token.info.serial.clone()),
        Err(e) => {
            error.set(Some(e.to_string()));
            return;
        }
    };
    drop(account);
    error.set(None);
    let results = state.results;
    results.record_burn(subject.clone(), BurnState::Working(session.report()));
    spawn_local(async move {
        let progress = subject.clone();
        let result = ops::run_session(state, session, move |report: &Report| {
            results.record_burn(progress.clone(), BurnState::Working(report.clone()));
        })
        .await;
        match result {
            Ok(report) => results.record_burn(subject, BurnState::Finished(report)),
            Err(failure) => {
                results.forget_burn();
                error.set(Some(failure.to_string()));
            }
        }
    });
}

/// `idle`, `working`, `success`, `failed` or `unknown` — the `data-state` test hook.
fn burn_state_code(burn: &BurnState) -> &'static str {
    match burn {
        BurnState::Idle => "idle",
        BurnState::Working(_) => "working",
        BurnState::Finished(report) => match report.outcome() {
            Outcome::Success => "success",
            Outcome::Failed => "failed",
            Outcome::Unknown => "unknown",
        },
    }
}

/// True when the burn stopped at authentication: refused, or sent without a usable answer (the
/// token may have counted it either way).
fn failed_authentication(burn: &BurnState) -> bool {
    let BurnState::Finished(report) = burn else {
        return false;
    };
    let failed_there = matches!(
        report.failure,
        Some(
            Failure::Refused {
                step: Step::Authenticate,
                ..
            } | Failure::Link {
                step: Step::Authenticate,
                ..
            } | Failure::BadReply {
                step: Step::Authenticate
            }
        )
    );
    let unanswered = report
        .steps
        .iter()
        .any(|(step, status)| *step == Step::Authenticate && *status == StepStatus::Unknown);
    failed_there || unanswered
}

/// Step 6.
#[component]
pub fn BurnStep() -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    let report = Signal::derive(move || match state.results.burn.get() {
        BurnState::Idle => None,
        BurnState::Working(r) | BurnState::Finished(r) => Some(r),
    });
    let working = move || matches!(state.results.burn.get(), BurnState::Working(_));
    // The reader can be unplugged (and the token forgotten) while this step is open.
    let has_reader = move || state.reader_name.with(Option::is_some);
    let ready = move || has_reader() && state.token.with(Option::is_some);
    let finished = move || {
        state.results.burn.with(|b| match b {
            BurnState::Finished(r) => Some(r.outcome()),
            _ => None,
        })
    };
    // Authentication was refused, or its answer was lost: the token may have counted a failed
    // attempt, and another one can lock older tokens, so "try again" comes after the
    // explanation and is not the inviting primary button.
    let auth_failed = move || state.results.burn.with(failed_authentication);
    let summary = move || {
        let account = state.account.get()?;
        let token = state
            .token
            .get()
            .map(|t| format!("{} · {}", t.model.name(), t.info.serial))
            .unwrap_or_else(|| "Not read yet".to_string());
        let service = account
            .issuer
            .clone()
            .unwrap_or_else(|| "this account".into());
        Some(view! {
            <dl class="facts facts-compact">
                <div><dt>"Account"</dt><dd>{account_label(&service, &account.account)}</dd></div>
                <div><dt>"Token"</dt><dd>{token}</dd></div>
                <div><dt>"Settings"</dt><dd>{format!("{}, {} s codes, display {} s", account.algorithm.name(), account.period.seconds(), state.display.get().seconds())}</dd></div>
                <div><dt>"Clock"</dt><dd>"Set to this device’s time"</dd></div>
            </dl>
        })
    };
    view! {
        <StepSection title="Burn the token">
            <p class="lead">"Kiln sets the token’s clock and settings, then writes the seed. Keep the token on the reader until it is done."</p>
            {summary}
            <Show when=move || !ready() && !working()>
                <Notice tone=Tone::Warning title="Connect the reader and read the token first">
                    <p data-testid="burn-needs-token">{move || if has_reader() {
                        "Kiln no longer knows which token is on the reader. Read the token again on the Token step, then burn."
                    } else {
                        "The reader is disconnected. Plug it back in, connect it on the Reader step and read the token again, then burn."
                    }}</p>
                    <button type="button" class="button" on:click=move |_| {
                        state.go(if has_reader() { WizardStep::Identify } else { WizardStep::Connect })
                    }>
                        {move || if has_reader() { "Go to the Token step" } else { "Go to the Reader step" }}
                    </button>
                </Notice>
            </Show>
            <Show when=move || !auth_failed()>
                <div class="actions actions-start">
                    <button type="button" data-testid="burn" class="button button-primary button-large"
                        disabled=move || !ready() || working() || state.busy.get() || finished() == Some(Outcome::Success)
                        on:click=move |_| start_burn(state, error)>
                        {move || match finished() {
                            Some(Outcome::Success) => "Burned",
                            Some(_) => "Burn again",
                            None => if working() { "Burning…" } else { "Burn" },
                        }}
                    </button>
                </div>
            </Show>
            <div class="burn-status" data-testid="burn-status" data-state=move || state.results.burn.with(burn_state_code) aria-live="polite">
                <StepProgress report=report steps=BURN_STEPS.to_vec()/>
                {move || match state.results.burn.get() {
                    BurnState::Finished(report) => {
                        let (tone, title) = match report.outcome() {
                            Outcome::Success => (Tone::Success, "The token is burned"),
                            Outcome::Failed => (Tone::Error, "The burn did not complete"),
                            Outcome::Unknown => (Tone::Warning, "The result is unknown — burn again"),
                        };
                        Some(view! {
                            <Notice tone=tone title=title>
                                <p data-testid="burn-summary">{report.summary()}</p>
                            </Notice>
                        })
                    }
                    _ => None,
                }}
            </div>
            <Show when=auth_failed>
                <div class="auth-advice" data-testid="burn-auth-advice">
                    <h3 class="subhead">"Before you try again"</h3>
                    <p>"A token may count a failed authentication, and some lock themselves after a few. Kiln never tries again on its own."</p>
                    <ol class="instructions">
                        <li>"Take the token off the reader."</li>
                        <li>"Switch it on again and put it back on the reader."</li>
                        <li>"Read it again on the Token step, then burn once more."</li>
                    </ol>
                    <div class="actions actions-start">
                        <button type="button" class="button" on:click=move |_| state.go(WizardStep::Identify)>"Read the token again"</button>
                        <button type="button" class="button" data-testid="burn"
                            disabled=move || !ready() || working() || state.busy.get()
                            on:click=move |_| start_burn(state, error)>"Burn again"</button>
                    </div>
                </div>
            </Show>
            <ErrorNotice error=error title="The burn did not start" test_id="burn-error"/>
            <div class="actions">
                <button type="button" class="button" disabled=working on:click=move |_| state.go(WizardStep::Identify)>"Back"</button>
                <button type="button" class="button button-primary" data-testid="burn-continue"
                    disabled=move || !state.results.burned()
                    on:click=move |_| state.go(WizardStep::Verify)>
                    "Check the token’s code"
                </button>
            </div>
        </StepSection>
    }
}
