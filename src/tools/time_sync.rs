//! Set a token's clock without changing its seed — on the models where that is possible. On
//! the others, a clock write erases the seed, so the user must acknowledge it first.

use kiln_core::token::{Outcome, Report, SeedWipe, Session, TokenSettings};
use kiln_core::{Algorithm, DisplayTimeout, Period};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::drift_status::ToolPeriod;
use crate::components::{ErrorNotice, Notice, StepSection, Tone};
use crate::ops;
use crate::state::{AppState, use_app};
use crate::tools::{ReaderAndToken, RepairChoice};

fn run(
    state: AppState,
    settings: TokenSettings,
    ack: bool,
    result: RwSignal<Option<Report>>,
    error: RwSignal<Option<String>>,
) {
    let Some(token) = state.token.get_untracked() else {
        return;
    };
    let wipe = if ack {
        SeedWipe::Acknowledged
    } else {
        SeedWipe::NotAcknowledged
    };
    let serial = token.info.serial;
    let session = Session::time_sync(settings, wipe).expect_serial(serial.clone());
    error.set(None);
    result.set(None);
    spawn_local(async move {
        match ops::run_session(state, session, |_| {}).await {
            Ok(report) => {
                // A clock write that may have erased the seed (or changed the settings) makes an
                // earlier burn of this token stale.
                state.results.note_clock_write(&serial, &report);
                if report.outcome() == Outcome::Success {
                    // The token's clock now matches this device.
                    state.token.update(|t| {
                        if let Some(t) = t {
                            t.clock_offset = 0;
                        }
                    });
                }
                result.set(Some(report));
            }
            Err(failure) => error.set(Some(failure.to_string())),
        }
    });
}

/// The Time sync tool.
#[component]
pub fn TimeSyncTool() -> impl IntoView {
    let state = use_app();
    // The account still on this page (the one just burned, usually) gives the first choice.
    let (first_algorithm, first_period) = state.account.with_untracked(|a| {
        a.as_ref()
            .map_or((Algorithm::Sha1, Period::S30), |a| (a.algorithm, a.period))
    });
    let algorithm = RwSignal::new(first_algorithm);
    let period = RwSignal::new(first_period);
    // The token card's drift check is judged for this period.
    provide_context(ToolPeriod(period.into()));
    let display = RwSignal::new(DisplayTimeout::S30);
    let ack = RwSignal::new(false);
    let result = RwSignal::new(None::<Report>);
    let error = RwSignal::new(None::<String>);
    let restricted = move || {
        state
            .token
            .with(|t| t.as_ref().map(|t| t.model.restricted_sync()))
    };
    let ready = move || match restricted() {
        None => false,
        Some(true) => ack.get(),
        Some(false) => true,
    };
    view! {
        <StepSection title="Set a token’s clock">
            <p class="lead">"Sets the token’s clock to this device’s time. A token whose clock drifted shows codes that services reject."</p>
            <ReaderAndToken/>
            <h3 class="subhead">"3. Settings"</h3>
            <p class="hint">"The token takes its clock together with these settings. Choose the values it was burned with, or its codes will change."</p>
            <div class="field-row">
                <div class="field">
                    <label for="sync-algorithm">"Algorithm"</label>
                    <select id="sync-algorithm" on:change=move |ev| algorithm.set(if event_target_value(&ev) == "SHA256" { Algorithm::Sha256 } else { Algorithm::Sha1 })>
                        <option value="SHA1" selected=first_algorithm == Algorithm::Sha1>"SHA1"</option>
                        <option value="SHA256" selected=first_algorithm == Algorithm::Sha256>"SHA256"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="sync-period">"Period"</label>
                    <select id="sync-period" data-testid="time-sync-period" on:change=move |ev| period.set(if event_target_value(&ev) == "60" { Period::S60 } else { Period::S30 })>
                        <option value="30" selected=first_period == Period::S30>"30 seconds"</option>
                        <option value="60" selected=first_period == Period::S60>"60 seconds"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="sync-display">"Display"</label>
                    <select id="sync-display" on:change=move |ev| display.set(DisplayTimeout::from_seconds(event_target_value(&ev).parse().unwrap_or(30)).unwrap_or_default())>
                        {DisplayTimeout::ALL.into_iter().map(|d| view! {
                            <option value=d.seconds() selected=d == DisplayTimeout::S30>{format!("{} seconds", d.seconds())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <RepairChoice/>
            <Show when=move || restricted() == Some(true)>
                <label class="checkbox">
                    <input type="checkbox" data-testid="time-sync-ack" on:change=move |ev| ack.set(event_target_checked(&ev))/>
                    " Set only the clock: I understand the seed will be erased and the token will show no valid codes until I burn it again."
                </label>
            </Show>
            <div class="actions actions-start">
                <button type="button" class="button button-primary" data-testid="time-sync"
                    disabled=move || !ready() || state.busy.get()
                    on:click=move |_| run(state, TokenSettings { algorithm: algorithm.get(), period: period.get(), display: display.get() }, ack.get(), result, error)>
                    "Set the clock"
                </button>
            </div>
            <ErrorNotice error=error title="The clock was not set"/>
            {move || result.get().map(|report| {
                let (tone, title, code) = match report.outcome() {
                    Outcome::Success => (Tone::Success, "Clock set", "success"),
                    Outcome::Failed => (Tone::Error, "The clock was not set", "failed"),
                    Outcome::Unknown => (Tone::Warning, "The result is unknown", "unknown"),
                };
                view! {
                    <div data-testid="time-sync-result" data-state=code>
                        <Notice tone=tone title=title><p>{report.summary()}</p></Notice>
                    </div>
                }
            })}
        </StepSection>
    }
}
