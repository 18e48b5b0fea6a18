//! QR codes from images, the screen and the camera. Pixels are decoded by the browser
//! (createImageBitmap + canvas) and the QR decoding runs in a Web Worker (kiln-qr compiled to
//! wasm), so the page stays responsive. `BarcodeDetector` is used for camera frames where the
//! browser has it.
//!
//! (Interface first; the worker-backed implementation follows.)

use leptos::prelude::*;

/// Why no payload came out of an image, the screen or the camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrFailure {
    /// The image holds no readable QR code.
    NoQrFound,
    /// The file is not an image the browser can open.
    NotAnImage,
    /// The user cancelled (screen picker closed).
    Cancelled,
    /// Permission denied (camera or screen).
    Denied,
    /// This browser lacks the feature.
    Unsupported,
    /// Anything else.
    Other(String),
}

impl std::fmt::Display for QrFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QrFailure::NoQrFound => f.write_str(
                "No QR code was found in this image. Use a sharper image where the whole QR code \
                 is visible, or type the secret instead.",
            ),
            QrFailure::NotAnImage => f.write_str(
                "This file is not an image Kiln can open. Use a PNG, JPEG or WebP file.",
            ),
            QrFailure::Cancelled => f.write_str("Nothing was captured."),
            QrFailure::Denied => f.write_str(
                "The browser was not allowed to use the camera or screen. Allow it in the site \
                 settings, or upload a screenshot instead.",
            ),
            QrFailure::Unsupported => {
                f.write_str("This browser cannot do that. Upload a screenshot instead.")
            }
            QrFailure::Other(detail) => write!(f, "The QR code could not be read ({detail})."),
        }
    }
}

/// Decodes every QR code in an image file or pasted image.
pub async fn decode_blob(_blob: web_sys::Blob) -> Result<Vec<String>, QrFailure> {
    Err(QrFailure::Unsupported)
}

/// Lets the user pick a screen or window and decodes the QR codes on it.
pub async fn capture_screen() -> Result<Vec<String>, QrFailure> {
    Err(QrFailure::Unsupported)
}

/// A live camera view that reports the first QR payload it reads.
#[component]
pub fn CameraScanner(on_payload: Callback<String>, on_close: Callback<()>) -> impl IntoView {
    let _ = on_payload;
    view! {
        <div class="camera">
            <p>"The camera is not available yet."</p>
            <button type="button" class="button" on:click=move |_| on_close.run(())>"Close"</button>
        </div>
    }
}
