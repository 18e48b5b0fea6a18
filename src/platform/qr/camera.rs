//! The live camera scanner: a preview with a frame guide, a status line for screen readers and a
//! Stop button. Frames are read by the browser's `BarcodeDetector` where it reads QR codes, else
//! by the worker, one frame at a time: while a frame is being decoded the newer ones are skipped,
//! so a slow phone never builds up a queue.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use leptos::html::Video;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints};

use super::detector::Detector;
use super::failure::camera_failure;
use super::media::{page_hidden, sleep, stop_tracks};
use super::pixels::{CAMERA_LIMITS, Canvas};
use super::{QrFailure, client, protocol};
use crate::components::{Notice, Tone};
use crate::platform::visibility::on_page_hidden;

/// Pause after each frame decoded by the worker (the decode itself takes ~20–100 ms).
const WORKER_GAP_MS: i32 = 40;
/// Pause between `BarcodeDetector` frames (it is fast; this saves battery).
const DETECTOR_GAP_MS: i32 = 120;
/// After this long without a code, the status line gives tips.
const TIPS_AFTER_MS: f64 = 12_000.0;
/// Worker crashes tolerated in one session before the scan gives up.
const MAX_RESTARTS: u32 = 2;

/// Where the scan is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Starting,
    Scanning,
    StillLooking,
    Found,
    /// Stopped because the page was hidden; restarts only when the user asks.
    Paused,
    Failed(QrFailure),
}

impl Status {
    /// For `data-state` (tests and styles).
    fn state(&self) -> &'static str {
        match self {
            Status::Starting => "starting",
            Status::Scanning => "scanning",
            Status::StillLooking => "still-looking",
            Status::Found => "found",
            Status::Paused => "paused",
            Status::Failed(_) => "failed",
        }
    }

    fn text(&self) -> &'static str {
        match self {
            Status::Starting => "Starting the camera… Allow it if your browser asks.",
            Status::Scanning => "Looking for a QR code. Hold it inside the frame.",
            Status::StillLooking => {
                "Still looking. Move closer so the QR code fills the frame, hold still, and \
                 tilt the screen a little if it reflects light."
            }
            Status::Found => "QR code found.",
            Status::Paused => "The camera was turned off while this page was hidden.",
            Status::Failed(_) => "The camera is off.",
        }
    }
}

/// The camera stream of one scanner, stopped exactly once whichever way the scan ends.
#[derive(Default)]
struct Session {
    closed: AtomicBool,
    stream: Mutex<Option<MediaStream>>,
}

impl Session {
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
    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Some(stream) = self.stream.lock().ok().and_then(|mut slot| slot.take()) {
            stop_tracks(&stream);
        }
        client::release_if_idle();
    }
}

/// A live camera view that reports the QR payloads of the first frame where it reads any (the
/// receiver picks among them, as for a picture).
#[component]
pub fn CameraScanner(on_payloads: Callback<Vec<String>>, on_close: Callback<()>) -> impl IntoView {
    let video_ref = NodeRef::<Video>::new();
    let section_ref = NodeRef::<leptos::html::Section>::new();
    let status = RwSignal::new(Status::Starting);
    // Below the input cards on a phone: bring the preview into view when it opens.
    section_ref.on_load(|section| scroll_into_view(&section));
    // The current scan's camera. A new scan (retry, resume) gets a new session, so a task of an
    // earlier one that is still winding down can never touch the new stream.
    let session = StoredValue::new_local(Arc::new(Session::default()));
    let close_current = move || session.with_value(|s| s.close());
    on_cleanup(close_current);
    let start_new = move || {
        let fresh = Arc::new(Session::default());
        session.set_value(Arc::clone(&fresh));
        status.set(Status::Starting);
        start_scan(fresh, video_ref, status, on_payloads);
    };
    start_scan(session.get_value(), video_ref, status, on_payloads);
    // A hidden page (tab switch, locked phone) turns the camera off; back on only on request.
    on_page_hidden(move || {
        let live = matches!(
            status.get_untracked(),
            Status::Starting | Status::Scanning | Status::StillLooking
        );
        if live {
            close_current();
            status.set(Status::Paused);
        }
    });

    let failed = move || matches!(status.get(), Status::Failed(_));
    let paused = move || status.get() == Status::Paused;
    let off = move || failed() || paused();
    let retry = move |_| start_new();
    let stop = move |_| {
        close_current();
        on_close.run(());
    };
    view! {
        <section
            class="camera"
            aria-labelledby="camera-title"
            data-testid="camera"
            node_ref=section_ref
        >
            <h3 id="camera-title" class="camera-title">"Scan with the camera"</h3>
            <div class=move || if off() { "camera-view is-off" } else { "camera-view" }>
                <video
                    class="camera-video"
                    node_ref=video_ref
                    autoplay
                    playsinline
                    prop:muted=true
                    aria-label="Camera picture"
                ></video>
                <div class="camera-guide" aria-hidden="true"></div>
            </div>
            // When the camera failed, the error notice says it all: the line stays for screen
            // readers only.
            <p
                class=move || if failed() { "camera-status visually-hidden" } else { "camera-status" }
                role="status"
                data-testid="camera-status"
                data-state=move || status.get().state()
            >
                {move || status.get().text()}
            </p>
            <Show when=failed>
                <Notice tone=Tone::Error title="The camera could not be used">
                    <p data-testid="camera-error">
                        {move || match status.get() {
                            Status::Failed(failure) => failure.to_string(),
                            _ => String::new(),
                        }}
                    </p>
                </Notice>
            </Show>
            <div class="camera-actions">
                <Show when=failed>
                    <button
                        type="button"
                        class="button button-primary"
                        data-testid="camera-retry"
                        on:click=retry
                    >
                        "Try again"
                    </button>
                </Show>
                <Show when=paused>
                    <button
                        type="button"
                        class="button button-primary"
                        data-testid="camera-resume"
                        on:click=move |_| start_new()
                    >
                        "Resume camera"
                    </button>
                </Show>
                <button type="button" class="button" data-testid="camera-stop" on:click=stop>
                    {move || if off() { "Close" } else { "Stop camera" }}
                </button>
            </div>
        </section>
    }
}

