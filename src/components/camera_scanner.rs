//! The live camera scanner: a preview with a frame guide, a status line for screen readers and a
//! Stop button. The camera and the frame reading are `platform::qr::camera`.

use std::sync::Arc;

use leptos::html::Video;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{Notice, Tone};
use crate::platform::qr::QrFailure;
use crate::platform::qr::camera::{self, CameraSession, ScanOutcome, ScanProgress};
use crate::platform::visibility::on_page_hidden;

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

/// A live camera view that reports the QR payloads of the first frame where it reads any (the
/// receiver picks among them, as for a picture).
#[component]
pub fn CameraScanner(
    /// Gets the payloads of the first frame where any QR code was read.
    on_payloads: Callback<Vec<String>>,
    /// Runs when the user closes the scanner (the camera is already off).
    on_close: Callback<()>,
) -> impl IntoView {
    let video_ref = NodeRef::<Video>::new();
    let section_ref = NodeRef::<leptos::html::Section>::new();
    let status = RwSignal::new(Status::Starting);
    // Below the input cards on a phone: bring the preview into view when it opens.
    section_ref.on_load(|section| camera::scroll_into_view(&section));
    // The current scan's camera. A new scan (retry, resume) gets a new session, so a task of an
    // earlier one that is still winding down can never touch the new stream.
    let session = StoredValue::new_local(Arc::new(CameraSession::default()));
    let close_current = move || session.with_value(|s| s.close());
    on_cleanup(close_current);
    let start_new = move || {
        let fresh = Arc::new(CameraSession::default());
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

/// Runs a scan in the background and shows how it goes. One place spawns it, so its large state
/// machine is in the wasm once, not once per caller.
#[inline(never)]
fn start_scan(
    session: Arc<CameraSession>,
    video_ref: NodeRef<Video>,
    status: RwSignal<Status>,
    on_payloads: Callback<Vec<String>>,
) {
    spawn_local(async move {
        let video = move || video_ref.try_get_untracked().flatten();
        let on_progress = move |progress| {
            let _ = status.try_set(match progress {
                ScanProgress::Scanning => Status::Scanning,
                ScanProgress::StillLooking => Status::StillLooking,
            });
        };
        match camera::scan(&session, video, on_progress).await {
            ScanOutcome::Found(payloads) => {
                let _ = status.try_set(Status::Found);
                on_payloads.run(payloads);
            }
            ScanOutcome::Closed => {}
            ScanOutcome::Failed(failure) => {
                let _ = status.try_set(Status::Failed(failure));
            }
        }
    });
}
