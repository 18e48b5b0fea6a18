//! Step 1: get the secret — camera, image file (picker, drag and drop, paste), screen capture,
//! or typed/pasted text.

use kiln_core::otp::{self, Classification};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::{ErrorNotice, StepSection};
use crate::on_demand::{camera_scanner, on_demand, preload_likely_next};
use crate::platform::capabilities::Capabilities;
use crate::platform::qr;
use crate::state::{AppState, use_app};
use crate::steps::qr_choice::{QrChoice, accept, accept_payloads};

/// Classifies what was read and moves on to the review.
pub fn accept_text(state: AppState, text: &str) {
    accept(state, otp::classify(text));
}

/// Step 1.
#[component]
pub fn SecretStep() -> impl IntoView {
    let state = use_app();
    let caps = Capabilities::detect();
    preload_likely_next(caps.camera);
    let text_ref = NodeRef::<leptos::html::Textarea>::new();
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let decoding = RwSignal::new(false);
    let camera_open = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    // Burnable codes found together in one picture, for the user to choose from.
    let choices = RwSignal::new(Vec::<Classification>::new());

    let decode = move |blob: web_sys::Blob| {
        decoding.set(true);
        error.set(None);
        choices.set(Vec::new());
        spawn_local(async move {
            let result = qr::decode_blob(blob).await;
            decoding.set(false);
            match result {
                Ok(payloads) if !payloads.is_empty() => accept_payloads(state, payloads, choices),
                Ok(_) => error.set(Some(qr::QrFailure::NoQrFound.to_string())),
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };

    let submit_text = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let Some(area) = text_ref.get() else { return };
        // Wiped when dropped: the pasted link is the secret.
        let text = zeroize::Zeroizing::new(area.value());
        if text.trim().is_empty() {
            error.set(Some(
                "Paste the otpauth:// link or the secret into the box first.".to_string(),
            ));
            return;
        }
        area.set_value("");
        accept_text(state, &text);
    };

    let on_file = move |_| {
        let Some(input) = file_ref.get() else { return };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            decode(file.into());
        }
        input.set_value("");
    };

    // Paste anywhere on this step: an image is decoded, text goes to the text box.
    let on_paste = move |ev: ev::ClipboardEvent| {
        let Some(data) = ev.clipboard_data() else {
            return;
        };
        if let Some(file) = data.files().and_then(|files| files.get(0)) {
            ev.prevent_default();
            decode(file.into());
        }
    };
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|data| data.files())
            .and_then(|files| files.get(0));
        match file {
            Some(file) => decode(file.into()),
            None => error.set(Some("Drop an image file of the QR code here.".to_string())),
        }
    };
    let on_screen = move |_| {
        decoding.set(true);
        error.set(None);
        choices.set(Vec::new());
        spawn_local(async move {
            let result = qr::capture_screen().await;
            decoding.set(false);
            match result {
                Ok(payloads) if !payloads.is_empty() => accept_payloads(state, payloads, choices),
                Ok(_) => error.set(Some(
                    "No QR code was found on the shared screen. Make the QR code visible and \
                     larger, then try again."
                        .to_string(),
                )),
                Err(qr::QrFailure::Cancelled) => {}
                Err(failure) => error.set(Some(failure.to_string())),
            }
        });
    };

    view! {
        <StepSection title="Add the account’s secret" on:paste=on_paste>
            <p class="lead">
                "On the sign-in security page of your account (Microsoft 365, Google, GitHub…), "
                "choose to add an " <strong>"authenticator app"</strong>
                ". It shows a QR code: give it to Kiln in any of these ways."
            </p>

            <ErrorNotice error=error title="That did not work"/>
            <Show when=move || decoding.get()>
                <p class="working" role="status">"Reading the QR code…"</p>
            </Show>
            <QrChoice choices=choices/>

            <div class="input-grid">
                <div
                    class=move || if dragging.get() { "input-card dropzone is-dragging" } else { "input-card dropzone" }
                    on:dragover=move |ev: ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop
                >
                    <h3>"QR code image"</h3>
                    <p class="hint">"A screenshot or photo of the QR code. You can also drag it here, or paste it with Ctrl+V."</p>
                    <label class="button button-primary file-button">
                        "Choose an image…"
                        <input
                            type="file"
                            accept="image/*"
                            class="visually-hidden"
                            data-testid="qr-file"
                            node_ref=file_ref
                            on:change=on_file
                        />
                    </label>
                </div>

                {caps.camera.then(|| view! {
                    <div class="input-card">
                        <h3>"Camera"</h3>
                        <p class="hint">"Point your camera at the QR code on the other screen."</p>
                        <button type="button" class="button" disabled=move || camera_open.get()
                            on:click=move |_| { choices.set(Vec::new()); camera_open.set(true); }>
                            "Scan with the camera"
                        </button>
                    </div>
                })}

                {caps.screen_capture.then(|| view! {
                    <div class="input-card">
                        <h3>"This screen"</h3>
                        <p class="hint">"The QR code is open in another window or tab on this computer."</p>
                        <button type="button" class="button" on:click=on_screen>"Find it on the screen"</button>
                    </div>
                })}
            </div>

            <Show when=move || camera_open.get()>
                {
                    let on_payloads = Callback::new(move |payloads: Vec<String>| {
                        camera_open.set(false);
                        accept_payloads(state, payloads, choices);
                    });
                    let on_close = Callback::new(move |_| camera_open.set(false));
                    on_demand(move || camera_scanner(on_payloads, on_close))
                }
            </Show>

            <form class="text-entry" on:submit=submit_text>
                <label for="secret-text">"Or paste the link or the secret"</label>
                <p class="hint" id="secret-text-hint">
                    "An otpauth:// link, a Base32 secret (letters A–Z and digits 2–7), or hex "
                    "(start it with hex: if it could be read as Base32)."
                </p>
                <textarea
                    id="secret-text"
                    data-testid="secret-text"
                    aria-describedby="secret-text-hint"
                    rows="3"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    node_ref=text_ref
                    on:keydown=move |ev: ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            if let Some(form) = ev
                                .target()
                                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                                .and_then(|t| t.form())
                            {
                                let _ = form.request_submit();
                            }
                        }
                    }
                ></textarea>
                <div class="actions">
                    <button type="submit" class="button button-primary" data-testid="secret-submit">
                        "Continue"
                    </button>
                </div>
            </form>
        </StepSection>
    }
}
