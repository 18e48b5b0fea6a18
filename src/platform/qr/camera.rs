//! Live camera scanning: opens the camera, then reads frames with the browser's
//! `BarcodeDetector` where it reads QR codes, else with the worker, one frame at a time: while a
//! frame is being decoded the newer ones are skipped, so a slow phone never builds up a queue.
//! The view around it is `components::camera_scanner`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints};

use super::detector::Detector;
use super::failure::camera_failure;
use super::media::{page_hidden, sleep, stop_tracks};
use super::pixels::{CAMERA_LIMITS, Canvas};
use super::{QrFailure, client};
use crate::platform::worker_message::object;

/// Pause after each frame decoded by the worker (the decode itself takes ~20–100 ms).
const WORKER_GAP_MS: i32 = 40;
/// Pause between `BarcodeDetector` frames (it is fast; this saves battery).
const DETECTOR_GAP_MS: i32 = 120;
/// After this long without a code, the scan reports [`ScanProgress::StillLooking`].
const TIPS_AFTER_MS: f64 = 12_000.0;
/// Worker crashes tolerated in one session before the scan gives up.
const MAX_RESTARTS: u32 = 2;

/// The camera stream of one scan, stopped exactly once whichever way the scan ends.
#[derive(Default)]
pub struct CameraSession {
    closed: AtomicBool,
    stream: Mutex<Option<MediaStream>>,
}

impl CameraSession {
    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Keeps `stream` to stop later; stops it now (and returns false) if already closed.
    fn adopt(&self, stream: &MediaStream) -> bool {
        if self.is_closed() {
            stop_tracks(stream);
            return false;
        }
        if let Ok(mut slot) = self.stream.lock() {
            // `Clone::clone`, not `stream.clone()`: that is JS `MediaStream.clone()`, a second
            // stream with tracks of its own, which stopping would leave the camera on.
            *slot = Some(Clone::clone(stream));
        }
        true
    }

    /// Stops the camera (its light goes off) and lets an idle worker go.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Some(stream) = self.stream.lock().ok().and_then(|mut slot| slot.take()) {
            stop_tracks(&stream);
        }
        client::release_if_idle();
    }
}

/// How far a running scan got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanProgress {
    /// The camera is on and frames are being read.
    Scanning,
    /// No code after a while: time for tips.
    StillLooking,
}

/// How a scan ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    /// The QR payloads of the first frame where any were read; the camera is off.
    Found(Vec<String>),
    /// The session was closed (by the user, or because the page was hidden).
    Closed,
    /// The camera or the decoder failed; the camera is off.
    Failed(QrFailure),
}

/// Opens the camera into `video` (asked for once the camera answers), then decodes frames until
/// one holds a QR code, `session` closes or something fails.
pub async fn scan(
    session: &CameraSession,
    video: impl FnOnce() -> Option<HtmlVideoElement>,
    on_progress: impl Fn(ScanProgress),
) -> ScanOutcome {
    let stream = match open_camera().await {
        Ok(stream) => stream,
        Err(failure) => return ScanOutcome::Failed(failure),
    };
    if !session.adopt(&stream) {
        return ScanOutcome::Closed;
    }
    // Mounted long before the camera answers; missing only if something else went wrong.
    let Some(video) = video() else {
        session.close();
        return ScanOutcome::Failed(QrFailure::Unsupported);
    };
    video.set_src_object(Some(&stream));
    if let Ok(playing) = video.play() {
        let _ = JsFuture::from(playing).await;
    }
    if session.is_closed() {
        return ScanOutcome::Closed;
    }
    on_progress(ScanProgress::Scanning);

    let mut detector = Detector::for_qr_codes().await;
    let canvas = match Canvas::new() {
        Ok(canvas) => canvas,
        Err(failure) => {
            session.close();
            return ScanOutcome::Failed(failure);
        }
    };
    let started = js_sys::Date::now();
    let mut restarts = 0;
    let mut tips_given = false;
    loop {
        let gap = if detector.is_some() {
            DETECTOR_GAP_MS
        } else {
            WORKER_GAP_MS
        };
        sleep(gap).await;
        if session.is_closed() {
            return ScanOutcome::Closed;
        }
        // Unplugged, or taken by the system: the picture froze on the last frame.
        if !stream.active() {
            session.close();
            return ScanOutcome::Failed(QrFailure::CameraStopped);
        }
        // HAVE_CURRENT_DATA: a frame to read.
        if page_hidden() || video.ready_state() < 2 {
            continue;
        }
        let found = match &detector {
            Some(browser) => match browser.detect(video.as_ref()).await {
                Ok(payloads) => Ok(payloads),
                Err(()) => {
                    detector = None; // the worker takes over
                    continue;
                }
            },
            None => match canvas.grab(&video, CAMERA_LIMITS) {
                Some(pixels) => client::decode(pixels).await,
                None => continue,
            },
        };
        if session.is_closed() {
            return ScanOutcome::Closed;
        }
        match found {
            Ok(payloads) if !payloads.is_empty() => {
                session.close();
                return ScanOutcome::Found(payloads);
            }
            Ok(_) => {}
            Err(QrFailure::DecoderStopped) if restarts < MAX_RESTARTS => restarts += 1,
            // A code that is not text (binary data) is not the one we want: keep looking.
            Err(QrFailure::Unreadable(_)) => {}
            Err(failure) => {
                session.close();
                return ScanOutcome::Failed(failure);
            }
        }
        if !tips_given && js_sys::Date::now() - started > TIPS_AFTER_MS {
            tips_given = true;
            on_progress(ScanProgress::StillLooking);
        }
    }
}

/// `scrollIntoView({block: "nearest"})`: the least scrolling that shows all of `element`.
pub fn scroll_into_view(element: &web_sys::Element) {
    let scroll = js_sys::Reflect::get(element, &"scrollIntoView".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(scroll) = scroll {
        let _ = scroll.call1(element, &object(&[("block", &"nearest".into())]));
    }
}

/// Asks for a camera, preferring the one facing away from the user, at about 1280×720.
async fn open_camera() -> Result<MediaStream, QrFailure> {
    let media = web_sys::window()
        .ok_or(QrFailure::Unsupported)?
        .navigator()
        .media_devices()
        .map_err(|_| QrFailure::Unsupported)?;
    let ideal = |value: JsValue| object(&[("ideal", &value)]);
    let video = object(&[
        ("facingMode", &ideal("environment".into())),
        ("width", &ideal(1280.into())),
        ("height", &ideal(720.into())),
    ]);
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&JsValue::FALSE);
    constraints.set_video(&video);
    let asking = media
        .get_user_media_with_constraints(&constraints)
        .map_err(|error| camera_failure(&error))?;
    JsFuture::from(asking)
        .await
        .map_err(|error| camera_failure(&error))?
        .dyn_into()
        .map_err(|_| QrFailure::Unsupported)
}
