//! "Find it on the screen": the user shares a screen, window or tab (`getDisplayMedia`), one or
//! two frames are decoded at full resolution, and the share stops at once.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream};

use super::QrFailure;
use super::client;
use super::failure::screen_failure;
use super::media::{StopOnDrop, sleep};
use super::pixels::{Canvas, PICTURE_LIMITS};

/// How long the shared screen may take to show its first picture.
const FIRST_FRAME_TIMEOUT_MS: i32 = 5_000;
/// Frames decoded before giving up: the first one is sometimes blank or half drawn.
const ATTEMPTS: usize = 2;
/// Pause between them.
const RETRY_MS: i32 = 400;

/// Lets the user pick a screen or window and decodes the QR codes on it.
pub async fn capture_screen() -> Result<Vec<String>, QrFailure> {
    let media = web_sys::window()
        .ok_or(QrFailure::Unsupported)?
        .navigator()
        .media_devices()
        .map_err(|_| QrFailure::Unsupported)?;
    let asking = media
        .get_display_media()
        .map_err(|error| screen_failure(&error))?;
    let stream: MediaStream = JsFuture::from(asking)
        .await
        .map_err(|error| screen_failure(&error))?
        .dyn_into()
        .map_err(|_| QrFailure::Unsupported)?;
    // `Clone::clone`: `stream.clone()` would be JS `MediaStream.clone()`, new tracks.
    let _share = StopOnDrop(Clone::clone(&stream));

    let video: HtmlVideoElement = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("video").ok())
        .and_then(|element| element.dyn_into().ok())
        .ok_or(QrFailure::Unsupported)?;
    video.set_muted(true);
    video.set_src_object(Some(&stream));
    if let Ok(playing) = video.play() {
        let _ = JsFuture::from(playing).await;
    }
    let mut waited = 0;
    while video.video_width() == 0 && waited < FIRST_FRAME_TIMEOUT_MS {
        sleep(50).await;
        waited += 50;
    }

    let canvas = Canvas::new()?;
    let mut outcome = Err(QrFailure::Other(
        "the shared screen showed no picture".to_string(),
    ));
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            sleep(RETRY_MS).await;
        }
        let Some(pixels) = canvas.grab(&video, PICTURE_LIMITS) else {
            continue;
        };
        outcome = client::decode(pixels).await;
        if outcome
            .as_ref()
            .map_or(true, |payloads| !payloads.is_empty())
        {
            break;
        }
    }
    video.set_src_object(None);
    outcome
}
