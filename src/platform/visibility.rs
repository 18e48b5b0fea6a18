//! Page visibility: a revealed secret is hidden again when the page is hidden (tab switch,
//! screen lock, app switch on a phone).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Calls `on_hidden` every time the page becomes hidden, for as long as the calling component
/// lives.
pub fn on_page_hidden(on_hidden: impl Fn() + 'static) {
    let document = document();
    let doc = document.clone();
    let closure = Closure::<dyn Fn()>::new(move || {
        if doc.visibility_state() == web_sys::VisibilityState::Hidden {
            on_hidden();
        }
    });
    let listener: js_sys::Function = closure.as_ref().unchecked_ref::<js_sys::Function>().clone();
    let _ = document.add_event_listener_with_callback("visibilitychange", &listener);
    closure.forget();
    let cleanup_doc = document.clone();
    on_cleanup(move || {
        let _ = cleanup_doc.remove_event_listener_with_callback("visibilitychange", &listener);
    });
}
