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

fn start_scan(seen: RwSignal<Option<Seen>>) {
    seen.set(Some(Seen::Waiting));
    leptos::task::spawn_local(async move {
        let result: Result<(), JsValue> = async {
            let window = web_sys::window().ok_or(JsValue::NULL)?;
            let constructor: js_sys::Function =
                js_sys::Reflect::get(&window, &JsValue::from_str("NDEFReader"))?.dyn_into()?;
            let reader = js_sys::Reflect::construct(&constructor, &js_sys::Array::new())?;
            let on_reading = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                let serial = js_sys::Reflect::get(&event, &JsValue::from_str("serialNumber"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                seen.set(Some(Seen::Tag { serial }));
            });
            let on_error =
                Closure::<dyn Fn(JsValue)>::new(move |_| seen.set(Some(Seen::Unreadable)));
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
            let scan: js_sys::Function =
                js_sys::Reflect::get(&reader, &JsValue::from_str("scan"))?.dyn_into()?;
            let promise: js_sys::Promise = scan.call0(&reader)?.dyn_into()?;
            JsFuture::from(promise).await?;
            Ok(())
        }
        .await;
        if let Err(error) = result {
            let message = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "NFC is off or not allowed".to_string());
            seen.set(Some(Seen::Failed(message)));
        }
    });
}

/// "Does my phone see the token?" — with an honest explanation of what it cannot do.
#[component]
pub fn NfcCheck() -> impl IntoView {
    let seen = RwSignal::new(None::<Seen>);
    view! {
        <div class="nfc-check">
            <h3>"This phone’s NFC"</h3>
            <p class="hint">
                "Web pages can only read NFC tags; they cannot send the commands that program a "
                "token. You can still check that the phone sees the token: switch it on and hold it "
                "to the back of the phone."
            </p>
            <button type="button" class="button" on:click=move |_| start_scan(seen)>"Check with this phone’s NFC"</button>
            {move || seen.get().map(|s| match s {
                Seen::Waiting => view! { <p role="status">"Hold the switched-on token to the phone…"</p> }.into_any(),
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
