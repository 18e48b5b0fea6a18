//! Screens that load on demand. In the release build (cargo feature `split`, index.html) each
//! function below, with everything only it uses, is cut out of the app's wasm into a chunk of its
//! own (scripts/split-wasm.mjs) that is fetched the first time the screen opens; the page's first
//! load stays small. Without the feature (tests, `cargo check`) they are plain async functions,
//! so the app behaves the same.
//!
//! A chunk that cannot be fetched (the network dropped before the service worker had cached it)
//! is an error the screen shows with a "Try again" button, never a crash: the split functions are
//! `fallible`, which Leptos's own `#[lazy]` is not (it panics).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::app::focus_step_title;
use crate::batch::view::BatchScreen;
use crate::components::{CameraScanner, Notice, Tone};
use crate::platform::idle::when_idle;
use crate::steps::{
    BurnStep, ConnectStep, DoneStep, IdentifyStep, PreviewStep, ReviewStep, VerifyStep,
};
use crate::tools::{IdentifyTool, TimeSyncTool};

/// What loading a screen gives: the screen, or why its chunk did not load.
pub type Loaded = Result<AnyView, SplitLoaderError>;

/// Defines `async fn $name(args) -> Loaded` rendering `$view`; in split builds it goes into the
/// chunk `$chunk`, and `$preload()` fetches that chunk without rendering. Screens used one after
/// another share a chunk: fewer, larger files to fetch.
macro_rules! on_demand_view {
    ($(#[$doc:meta])* $chunk:ident: $name:ident($($arg:ident: $ty:ty),*) => $view:expr $(, preload $preload:ident)?) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
            $(, preload(#[doc = "Fetches the chunk, without rendering."] $preload))?
        )]
        pub fn $name($($arg: $ty),*) -> Loaded {
            Ok($view.into_any())
        }
        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> Loaded {
            Ok($view.into_any())
        }
        $(
            /// Nothing to fetch without the `split` feature.
            #[cfg(not(feature = "split"))]
            pub async fn $preload() -> Result<(), SplitLoaderError> {
                Ok(())
            }
        )?
    };
}

on_demand_view!(
    /// The wizard's Review step.
    account: review_step() => view! { <ReviewStep/> }, preload preload_account
);
on_demand_view!(
    /// The wizard's Preview step (live codes).
    account: preview_step() => view! { <PreviewStep/> }
);
on_demand_view!(
    /// The camera scanner of the Secret step (opened by "Scan with the camera").
    camera: camera_scanner(on_payloads: Callback<Vec<String>>, on_close: Callback<()>) =>
        view! { <CameraScanner on_payloads=on_payloads on_close=on_close/> }, preload preload_camera
);
on_demand_view!(
    /// The wizard's Reader step (WebUSB, Web Serial, the reader drivers).
    token: connect_step() => view! { <ConnectStep/> }
);
on_demand_view!(
    /// The wizard's Token step (identify, drift and its repair).
    token: identify_step() => view! { <IdentifyStep/> }
);
on_demand_view!(
    /// The wizard's Burn step.
    token: burn_step() => view! { <BurnStep/> }
);
on_demand_view!(
    /// The wizard's Verify step.
    token: verify_step() => view! { <VerifyStep/> }
);
on_demand_view!(
    /// The wizard's Done step (the hand-out).
    token: done_step() => view! { <DoneStep/> }
);
on_demand_view!(
    /// The Batch screen (many tokens in a row, Entra exports).
    batch: batch_screen() => view! { <BatchScreen/> }
);
on_demand_view!(
    /// The Identify tool.
    tools: identify_tool() => view! { <IdentifyTool/> }
);
on_demand_view!(
    /// The Set-clock tool.
    tools: time_sync_tool() => view! { <TimeSyncTool/> }
);

/// A screen that `load` renders once its chunk is in. The app moved focus to the screen's
/// heading before the heading existed, so it moves it again once the screen is there.
pub fn on_demand_screen<Fut>(load: fn() -> Fut) -> AnyView
where
    Fut: Future<Output = Loaded> + Send + 'static,
{
    on_demand(move || {
        let loading = load();
        async move {
            let view = loading.await;
            request_animation_frame(focus_step_title);
            view
        }
    })
}

/// Shows what `load` renders once its chunk is in; a short note until then (a chunk comes from
/// the service worker's cache or the same server, so this is rarely seen). If the chunk cannot be
/// fetched, says so and offers to try again (`load` runs again; a failed fetch is not cached).
pub fn on_demand<Fut>(load: impl Fn() -> Fut + Send + Sync + 'static) -> AnyView
where
    Fut: Future<Output = Loaded> + Send + 'static,
{
    // Boxed, so the view below is compiled once rather than once per screen (12 copies of the
    // Suspense machinery cost 35 KB of the first load).
    on_demand_boxed(Arc::new(move || Box::pin(load()) as LoadingScreen))
}

/// A screen's chunk being fetched, then the screen.
type LoadingScreen = Pin<Box<dyn Future<Output = Loaded> + Send>>;

fn on_demand_boxed(load: Arc<dyn Fn() -> LoadingScreen + Send + Sync>) -> AnyView {
    let attempt = RwSignal::new(0_u32);
    view! {
        <Suspense fallback=|| view! { <p class="hint" data-testid="on-demand-loading">"Loading…"</p> }>
            {move || {
                attempt.track();
                let loading = load();
                Suspend::new(async move {
                    loading.await.unwrap_or_else(|_| view! { <LoadFailed attempt=attempt/> }.into_any())
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// The part of the page that did not load, and the way out.
#[component]
fn LoadFailed(
    /// Bumped by "Try again", which loads the part again.
    attempt: RwSignal<u32>,
) -> impl IntoView {
    view! {
        <div data-testid="on-demand-failed">
            <Notice tone=Tone::Error title="This part of Kiln did not load">
                <p>
                    "The connection dropped before this page had everything it needs. Nothing on "
                    "the page was lost: check the connection, then try again."
                </p>
                <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                    "Try again"
                </button>
            </Notice>
        </div>
    }
}

/// Fetches the chunks of what usually comes next, Review and (where there is a camera) the
/// camera scanner, as soon as the page is idle after showing the first step. Opening them then
/// costs no fetch and no compile in the task of the click or of the decoded frame, so those tasks
/// stay short (issue #19: no long tasks when the camera opens or a code is found). A failed
/// fetch is ignored here; the screen fetches again when it opens.
pub fn preload_likely_next(camera: bool) {
    when_idle(move || {
        leptos::task::spawn_local(async move {
            let _ = preload_account().await;
            if camera {
                let _ = preload_camera().await;
            }
        });
    });
}