/// Runs [`scan`] in the background. One place spawns it, so its large state machine is in the
/// wasm once, not once per caller.
#[inline(never)]
fn start_scan(
    session: Arc<Session>,
    video_ref: NodeRef<Video>,
    status: RwSignal<Status>,
    on_payloads: Callback<Vec<String>>,
) {
    spawn_local(scan(session, video_ref, status, on_payloads));
}

/// Opens the camera, then decodes frames until one holds a QR code, the scanner closes or
/// something fails.
async fn scan(
    session: Arc<Session>,
    video_ref: NodeRef<Video>,
    status: RwSignal<Status>,
    on_payloads: Callback<Vec<String>>,
) {
    let fail = move |failure: QrFailure| {
        let _ = status.try_set(Status::Failed(failure));
    };
    let stream = match open_camera().await {
        Ok(stream) => stream,
        Err(failure) => return fail(failure),
    };
    if !session.adopt(&stream) {
        return;
    }
    // Mounted long before the camera answers; missing only if something else went wrong.
    let Some(video) = video_ref.try_get_untracked().flatten() else {
        session.close();
        return fail(QrFailure::Unsupported);
    };
    let video: HtmlVideoElement = video;
    video.set_src_object(Some(&stream));
    if let Ok(playing) = video.play() {
        let _ = JsFuture::from(playing).await;
    }
    if session.is_closed() {
        return;
    }
    let _ = status.try_set(Status::Scanning);

    let mut detector = Detector::for_qr_codes().await;
    let canvas = match Canvas::new() {
        Ok(canvas) => canvas,
        Err(failure) => {
            session.close();
            return fail(failure);
        }
    };
    let started = js_sys::Date::now();
    let mut restarts = 0;
    loop {
        let gap = if detector.is_some() {
            DETECTOR_GAP_MS
        } else {
            WORKER_GAP_MS
        };
        sleep(gap).await;
        if session.is_closed() {
            return;
        }
        // Unplugged, or taken by the system: the picture froze on the last frame.
        if !stream.active() {
            session.close();
            return fail(QrFailure::CameraStopped);
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
            return;
        }
        match found {
            Ok(payloads) if !payloads.is_empty() => {
                session.close();
                let _ = status.try_set(Status::Found);
                on_payloads.run(payloads);
                return;
            }
            Ok(_) => {}
            Err(QrFailure::DecoderStopped) if restarts < MAX_RESTARTS => restarts += 1,
            // A code that is not text (binary data) is not the one we want: keep looking.
            Err(QrFailure::Unreadable(_)) => {}
            Err(failure) => {
                session.close();
                return fail(failure);
            }
        }
        if js_sys::Date::now() - started > TIPS_AFTER_MS
            && status.try_get_untracked() == Some(Status::Scanning)
        {
            let _ = status.try_set(Status::StillLooking);
        }
    }
}

/// `scrollIntoView({block: "nearest"})`: the least scrolling that shows all of `element`.
fn scroll_into_view(element: &web_sys::Element) {
    let scroll = js_sys::Reflect::get(element, &"scrollIntoView".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(scroll) = scroll {
        let _ = scroll.call1(element, &protocol::object(&[("block", &"nearest".into())]));
    }
}

/// Asks for a camera, preferring the one facing away from the user, at about 1280×720.
async fn open_camera() -> Result<MediaStream, QrFailure> {
    let media = web_sys::window()
        .ok_or(QrFailure::Unsupported)?
        .navigator()
        .media_devices()
        .map_err(|_| QrFailure::Unsupported)?;
    let ideal = |value: JsValue| protocol::object(&[("ideal", &value)]);
    let video = protocol::object(&[
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
