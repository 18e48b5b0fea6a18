//! "Leave this page?" while something unsaved would be lost: a `beforeunload` listener that
//! asks only when `should_ask` says so (the browser shows its own wording).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Asks before the page is left or reloaded whenever `should_ask()` is true, for the page's
/// lifetime.
pub fn guard_leaving(should_ask: impl Fn() -> bool + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if should_ask() {
            event.prevent_default();
            // Older Chromium asks only when `returnValue` is set too.
            let _ = js_sys::Reflect::set(&event, &"returnValue".into(), &"".into());
        }
    });
    let _ =
        window.add_event_listener_with_callback("beforeunload", listener.as_ref().unchecked_ref());
    listener.forget();
}
