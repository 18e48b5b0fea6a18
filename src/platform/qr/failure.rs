//! Why no payload came out of an image, the screen or the camera, in words for the person
//! holding the QR code.

use wasm_bindgen::{JsCast, JsValue};

/// Why no payload came out of an image, the screen or the camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrFailure {
    /// The image holds no readable QR code.
    NoQrFound,
    /// The file is not an image the browser can open.
    NotAnImage,
    /// The user cancelled (screen picker closed).
    Cancelled,
    /// Permission denied (screen capture).
    Denied,
    /// The camera permission was refused (`NotAllowedError`).
    CameraDenied,
    /// No camera is connected, or none matches (`NotFoundError`, `OverconstrainedError`).
    NoCamera,
    /// The camera exists but could not be started: another program holds it
    /// (`NotReadableError`, `AbortError`).
    CameraBusy,
    /// The camera stopped during the scan (unplugged, or taken by the system).
    CameraStopped,
    /// This browser lacks the feature.
    Unsupported,
    /// The QR decoder stopped (it crashed, or did not start or answer in time). The next
    /// attempt starts a fresh one.
    DecoderStopped,
    /// The decoder could not look for codes; the text is its advice (picture too large,
    /// a code holding binary data…).
    Unreadable(String),
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
            QrFailure::CameraDenied => f.write_str(
                "Kiln was not allowed to use the camera. Allow the camera for this site (the \
                 camera icon in the address bar, or the browser's site settings) and try again, \
                 or upload a screenshot of the QR code instead.",
            ),
            QrFailure::NoCamera => f.write_str(
                "No camera was found. Connect a camera and try again, or upload a screenshot or \
                 photo of the QR code instead.",
            ),
            QrFailure::CameraBusy => f.write_str(
                "The camera could not be started: another app or browser tab may be using it. \
                 Close video calls and other camera apps, then try again.",
            ),
            QrFailure::CameraStopped => f.write_str(
                "The camera stopped: it was unplugged, or another app took it over. Plug it back \
                 in or close the other app, then try again.",
            ),
            QrFailure::Unsupported => {
                f.write_str("This browser cannot do that. Upload a screenshot instead.")
            }
            QrFailure::DecoderStopped => f.write_str(
                "Kiln's QR reader stopped unexpectedly. Try again; if it happens again, reload \
                 the page or type the secret instead.",
            ),
            QrFailure::Unreadable(advice) => f.write_str(advice),
            QrFailure::Other(detail) => write!(f, "The QR code could not be read ({detail})."),
        }
    }
}

impl std::error::Error for QrFailure {}

/// The `name` of a rejected browser promise's error (`NotAllowedError`, `TypeError`…), or
/// "unknown error". Never holds a payload: only media and canvas errors come here.
pub(crate) fn error_name(error: &JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        return exception.name();
    }
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        return String::from(error.name());
    }
    "unknown error".to_string()
}

/// What a failed `getUserMedia` means for the user.
pub(crate) fn camera_failure(error: &JsValue) -> QrFailure {
    match error_name(error).as_str() {
        "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => QrFailure::CameraDenied,
        "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => QrFailure::NoCamera,
        "NotReadableError" | "AbortError" | "TrackStartError" => QrFailure::CameraBusy,
        "TypeError" | "NotSupportedError" => QrFailure::Unsupported,
        _ => QrFailure::Other(error_name(error)),
    }
}

/// What a failed `getDisplayMedia` means: closing the picker is `NotAllowedError` too, so that
/// is a cancellation, not an error to shout about.
pub(crate) fn screen_failure(error: &JsValue) -> QrFailure {
    match error_name(error).as_str() {
        "NotAllowedError" | "AbortError" => QrFailure::Cancelled,
        "SecurityError" => QrFailure::Denied,
        "NotSupportedError" | "TypeError" => QrFailure::Unsupported,
        _ => QrFailure::Other(error_name(error)),
    }
}
