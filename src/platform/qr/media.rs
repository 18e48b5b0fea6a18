//! Small helpers for camera and screen streams: stopping every track (the camera light goes off)
//! and waiting without a busy loop.

use js_sys::Array;
use wasm_bindgen::JsCast;
use web_sys::{MediaStream, MediaStreamTrack};

/// Stops every track of `stream`, so the browser releases the camera or the screen share.
pub fn stop_tracks(stream: &MediaStream) {
    let tracks: Array = stream.get_tracks();
    for track in tracks.iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// Stops a stream's tracks when dropped, whichever way the function holding it returns.
pub struct StopOnDrop(pub MediaStream);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        stop_tracks(&self.0);
    }
}

/// Resolves after `ms` milliseconds (a `setTimeout`).
pub async fn sleep(ms: i32) {
    let _ = crate::platform::js::sleep(u32::try_from(ms).unwrap_or(0)).await;
}

/// Whether the page is hidden (another tab, a locked phone): no point decoding then.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden())
}
