//! The files, and "Wipe batch". Exports are made in the page, those with seeds encrypted when
//! the operator asks; a refused one says why and the batch stays.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::encrypt::{EncryptChoice, EncryptOption};
use crate::batch::exports::{ExportKind, export, export_sealed};
use crate::batch::{BatchState, use_batch};
use crate::components::{Notice, Tone};

/// The last export: its format, whether it was encrypted, and its outcome.
type Outcome = (ExportKind, bool, Result<Option<String>, String>);

/// Makes `kind`, encrypted if the option is on and the file has seeds. Encrypting runs in a
/// worker; meanwhile `busy` names the file and the buttons wait.
fn start_export(
    batch: BatchState,
    kind: ExportKind,
    encrypt: EncryptChoice,
    busy: RwSignal<Option<ExportKind>>,
    result: RwSignal<Option<Outcome>>,
) {
    if !(encrypt.on.get_untracked() && kind.has_secrets()) {
        result.set(Some((kind, false, export(batch, kind))));
        return;
    }
    let passphrase = match encrypt.passphrase() {
        Ok(passphrase) => passphrase,
        Err(problem) => return result.set(Some((kind, true, Err(problem.to_string())))),
    };
    result.set(None);
    busy.set(Some(kind));
    spawn_local(async move {
        let outcome = export_sealed(batch, kind, passphrase).await;
        busy.set(None);
        result.set(Some((kind, true, outcome)));
    });
}

/// Export buttons, their notices, and the wipe.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let batch = use_batch();
    let result = RwSignal::new(None::<Outcome>);
    let encrypt = EncryptChoice::new();
    let busy = RwSignal::new(None::<ExportKind>);
    let is_busy = Signal::derive(move || busy.with(Option::is_some));
    let confirm_wipe = RwSignal::new(false);
    let wipe = move || {
        batch.wipe();
        result.set(None);
        encrypt.on.set(false);
        confirm_wipe.set(false);
    };
    view! {
        <div class="panel" data-testid="batch-export-panel">
            <p>"Upload the Entra CSV in the Entra admin center (Protection → Authentication methods → OATH tokens), or send a Graph file to " <code class="wrap-anywhere">"/beta/directory/authenticationMethodDevices/hardwareOathDevices"</code> ". The audit log has every attempt and no secrets."</p>
            <EncryptOption choice=encrypt disabled=is_busy/>
            <div class="actions actions-start export-buttons">
                {ExportKind::ALL.into_iter().map(|kind| view! {
                    <button type="button" class="button" data-testid=format!("batch-export-{}", kind.id())
                        disabled=move || is_busy.get()
                        on:click=move |_| start_export(batch, kind, encrypt, busy, result)>
                        {kind.label()}
                    </button>
                }).collect_view()}
            </div>
            <div data-testid="batch-export-result" aria-live="polite">
                {move || busy.get().map(|kind| view! {
                    <p data-testid="batch-export-busy">{format!("Encrypting the {} file… (this takes a few seconds)", kind.label())}</p>
                })}
                {move || result.get().map(|(kind, sealed, outcome)| match outcome {
                    Ok(notice) => {
                        let name = if sealed { kind.sealed_file_name() } else { kind.file_name().to_string() };
                        let open = sealed.then(|| view! {
                            <p>"Open it with " <code class="wrap-anywhere">{format!("age -d {name} > {}", kind.file_name())}</code> " and the passphrase."</p>
                        });
                        view! {
                            <Notice tone=Tone::Success title=format!("{} saved as {}", kind.label(), name)>
                                {open}
                                {notice.map(|n| view! { <p data-testid="batch-export-notice">{n}</p> })}
                            </Notice>
                        }.into_any()
                    }
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
                    disabled=move || is_busy.get()
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
