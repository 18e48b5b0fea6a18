//! Screens that load on demand. In the release build (cargo feature `split`, index.html) each
//! `#[lazy]` function below, with everything only it uses, is cut out of the app's wasm into a
//! chunk of its own (scripts/split-wasm.mjs) that is fetched the first time the screen opens;
//! the page's first load stays small. Without the feature (tests, `cargo check`) they are plain
//! async functions, so the app behaves the same.

use leptos::prelude::*;

use crate::batch::view::BatchScreen;
use crate::tools::{IdentifyTool, TimeSyncTool};

/// Defines `async fn $name() -> AnyView` rendering `$component`, split off in split builds.
macro_rules! on_demand_view {
    ($(#[$doc:meta])* $name:ident => $component:ident) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::lazy]
        pub fn $name() -> AnyView {
            view! { <$component/> }.into_any()
        }
        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> AnyView {
            view! { <$component/> }.into_any()
        }
    };
}

on_demand_view!(
    /// The Batch screen (many tokens in a row, Entra exports).
    batch_screen => BatchScreen
);
on_demand_view!(
    /// The Identify tool.
    identify_tool => IdentifyTool
);
on_demand_view!(
    /// The Set-clock tool.
    time_sync_tool => TimeSyncTool
);

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
