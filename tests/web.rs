//! Component tests for the web app, run in headless Chromium by wasm-bindgen-test:
//! `cargo test -p kiln-web --target wasm32-unknown-unknown` (scripts/test.sh phase `wasm`).
//! They mount components into a detached-from-the-app `<div>` and read the real DOM.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

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

/// Lets Leptos run its effects and re-render.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn by_test_id(container: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlElement {
    container
        .query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_pasted_microsoft_365_link_is_reviewed_with_the_issuer_and_the_tenant_account() {
    let container = test_container();
    let _mounted = leptos::mount::mount_to(container.clone(), kiln_web::App);
    let text = by_test_id(&container, "secret-text")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap();
    let uri = "otpauth://totp/Some+Company%3ame%40somecompany.net?secret=abcdefghijklmnop&issuer=Microsoft";
    text.set_value(uri);
    by_test_id(&container, "secret-submit").click();
    settle().await;

    let classification = by_test_id(&container, "classification");
    assert_eq!(
        classification.get_attribute("data-kind").as_deref(),
        Some("totp")
    );
    assert_eq!(
        by_test_id(&container, "account-issuer").inner_text(),
        "Microsoft"
    );
    assert_eq!(
        by_test_id(&container, "account-name").inner_text(),
        "me@somecompany.net"
    );
    assert_eq!(
        by_test_id(&container, "account-period")
            .get_attribute("data-seconds")
            .as_deref(),
        Some("30")
    );
    // The secret is masked until asked for, and the box no longer holds the link.
    assert!(
        !container
            .inner_html()
            .to_lowercase()
            .contains("abcdefghijklmnop")
    );
    assert!(!container.inner_html().contains("ABCD EFGH"));
}

#[wasm_bindgen_test]
async fn a_phonefactor_link_is_explained_not_burned() {
    let container = test_container();
    let _mounted = leptos::mount::mount_to(container.clone(), kiln_web::App);
    let text = by_test_id(&container, "secret-text")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap();
    text.set_value(
        "phonefactor://activate_account?code=123456789&url=https%3a%2f%2fexample.invalid",
    );
    by_test_id(&container, "secret-submit").click();
    settle().await;
    let classification = by_test_id(&container, "classification");
    assert_eq!(
        classification.get_attribute("data-kind").as_deref(),
        Some("not_a_secret")
    );
    let advice = by_test_id(&container, "classification-advice").inner_text();
    assert!(advice.contains("different authenticator app"), "{advice}");
}

/// The words the token card shows for a clock `offset` (token minus this device, seconds).
fn clock_offset_words(offset: i64) -> String {
    use kiln_core::token::{Model, TokenInfo};
    use kiln_web::components::TokenCard;
    use kiln_web::state::TokenFacts;
    use leptos::prelude::*;

    let serial = "8659622000123";
    let facts = TokenFacts {
        info: TokenInfo {
            serial: serial.to_string(),
            device_time: 1_700_000_000,
        },
        model: Model::from_serial(serial).unwrap(),
        clock_offset: offset,
    };
    let container = test_container();
    let _mounted = leptos::mount::mount_to(container.clone(), move || {
        view! { <TokenCard facts=facts.clone()/> }
    });
    by_test_id(&container, "token-clock-offset").inner_text()
}

#[wasm_bindgen_test]
fn clock_offsets_are_described_in_words() {
    assert_eq!(
        clock_offset_words(0),
        "in sync with this device (within 2 s)"
    );
    assert_eq!(
        clock_offset_words(-2),
        "in sync with this device (within 2 s)"
    );
    assert_eq!(clock_offset_words(45), "45 s ahead of this device");
    assert_eq!(clock_offset_words(-185), "3 min 5 s behind this device");
    assert_eq!(clock_offset_words(3 * 86_400), "3 d ahead of this device");
}
