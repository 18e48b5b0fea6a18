//! What the page's on-demand workers (QR decoder, age sealer) share: finding this build's start
//! script, promises settled from event handlers, and waiting with a time limit.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The worker start script of the build this page runs: scripts/post-build.mjs names it, with
/// its content-hashed name, in the meta tag `meta_selector` selects, so a page only ever starts
/// the worker of its own build. `unhashed` is trunk's own name (a build without post-build).
pub fn worker_url(meta_selector: &str, unhashed: &str) -> String {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector(meta_selector).ok().flatten())
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| unhashed.to_string())
}

/// A promise's two settling functions.
pub struct Settle {
    /// Fulfils the promise.
    pub resolve: Function,
    /// Rejects the promise.
    pub reject: Function,
}

/// A promise with its settling functions kept aside (the executor runs synchronously, so they
/// are always there).
pub fn deferred() -> Option<(Promise, Settle)> {
    let mut settle = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some(Settle { resolve, reject }));
    settle.map(|settle| (promise, settle))
}

/// Awaits `promise`; `Err` if it rejects (the worker stopped) or takes longer than `timeout_ms`.
pub async fn wait(promise: &Promise, timeout_ms: i32) -> Result<JsValue, ()> {
    let window = web_sys::window().ok_or(())?;
    let mut timer = None;
    let timeout = Promise::new(&mut |_resolve, reject| {
        timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&reject, timeout_ms)
            .ok();
    });
    let result = JsFuture::from(Promise::race(&Array::of2(promise, &timeout))).await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    result.map_err(|_| ())
}
