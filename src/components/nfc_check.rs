//! "Does my phone see the token?": the Web NFC check, with an honest explanation of why a
//! web page cannot program a token over the phone's NFC (see `platform::nfc`).

use leptos::prelude::*;

use crate::components::{Notice, Tone};
use crate::platform::nfc::{NfcReading, NfcScan, ScanEnd};

/// What the phone's NFC saw.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Waiting,
    Tag { serial: String },
    Unreadable,
    Failed(String),
}

/// The running scan: at most one at a time, stopped when it has seen something, when the user
/// stops it, or when the check leaves the page.
type RunningScan = StoredValue<Option<NfcScan>, LocalStorage>;

/// Aborts the running scan, if any.
fn stop_scan(running: RunningScan) {
    if let Some(scan) = running.try_update_value(Option::take).flatten() {
        scan.abort();
    }
}

fn start_scan(seen: RwSignal<Option<Seen>>, running: RunningScan) {
    // Never a second scan on top of one that runs.
    if running.with_value(Option::is_some) {
        return;
    }
    let Some(scan) = NfcScan::new() else {
        seen.set(Some(Seen::Failed(
            "This browser cannot stop an NFC scan".to_string(),
        )));
        return;
    };
    running.set_value(Some(scan.clone()));
    seen.set(Some(Seen::Waiting));
    leptos::task::spawn_local(async move {
        // One answer is all the check needs: stop listening once something was seen.
        let result = scan
            .listen(move |reading| {
                let _ = seen.try_set(Some(match reading {
                    NfcReading::Tag { serial } => Seen::Tag { serial },
                    NfcReading::Unreadable => Seen::Unreadable,
                }));
                stop_scan(running);
            })
            .await;
        if let Err(end) = result {
            stop_scan(running);
            // Stopped on purpose: not a failure.
            if let ScanEnd::Failed(message) = end {
                let _ = seen.try_set(Some(Seen::Failed(message)));
            }
        }
    });
}

/// "Does my phone see the token?" — with an honest explanation of what it cannot do.
#[component]
pub fn NfcCheck() -> impl IntoView {
    let seen = RwSignal::new(None::<Seen>);
    let running: RunningScan = StoredValue::new_local(None);
    on_cleanup(move || stop_scan(running));
    let waiting = move || seen.get() == Some(Seen::Waiting);
    view! {
        <div class="nfc-check">
            <h3>"This phone’s NFC"</h3>
            <p class="hint">
                "Web pages can only read NFC tags; they cannot send the commands that program a "
                "token. You can still check that the phone sees the token: switch it on and hold it "
                "to the back of the phone."
            </p>
            <div class="actions actions-start">
                <button type="button" class="button" data-testid="nfc-check" disabled=waiting
                    on:click=move |_| start_scan(seen, running)>"Check with this phone’s NFC"</button>
                <Show when=waiting>
                    <button type="button" class="button" data-testid="nfc-stop"
                        on:click=move |_| { stop_scan(running); seen.set(None); }>"Stop"</button>
                </Show>
            </div>
            {move || seen.get().map(|s| match s {
                Seen::Waiting => view! { <p role="status" data-testid="nfc-waiting">"Hold the switched-on token to the phone…"</p> }.into_any(),
                Seen::Tag { serial } => view! {
                    <Notice tone=Tone::Info title="The phone sees an NFC device">
                        <p>{format!("Its NFC identifier is {serial}. To program it, connect a PN533 reader with a USB-OTG adapter.")}</p>
                    </Notice>
                }.into_any(),
                Seen::Unreadable => view! {
                    <Notice tone=Tone::Info title="The phone sees the token">
                        <p>"It is not an NFC tag the browser can read, as expected for a programmable token. To program it, connect a PN533 reader with a USB-OTG adapter."</p>
                    </Notice>
                }.into_any(),
                Seen::Failed(message) => view! {
                    <Notice tone=Tone::Warning title="NFC did not start">
                        <p>{format!("{message}. Turn NFC on in the phone’s settings and allow it for this site.")}</p>
                    </Notice>
                }.into_any(),
            })}
        </div>
    }
}
