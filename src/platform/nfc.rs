//! Web NFC (Chrome on Android): the page can notice that the phone sees a token, but it cannot
//! program it — `NDEFReader` only reads and writes NDEF messages and offers no way to send the
//! token's commands. This check exists so users understand why a USB reader is needed.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::components::{Notice, Tone};

/// What the phone's NFC saw.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Waiting,
    Tag { serial: String },
    Unreadable,
    Failed(String),
}

/// The running scan's `AbortController`: at most one scan at a time, stopped when it has seen
/// something, when the user stops it, or when the check leaves the page.
type RunningScan = StoredValue<Option<JsValue>, LocalStorage>;

/// Aborts the running scan, if any (the browser stops listening to the NFC antenna).
fn stop_scan(running: RunningScan) {
    let Some(controller) = running.try_update_value(Option::take).flatten() else {
        return;
    };
    if let Ok(abort) = js_sys::Reflect::get(&controller, &JsValue::from_str("abort"))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = abort.call0(&controller);
    }
}

fn new_instance(name: &str) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&window, &JsValue::from_str(name))?.dyn_into()?;
    js_sys::Reflect::construct(&constructor, &js_sys::Array::new())
}

fn start_scan(seen: RwSignal<Option<Seen>>, running: RunningScan) {
    // Never a second scan on top of one that runs.
    if running.with_value(Option::is_some) {
        return;
    }
    let controller = match new_instance("AbortController") {
        Ok(controller) => controller,
        Err(_) => {
            seen.set(Some(Seen::Failed(
                "This browser cannot stop an NFC scan".to_string(),
            )));
            return;
        }
    };
    running.set_value(Some(controller.clone()));
    seen.set(Some(Seen::Waiting));
    leptos::task::spawn_local(async move {
        let result: Result<(), JsValue> = async {
            let reader = new_instance("NDEFReader")?;
            // One answer is all the check needs: stop listening once something was seen.
            let on_reading = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                let serial = js_sys::Reflect::get(&event, &JsValue::from_str("serialNumber"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                let _ = seen.try_set(Some(Seen::Tag { serial }));
                stop_scan(running);
            });
            let on_error = Closure::<dyn Fn(JsValue)>::new(move |_| {
                let _ = seen.try_set(Some(Seen::Unreadable));
                stop_scan(running);
            });
            js_sys::Reflect::set(
                &reader,
                &JsValue::from_str("onreading"),
                on_reading.as_ref(),
            )?;
            js_sys::Reflect::set(
                &reader,
                &JsValue::from_str("onreadingerror"),
                on_error.as_ref(),
            )?;
            on_reading.forget();
            on_error.forget();
            let signal = js_sys::Reflect::get(&controller, &JsValue::from_str("signal"))?;
            let options = js_sys::Object::new();
            js_sys::Reflect::set(&options, &JsValue::from_str("signal"), &signal)?;
            let scan: js_sys::Function =
                js_sys::Reflect::get(&reader, &JsValue::from_str("scan"))?.dyn_into()?;
            let promise: js_sys::Promise = scan.call1(&reader, &options)?.dyn_into()?;
            JsFuture::from(promise).await?;
            Ok(())
        }
        .await;
        if let Err(error) = result {
            stop_scan(running);
            let name = js_sys::Reflect::get(&error, &JsValue::from_str("name"))
                .ok()
                .and_then(|v| v.as_string());
            // Stopped on purpose: not a failure.
            if name.as_deref() == Some("AbortError") {
                return;
            }
            let message = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "NFC is off or not allowed".to_string());
            let _ = seen.try_set(Some(Seen::Failed(message)));
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
