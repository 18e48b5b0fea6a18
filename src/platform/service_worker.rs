//! Offline support: registers the service worker generated at build time (`sw.js`, see
//! scripts/post-build.mjs) and offers a reload when a new deployment has been downloaded.
//!
//! An update never takes over on its own: the new version waits until the user reloads, so a
//! running burn is never interrupted and old JS never meets new WebAssembly.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return None;
    }
    let navigator = window.navigator();
    let has = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    has.then(|| navigator.service_worker())
}

/// Registers `./sw.js`. `update_ready` turns true when a newer version is installed and waiting.
pub fn register(update_ready: RwSignal<bool>) {
    let Some(container) = container() else { return };
    leptos::task::spawn_local(async move {
        // No sw.js, or service workers blocked (then some browsers resolve to undefined): the app
        // works online anyway.
        let Ok(registration) = JsFuture::from(container.register("./sw.js")).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let has_controller = container.controller().is_some();
        if has_controller && registration.waiting().is_some() {
            update_ready.set(true);
        }
        let watched = registration.clone();
        let on_update = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && container_has_controller() {
                    update_ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
        REGISTRATION.with(|r| *r.borrow_mut() = Some(registration));
    });
}

fn container_has_controller() -> bool {
    container().is_some_and(|c| c.controller().is_some())
}

/// Activates the waiting version and reloads the page once it has taken over.
pub fn activate_update() {
    let Some(container) = container() else { return };
    let Some(waiting) = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|r| r.waiting())) else {
        reload();
        return;
    };
    let reloaded = Rc::new(RefCell::new(false));
    let on_change = Closure::<dyn Fn()>::new(move || {
        if !reloaded.replace(true) {
            reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let _ = waiting.post_message(&"kiln:activate-update".into());
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
