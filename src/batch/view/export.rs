//! The files, and "Wipe batch". Exports are made in the page; a refused one says why and the
//! batch stays.

use leptos::prelude::*;

use crate::batch::exports::{ExportKind, export};
use crate::batch::use_batch;
use crate::components::{Notice, Tone};

/// Export buttons, their notices, and the wipe.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let batch = use_batch();
    let result = RwSignal::new(None::<(ExportKind, Result<Option<String>, String>)>);
    let confirm_wipe = RwSignal::new(false);
    let wipe = move || {
        batch.wipe();
        result.set(None);
        confirm_wipe.set(false);
    };
    view! {
        <div class="panel">
            <p>"Upload the Entra CSV in the Entra admin center (Protection → Authentication methods → OATH tokens), or send a Graph file to " <code class="wrap-anywhere">"/beta/directory/authenticationMethodDevices/hardwareOathDevices"</code> ". The audit log has every attempt and no secrets."</p>
            <div class="actions actions-start export-buttons">
                {ExportKind::ALL.into_iter().map(|kind| view! {
                    <button type="button" class="button" data-testid=format!("batch-export-{}", kind.id())
                        on:click=move |_| result.set(Some((kind, export(batch, kind))))>
                        {kind.label()}
                    </button>
                }).collect_view()}
            </div>
            <div data-testid="batch-export-result" aria-live="polite">
                {move || result.get().map(|(kind, outcome)| match outcome {
                    Ok(notice) => view! {
                        <Notice tone=Tone::Success title=format!("{} saved as {}", kind.label(), kind.file_name())>
                            {notice.map(|n| view! { <p data-testid="batch-export-notice">{n}</p> })}
                        </Notice>
                    }.into_any(),
                    Err(reason) => view! {
                        <Notice tone=Tone::Error title=format!("No {} file", kind.label())>
                            <p data-testid="batch-export-error">{reason}</p>
                        </Notice>
                    }.into_any(),
                })}
            </div>
            <h4 class="subhead">"When you are done"</h4>
            <p>"Wipe batch erases every seed, user and result from this page. Download the files first: they cannot be made again."</p>
            <div class="actions actions-start">
                <button type="button" class="button" data-testid="batch-wipe"
                    on:click=move |_| if batch.has_unexported() { confirm_wipe.set(true) } else { wipe() }>
                    "Wipe batch"
                </button>
            </div>
            <Show when=move || confirm_wipe.get()>
                <Notice tone=Tone::Warning title="Some burned tokens are in no downloaded file">
                    <p>"Their seeds will be lost and the tokens must be burned again. Export an Entra CSV or Graph file first, or wipe anyway."</p>
                    <div class="actions actions-start">
                        <button type="button" class="button" data-testid="batch-wipe-cancel" on:click=move |_| confirm_wipe.set(false)>"Keep the batch"</button>
                        <button type="button" class="button" data-testid="batch-wipe-confirm" on:click=move |_| wipe()>"Wipe anyway"</button>
                    </div>
                </Notice>
            </Show>
        </div>
    }
}
