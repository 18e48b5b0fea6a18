//! Settings: new seeds (count, algorithm, period, display, optional users) or a list of seeds
//! from a file. "Start the batch" checks everything first and lists every refused line.

use kiln_core::fleet::{Ledger, SeedSource};
use kiln_core::{Algorithm, DisplayTimeout, Period};
use leptos::prelude::*;

use super::file_field::FileTextField;
use crate::batch::plan::{SetupForm, SetupRefused};
use crate::batch::run::focus_next_button;
use crate::batch::{BatchState, use_batch};
use crate::components::{Notice, Tone};
use crate::platform::random::CryptoRandom;

fn start(batch: BatchState) {
    let plan = match batch.form.with_untracked(SetupForm::plan) {
        Ok(plan) => plan,
        Err(refused) => {
            batch.refused.set(Some(refused));
            return;
        }
    };
    let ledger = match Ledger::start(&mut CryptoRandom) {
        Ok(ledger) => ledger,
        Err(random) => {
            batch.refused.set(Some(SetupRefused {
                summary: random.to_string(),
                lines: Vec::new(),
            }));
            return;
        }
    };
    batch.refused.set(None);
    batch.plan.set_value(Some(plan));
    batch.ledger.set_value(Some(ledger));
    batch.started.set(true);
    focus_next_button();
}

/// What the started batch will do, in a sentence.
fn describe(batch: BatchState) -> String {
    batch.plan.with_value(|plan| {
        let Some(plan) = plan else {
            return String::new();
        };
        let size = match plan.size() {
            Some(n) => format!("{n} token(s)"),
            None => "as many tokens as you burn".into(),
        };
        match &plan.source {
            SeedSource::Fresh { algorithm, period } => format!(
                "New seeds, {}, {} s codes, display {} s, {size}{}.",
                algorithm.name(),
                period.seconds(),
                plan.display.seconds(),
                plan.users
                    .as_ref()
                    .map(|u| format!(", for {} user(s) in order", u.len()))
                    .unwrap_or_default()
            ),
            SeedSource::List(list) => format!(
                "{} seed(s) from the list, display {} s, {size}.",
                list.rows().len(),
                plan.display.seconds()
            ),
        }
    })
}

/// The settings form.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let batch = use_batch();
    let form = batch.form;
    let locked = Signal::derive(move || batch.started.get());
    let from_list = move || form.with(|f| f.from_list);
    // A refusal is about the settings as they were: editing them takes it away.
    Effect::new(move |previous: Option<()>| {
        form.track();
        if previous.is_some() {
            batch.refused.set(None);
        }
    });
    let short_users = move || {
        batch.started.get();
        batch.plan.with_value(|p| {
            p.as_ref()
                .and_then(|p| p.short_users)
                .map(|s| s.to_string())
        })
    };
    view! {
        <div class="panel">
            <fieldset class="choice-set" disabled=move || locked.get()>
                <legend>"Seeds"</legend>
                <label class="checkbox">
                    <input type="radio" name="batch-source" data-testid="batch-source-fresh"
                        prop:checked=move || !from_list()
                        on:change=move |_| form.update(|f| f.from_list = false)/>
                    "New random seeds, made in this browser"
                </label>
                <label class="checkbox">
                    <input type="radio" name="batch-source" data-testid="batch-source-list"
                        prop:checked=from_list
                        on:change=move |_| form.update(|f| f.from_list = true)/>
                    "A list of seeds from a file (Entra CSV, upn,secret CSV or otpauth:// links)"
                </label>
            </fieldset>
            <Show when=move || !from_list()
                fallback=move || view! {
                    <FileTextField id="batch-seeds" label="List of seeds"
                        hint="Every line is checked before anything is burned. A row that names a serial goes only into that token."
                        text=Signal::derive(move || form.with(|f| f.seeds.clone()))
                        on_text=Callback::new(move |t| form.update(|f| f.seeds = t))
                        disabled=locked/>
                }>
                <div class="field-row">
                    <div class="field">
                        <label for="batch-count">"Tokens"</label>
                        <input id="batch-count" data-testid="batch-count" inputmode="numeric"
                            placeholder="No set end" aria-describedby="batch-count-hint"
                            prop:value=move || form.with(|f| f.count.clone())
                            disabled=move || locked.get()
                            on:input=move |ev| form.update(|f| f.count = event_target_value(&ev))/>
                        <p class="hint" id="batch-count-hint">"Empty: burn until you stop."</p>
                    </div>
                    <div class="field">
                        <label for="batch-algorithm">"Algorithm"</label>
                        <select id="batch-algorithm" data-testid="batch-algorithm" disabled=move || locked.get()
                            on:change=move |ev| form.update(|f| f.algorithm = if event_target_value(&ev) == "SHA256" { Algorithm::Sha256 } else { Algorithm::Sha1 })>
                            <option value="SHA1" selected=move || form.with(|f| f.algorithm == Algorithm::Sha1)>"SHA1"</option>
                            <option value="SHA256" selected=move || form.with(|f| f.algorithm == Algorithm::Sha256)>"SHA256"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="batch-period">"Period"</label>
                        <select id="batch-period" data-testid="batch-period" disabled=move || locked.get()
                            on:change=move |ev| form.update(|f| f.period = if event_target_value(&ev) == "60" { Period::S60 } else { Period::S30 })>
                            <option value="30" selected=move || form.with(|f| f.period == Period::S30)>"30 seconds"</option>
                            <option value="60" selected=move || form.with(|f| f.period == Period::S60)>"60 seconds"</option>
                        </select>
                    </div>
                </div>
                <FileTextField id="batch-users" label="Users (optional)"
                    hint="One UPN or e-mail per line, or a CSV with a upn column (and an id column for Graph assignment). Each token goes to the next user."
                    text=Signal::derive(move || form.with(|f| f.users.clone()))
                    on_text=Callback::new(move |t| form.update(|f| f.users = t))
                    disabled=locked/>
            </Show>
            <div class="field">
                <label for="batch-display">"Display stays on for"</label>
                <select id="batch-display" data-testid="batch-display" disabled=move || locked.get()
                    on:change=move |ev| form.update(|f| f.display = DisplayTimeout::from_seconds(event_target_value(&ev).parse().unwrap_or(30)).unwrap_or_default())>
                    {DisplayTimeout::ALL.into_iter().map(|d| view! {
                        <option value=d.seconds() selected=move || form.with(|f| f.display == d)>{format!("{} seconds", d.seconds())}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || batch.refused.with(Option::is_some)>
                <Notice tone=Tone::Error title="The batch cannot start yet">
                    <p data-testid="batch-refused">{move || batch.refused.with(|r| r.as_ref().map(|r| r.summary.clone()).unwrap_or_default())}</p>
                    <ul data-testid="batch-refused-lines">
                        {move || batch.refused.with(|r| r.as_ref().map(|r| r.lines.clone()).unwrap_or_default())
                            .into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                </Notice>
            </Show>
            <Show when=move || !locked.get()
                fallback=move || view! {
                    <Notice tone=Tone::Info title="Batch started">
                        <p data-testid="batch-plan">{move || { batch.started.get(); describe(batch) }}</p>
                        <p>"To change the settings, export the files and wipe the batch."</p>
                    </Notice>
                    {move || short_users().map(|text| view! {
                        <Notice tone=Tone::Warning title="Not enough users">
                            <p>{text}</p>
                        </Notice>
                    })}
                }>
                <div class="actions actions-start">
                    <button type="button" class="button button-primary" data-testid="batch-start"
                        on:click=move |_| start(batch)>"Check and start the batch"</button>
                </div>
            </Show>
        </div>
    }
}
