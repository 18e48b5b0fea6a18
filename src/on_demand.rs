//! Screens that load on demand. In the release build (cargo feature `split`, index.html) each
//! `#[lazy]` function below, with everything only it uses, is cut out of the app's wasm into a
//! chunk of its own (scripts/split-wasm.mjs) that is fetched the first time the screen opens;
//! the page's first load stays small. Without the feature (tests, `cargo check`) they are plain
//! async functions, so the app behaves the same.

use leptos::prelude::*;

use crate::app::focus_step_title;
use crate::batch::view::BatchScreen;
use crate::components::CameraScanner;
use crate::steps::{
    BurnStep, ConnectStep, DoneStep, IdentifyStep, PreviewStep, ReviewStep, VerifyStep,
};
use crate::tools::{IdentifyTool, TimeSyncTool};

/// Defines `async fn $name(args) -> AnyView` rendering `$view`; in split builds it goes into the
/// chunk `$chunk`. Screens used one after another share a chunk: fewer, larger files to fetch.
macro_rules! on_demand_view {
    ($(#[$doc:meta])* $chunk:ident: $name:ident($($arg:ident: $ty:ty),*) => $view:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::lazy($chunk)]
        pub fn $name($($arg: $ty),*) -> AnyView {
            $view.into_any()
        }
        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> AnyView {
            $view.into_any()
        }
    };
}

on_demand_view!(
    /// The wizard's Review step.
    account: review_step() => view! { <ReviewStep/> }
);
on_demand_view!(
    /// The wizard's Preview step (live codes).
    account: preview_step() => view! { <PreviewStep/> }
);
on_demand_view!(
    /// The camera scanner of the Secret step (opened by "Scan with the camera").
    camera: camera_scanner(on_payloads: Callback<Vec<String>>, on_close: Callback<()>) =>
        view! { <CameraScanner on_payloads=on_payloads on_close=on_close/> }
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
pub fn on_demand_screen<Fut>(load: Fut) -> AnyView
where
    Fut: std::future::Future<Output = AnyView> + Send + 'static,
{
    on_demand(async move {
        let view = load.await;
        request_animation_frame(focus_step_title);
        view
    })
}

/// Shows what `load` renders once its chunk is in; a short note until then (a chunk comes from
/// the service worker's cache or the same server, so this is rarely seen).
pub fn on_demand<Fut>(load: Fut) -> AnyView
where
    Fut: std::future::Future<Output = AnyView> + Send + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="hint" data-testid="on-demand-loading">"Loading…"</p> }>
            {Suspend::new(load)}
        </Suspense>
    }
    .into_any()
}
