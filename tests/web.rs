//! Component tests for the web app, run in headless Chromium by wasm-bindgen-test:
//! `cargo test -p kiln-web --target wasm32-unknown-unknown` (scripts/test.sh phase `wasm`).
//! They mount components into a detached-from-the-app `<div>` and read the real DOM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh `<div>` appended to the test page's body, to mount a component into.
fn test_container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container = document
        .create_element("div")
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

#[wasm_bindgen_test]
fn app_mounts_a_main_landmark_and_names_itself_kiln() {
    let container = test_container();
    let _mounted = leptos::mount::mount_to(container.clone(), kiln_web::App);

    assert!(
        container.query_selector("main").unwrap().is_some(),
        "the app should render a <main> landmark"
    );
    let text = container.text_content().unwrap_or_default();
    assert!(text.contains("Kiln"), "rendered text was {text:?}");
}
