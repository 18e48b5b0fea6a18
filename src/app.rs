//! The root component: header, step list, the current screen, footer.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::batch::BatchState;
use crate::components::Stepper;
use crate::components::{Notice, Tone};
use crate::on_demand::{
    batch_screen, burn_step, connect_step, done_step, identify_step, identify_tool,
    on_demand_screen, preview_step, review_step, time_sync_tool, verify_step,
};
use crate::platform::{clock, idle, leave_guard, service_worker};
use crate::state::{AppState, Screen, WizardStep};
use crate::steps::SecretStep;

/// Moves keyboard focus to the current screen's heading (`#step-title`), if it is there.
pub fn focus_step_title() {
    if let Some(heading) = document().get_element_by_id("step-title")
        && let Ok(heading) = heading.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = heading.focus();
    }
}

/// The app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let batch = BatchState::new();
    provide_context(batch);
    // Burned tokens whose seeds are in no downloaded file would be lost with the page.
    leave_guard::guard_leaving(move || batch.has_unexported());
    set_interval(
        move || state.now_ms.set(clock::now_ms()),
        Duration::from_millis(250),
    );
    // When the screen changes, move focus to its heading, so keyboard users start at the top of
    // the new step and screen readers announce it (not on the first render).
    Effect::new(move |previous: Option<Screen>| {
        let screen = state.screen.get();
        if previous.is_some_and(|p| p != screen) {
            request_animation_frame(focus_step_title);
        }
        screen
    });
    let update_ready = RwSignal::new(false);
    // Offline support is not needed for the first screen: registering waits until the page is
    // idle, off the path to the first usable step (issue #19's interactive time).
    idle::when_idle(move || service_worker::register(update_ready));

    let tool_class = move |screen: Screen| {
        move || {
            if state.screen.get() == screen {
                "tool-link is-active"
            } else {
                "tool-link"
            }
        }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to the current step"</a>
        <header class="site-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                <div>
                    <h1 class="brand-name">"Kiln"</h1>
                    <p class="brand-tagline">"Program Token2 TOTP tokens from your browser"</p>
                </div>
            </div>
            <nav class="tools" aria-label="Tasks">
                <button type="button" class=move || if matches!(state.screen.get(), Screen::Wizard(_)) { "tool-link is-active" } else { "tool-link" }
                    on:click=move |_| {
                        if !matches!(state.screen.get_untracked(), Screen::Wizard(_)) {
                            state.go(WizardStep::Secret);
                        }
                    }>"Burn"</button>
                <button type="button" class=tool_class(Screen::IdentifyTool) data-testid="tool-identify"
                    on:click=move |_| state.screen.set(Screen::IdentifyTool)>"Identify"</button>
                <button type="button" class=tool_class(Screen::TimeSyncTool) data-testid="tool-time-sync"
                    on:click=move |_| state.screen.set(Screen::TimeSyncTool)>"Set clock"</button>
                <button type="button" class=tool_class(Screen::Batch) data-testid="tool-batch"
                    on:click=move |_| state.screen.set(Screen::Batch)>"Batch"</button>
            </nav>
        </header>
        <Show when=move || update_ready.get()>
            <div class="update-banner">
                <Notice tone=Tone::Info title="A new version of Kiln is ready">
                    <p>"Reload to use it. Your token and any secret on this page are not affected until you reload."</p>
                    <button type="button" class="button" disabled=move || state.busy.get()
                        on:click=move |_| service_worker::activate_update()>"Reload now"</button>
                </Notice>
            </div>
        </Show>
        <Show when=move || matches!(state.screen.get(), Screen::Wizard(_))>
            <Stepper/>
        </Show>
        <main id="main" class="main" tabindex="-1" data-screen=move || match state.screen.get() {
            Screen::Wizard(step) => step.id(),
            Screen::IdentifyTool => "identify-tool",
            Screen::TimeSyncTool => "time-sync-tool",
            Screen::Batch => "batch",
        }>
            {move || match state.screen.get() {
                Screen::Wizard(WizardStep::Secret) => view! { <SecretStep/> }.into_any(),
                Screen::Wizard(WizardStep::Review) => on_demand_screen(review_step),
                Screen::Wizard(WizardStep::Preview) => on_demand_screen(preview_step),
                Screen::Wizard(WizardStep::Connect) => on_demand_screen(connect_step),
                Screen::Wizard(WizardStep::Identify) => on_demand_screen(identify_step),
                Screen::Wizard(WizardStep::Burn) => on_demand_screen(burn_step),
                Screen::Wizard(WizardStep::Verify) => on_demand_screen(verify_step),
                Screen::Wizard(WizardStep::Done) => on_demand_screen(done_step),
                Screen::IdentifyTool => on_demand_screen(identify_tool),
                Screen::TimeSyncTool => on_demand_screen(time_sync_tool),
                Screen::Batch => on_demand_screen(batch_screen),
            }}
        </main>
        <footer class="site-footer">
            <p>
                <strong>"Private by design."</strong>
                " Everything happens in this page: the secret never leaves your device, and nothing is stored."
            </p>
            <p class="hint">"Kiln is not affiliated with Token2. Works with Token2 OTPC-P1-i, OTPC-P2-i(-NB), miniOTP-2-i, miniOTP-3-i(-NB), C301-i and C302-i."</p>
        </footer>
    }
}
