//! Work that can wait until the page has shown itself: run when the browser is idle after the
//! first render (`requestIdleCallback`), or shortly after where it has no such call (Safari).

use std::time::Duration;

use leptos::prelude::{set_timeout, window};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Where the browser has no `requestIdleCallback`, how long to wait instead.
const FALLBACK_DELAY: Duration = Duration::from_millis(300);

/// Runs `work` once the page is idle, off the path to the first usable screen.
pub fn when_idle(work: impl FnOnce() + Clone + 'static) {
    let fallback = work.clone();
    let callback = Closure::once_into_js(work);
    if window()
        .request_idle_callback(callback.unchecked_ref())
        .is_err()
    {
        set_timeout(fallback, FALLBACK_DELAY);
    }
}
