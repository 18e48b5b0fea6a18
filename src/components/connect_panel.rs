//! Choosing a USB reader, a PN532 board (serial) or a PC/SC reader through the Kiln bridge, with
//! what this browser and system can and cannot do; the wizard's Connect step, the tools and Batch
//! show it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{
    BridgeChoice, ErrorNotice, NfcCheck, Notice, SerialBoardChoice, SerialBoardHelp,
    SerialBoardSwitch, Tone,
};
use crate::platform::capabilities::Capabilities;
use crate::platform::open_reader::OpenReader;
use crate::platform::usb;
use crate::state::{AppState, use_app};

/// Opens the chooser and keeps the reader in the app state.
fn connect(state: AppState, caps: Capabilities, error: RwSignal<Option<String>>) {
    error.set(None);
    spawn_local(async move {
        let on_unplugged = move || {
            state.reader_name.set(None);
            state.token.set(None);
        };
        match usb::choose_reader(caps.linux, caps.windows, on_unplugged).await {
            Ok(reader) => {
                let name = reader.name().to_string();
                let old = state
                    .reader
                    .get_value()
                    .borrow_mut()
                    .replace(OpenReader::Usb(reader));
                state.reader_name.set(Some(name));
                state.token.set(None);
                if let Some(old) = old {
                    old.close().await;
                }
            }
            Err(failure) => error.set(Some(failure.to_string())),
        }
    });
}

fn disconnect(state: AppState) {
    let slot = state.reader.get_value();
    let reader = slot.borrow_mut().take();
    state.reader_name.set(None);
    state.token.set(None);
    if let Some(reader) = reader {
        spawn_local(reader.close());
    }
}

/// Reader selection and status; used by the wizard and by the tools.
#[component]
pub fn ConnectPanel() -> impl IntoView {
    let state = use_app();
    let caps = Capabilities::detect();
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="panel">
            {(!caps.webusb).then(|| view! {
                <Notice tone=Tone::Warning title="This browser cannot use USB readers">
                    <p>
                        "Firefox, Safari and in-app browsers do not support WebUSB. Open Kiln in "
                        "Chrome, Edge or Opera (on a computer, or on Android with the reader on a USB-OTG "
                        "adapter), or use a PC/SC reader through the Kiln bridge below, or Kiln’s "
                        "command-line tool, which works with every PC/SC reader."
                    </p>
                </Notice>
            })}
            {(caps.webusb && !caps.secure_context).then(|| view! {
                <Notice tone=Tone::Warning title="This page is not secure">
                    <p>"USB access needs https:// (or localhost). Open Kiln from its https:// address."</p>
                </Notice>
            })}
            <Show
                when=move || state.reader_name.get().is_some()
                fallback=move || view! {
                    <div class="reader-option">
                        <h3>"USB NFC reader (PN533)"</h3>
                        <p>"Plug in a " <strong>"PN533 USB NFC reader"</strong> " (Token2 StickID or SCM SCL3711), then choose it in the browser’s list."</p>
                        <div class="actions actions-start">
                            <button type="button" class="button button-primary" data-testid="connect-usb"
                                disabled=move || !caps.webusb
                                on:click=move |_| connect(state, caps, error)>
                                "Choose a USB reader…"
                            </button>
                        </div>
                    </div>
                    {caps.web_serial.then(|| view! { <SerialBoardChoice error=error/> })}
                    <BridgeChoice/>
                }
            >
                <Notice tone=Tone::Success title="Reader connected">
                    <p data-testid="reader-name">{move || state.reader_name.get().unwrap_or_default()}</p>
                </Notice>
                <div class="actions actions-start">
                    <button type="button" class="button" disabled=move || state.busy.get()
                        on:click=move |_| disconnect(state)>"Disconnect"</button>
                    <button type="button" class="button" disabled=move || state.busy.get()
                        on:click=move |_| connect(state, caps, error)>
                        {if caps.web_serial { "Use another USB reader…" } else { "Use another reader…" }}
                    </button>
                    {caps.web_serial.then(|| view! { <SerialBoardSwitch error=error/> })}
                </div>
            </Show>
            <ErrorNotice error=error title="The reader could not be used" test_id="connect-error"/>
            <details class="help">
                <summary>"Which readers work?"</summary>
                <ul>
                    <li><strong>"PN533 readers"</strong>" (Token2 StickID 04cc:2533, SCM SCL3711 04e6:5591) work in Chrome, Edge and Opera."
                        {caps.linux.then_some(" On Linux, the pn533_usb kernel driver must be kept off the reader (see the README).")}
                        {caps.windows.then_some(" On Windows, the reader needs the WinUSB driver (install it once with Zadig).")}
                    </li>
                    <SerialBoardHelp/>
                    <li><strong>"Smart-card readers"</strong>" (ACR122U, ACR1252U, laptop NFC readers) cannot be used by web pages directly: browsers block smart-card devices. Use them through the Kiln bridge (above), or with Kiln’s command-line tool."</li>
                    <li><strong>"Phone NFC"</strong>" cannot program a token from a web page: browsers only let pages read and write NFC tags, not talk to tokens. On Android, use a PN533 reader (or a PN532 board, Chrome 148+) on a USB-OTG adapter."</li>
                </ul>
            </details>
            {caps.web_nfc.then(|| view! { <NfcCheck/> })}
        </div>
    }
}
