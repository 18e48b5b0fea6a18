//! The Molto2 panel: shown in the Reader step when a Molto2 is chosen in the bridge's list.
//!
//! * [`Molto2Panel`] (this file) — the frame: device line, customer key, table, results;
//! * [`profile_table`] — the table with each profile's actions;
//! * [`burn_form`] — burning the wizard's account into the chosen free profile;
//! * [`erase_confirm`] — "this cannot be undone" before a delete.

mod burn_form;
mod erase_confirm;
mod profile_table;

use kiln_core::otp::AccountFingerprint;
use leptos::prelude::*;

use super::outcome::ResultKind;
use super::panel::{self, Activity, Molto2State};
use crate::components::{ErrorNotice, Notice, Tone};
use crate::platform::bridge::BridgeReader;
use crate::state::use_app;
use burn_form::BurnForm;
use erase_confirm::EraseConfirm;
use profile_table::ProfileTableView;

/// What the panel says while an operation runs.
fn activity_text(activity: Activity) -> String {
    match activity {
        Activity::Idle => String::new(),
        Activity::Reading => "Reading the profiles…".into(),
        Activity::Burning(n) => format!("Burning into profile {n}… keep the Molto2 plugged in."),
        Activity::Deleting(n) => format!("Erasing profile {n}…"),
        Activity::Syncing(Some(n)) => format!("Setting the clock through profile {n}…"),
        Activity::Syncing(None) => "Setting the clock through every profile…".into(),
    }
}

fn clock_text(offset: i64) -> String {
    match offset {
        -2..=2 => "its clock matches this computer’s".into(),
        o if o > 0 => format!("its clock is {o} s ahead of this computer’s"),
        o => format!("its clock is {} s behind this computer’s", -o),
    }
}

/// The Molto2 on `reader`, through the bridge. `on_close` ends it (the reader is released).
#[component]
pub fn Molto2Panel(
    /// The bridge's reader the Molto2 is on; the panel releases it when it goes.
    reader: BridgeReader,
    /// Called by "Done with this Molto2".
    on_close: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let name = reader.name().to_string();
    let molto2 = Molto2State::new(reader);
    on_cleanup(move || panel::close(molto2));
    let activity = molto2.activity;
    let idle = move || activity.get() == Activity::Idle;
    let account = move || {
        state
            .account
            .with(|a| a.as_ref().map(AccountFingerprint::of))
    };
    let result = Memo::new(move |_| {
        let serial = molto2.serial();
        molto2
            .result
            .get()
            .filter(|r| r.is_about(serial.as_deref(), account()))
    });
    panel::read_table(molto2);
    view! {
        <div class="reader-option molto2" data-testid="molto2-panel"
            data-activity=move || if idle() { "idle" } else { "busy" }>
            <h3>"Token2 Molto2"</h3>
            <p class="hint">"Reader: " {name}</p>
            <p data-testid="molto2-device">{move || molto2.table.with(|t| match t {
                Some(t) => format!("Serial {}: {}, {} profiles.", t.serial, clock_text(t.clock_offset), t.rows.len()),
                None => "The profiles have not been read.".to_string(),
            })}</p>
            <details class="help">
                <summary>"The Molto2 has its own customer key"</summary>
                <div class="field">
                    <label for="molto2-key">"Customer key (leave empty for the factory key)"</label>
                    <input id="molto2-key" data-testid="molto2-key" type="password" autocomplete="off"
                        node_ref=molto2.key_input/>
                    <p class="hint">"Burning and setting the clock use it. A wrong key counts against the Molto2’s attempts: Kiln tries it once and never again by itself."</p>
                </div>
            </details>
            <div class="actions actions-start">
                <button type="button" class="button" data-testid="molto2-read"
                    disabled=move || !idle() on:click=move |_| panel::read_table(molto2)>
                    {move || if molto2.table.with(Option::is_some) { "Read the profiles again" } else { "Read the profiles" }}
                </button>
                <button type="button" class="button" data-testid="molto2-sync-all"
                    disabled=move || !idle() || molto2.table.with(Option::is_none)
                    on:click=move |_| panel::sync_time(molto2, None)>
                    "Set the clock of every profile"
                </button>
                <button type="button" class="button" data-testid="molto2-close"
                    disabled=move || !idle() on:click=move |_| on_close.run(())>
                    "Done with this Molto2"
                </button>
            </div>
            <Show when=move || !idle()>
                <p class="hint" role="status" data-testid="molto2-activity">{move || activity_text(activity.get())}</p>
            </Show>
            <Show when=move || molto2.button.get()>
                <Notice tone=Tone::Warning title="Press the button on the Molto2 now">
                    <p data-testid="molto2-press-button">"The Molto2 waits for its ▲ button to confirm."</p>
                </Notice>
            </Show>
            {move || result.get().map(|r| {
                let tone = match r.kind {
                    ResultKind::Done => Tone::Success,
                    ResultKind::Failed => Tone::Error,
                    ResultKind::Unknown => Tone::Warning,
                };
                view! {
                    <div data-testid="molto2-result" data-kind=r.kind.id()>
                        <Notice tone=tone title=r.title.clone()><p>{r.text.clone()}</p></Notice>
                    </div>
                }
            })}
            <ErrorNotice error=molto2.error title="The Molto2 could not be used" test_id="molto2-error"/>
            <EraseConfirm molto2=molto2/>
            <BurnForm molto2=molto2/>
            <ProfileTableView molto2=molto2/>
        </div>
    }
}
