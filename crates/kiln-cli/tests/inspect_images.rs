//! `kiln inspect --image` on the QR fixtures in `tests/fixtures/qr/` (the same pictures the web
//! app's decoder is tested with): each is classified like the payload the issue specifies for it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use serde_json::{Value, json};
use support::{Run, core_fixture, kiln};

fn inspect_image(name: &str) -> Run {
    let path = format!(
        "{}/../../tests/fixtures/qr/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    assert!(
        std::path::Path::new(&path).exists(),
        "missing fixture {path}"
    );
    kiln(&["--json", "inspect", "--image", &path], None)
}

/// Every key of `expected` must be in the document with that value.
fn assert_fields(name: &str, run: &Run, expected: Value) {
    let doc = run.json();
    for (key, want) in expected.as_object().unwrap() {
        assert_eq!(&doc[key.as_str()], want, "{name}: {key} in {doc}");
    }
}

/// The shared case whose input is the Microsoft 365 enrollment link of the fixtures.
fn m365_case() -> Value {
    let cases: Vec<Value> = serde_json::from_str(&core_fixture("otp_cases.json")).unwrap();
    cases
        .into_iter()
        .find(|c| c["name"] == "m365_tenant_label_lowercase_80_bit_secret")
        .unwrap()
}

#[test]
fn the_microsoft_365_screenshot_and_photo_hold_the_burnable_m365_account() {
    let case = m365_case();
    let mut expected = case["expect"].clone();
    expected.as_object_mut().unwrap().remove("secret_hex");
    for name in ["m365.png", "photo-m365.jpg"] {
        let run = inspect_image(name);
        assert_eq!(run.status, 0, "{name}: {}", run.all_output());
        assert_fields(name, &run, expected.clone());
        assert!(
            run.json().get("secret_hex").is_none(),
            "{name}: secret shown without --reveal"
        );
    }
}

#[test]
fn the_github_qr_is_a_burnable_account() {
    let run = inspect_image("github.png");
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_fields(
        "github.png",
        &run,
        json!({"kind": "totp", "issuer": "GitHub", "account": "octocat", "algorithm": "SHA1",
               "digits": 6, "period": 30, "secret_len": 10}),
    );
}

#[test]
fn wrong_qr_codes_are_named_and_refused() {
    for (name, expected) in [
        (
            "phonefactor.png",
            json!({"kind": "not_a_secret", "what": "phonefactor"}),
        ),
        (
            "serial.png",
            json!({"kind": "not_a_secret", "what": "serial_barcode"}),
        ),
        ("hotp.png", json!({"kind": "refused", "reason": "hotp"})),
    ] {
        let run = inspect_image(name);
        assert_eq!(run.status, 3, "{name}: {}", run.all_output());
        assert_fields(name, &run, expected);
        assert!(run.json()["advice"].as_str().unwrap().len() > 40, "{name}");
    }
}

#[test]
fn the_google_export_qr_lists_its_accounts() {
    let run = inspect_image("migration.png");
    let doc = run.json();
    assert_eq!(doc["kind"], "migration", "{doc}");
    let accounts = doc["accounts"].as_array().unwrap();
    assert!(!accounts.is_empty(), "{doc}");
    let burnable = accounts.iter().any(|a| a["supported"] == true);
    assert_eq!(run.status, if burnable { 0 } else { 3 }, "{doc}");
}

#[test]
fn unreadable_pictures_are_explained() {
    let run = kiln(
        &["--json", "inspect", "--image", "/nonexistent/qr.png"],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "image_unreadable");

    let not_a_picture = format!("{}/Cargo.toml", env!("CARGO_MANIFEST_DIR"));
    let run = kiln(&["--json", "inspect", "--image", &not_a_picture], None);
    assert_eq!(run.status, 3, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "image_unreadable");
}
