//! `kiln inspect` through the binary, against the case table shared with kiln-core's classifier
//! tests (`crates/kiln-core/tests/fixtures/otp_cases.json`, written in this command's JSON
//! vocabulary). Every key present in a case's `expect` must match.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use serde_json::Value;
use support::{Run, core_fixture, kiln};

fn cases() -> Vec<Value> {
    serde_json::from_str(&core_fixture("otp_cases.json")).unwrap()
}

/// Burnable inputs exit 0, everything else 3.
fn expected_status(expect: &Value) -> i32 {
    let burnable = match expect["kind"].as_str().unwrap() {
        "totp" => true,
        "migration" => expect["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["supported"] == true),
        _ => false,
    };
    if burnable { 0 } else { 3 }
}

fn mismatches(name: &str, run: &Run, case: &Value, reveal: bool) -> Vec<String> {
    let mut found = Vec::new();
    let doc = run.json();
    let expect = &case["expect"];
    for (key, want) in expect.as_object().unwrap() {
        if key == "secret_hex" && !reveal {
            if doc.get("secret_hex").is_some() {
                found.push(format!("{name}: secret_hex printed without --reveal"));
            }
            continue;
        }
        let got = &doc[key.as_str()];
        let got = if key == "accounts" {
            // Compare only the keys the table lists (the CLI adds advice and secrets).
            let listed: Vec<Value> = got
                .as_array()
                .map(|accounts| {
                    accounts
                        .iter()
                        .zip(want.as_array().unwrap())
                        .map(|(g, w)| {
                            let keys = w.as_object().unwrap().keys();
                            Value::Object(
                                keys.map(|k| (k.clone(), g[k.as_str()].clone())).collect(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Value::Array(listed)
        } else {
            got.clone()
        };
        if &got != want {
            found.push(format!("{name}: {key}: expected {want}, got {got}"));
        }
    }
    if let Some(error) = case.get("core").and_then(|c| c.get("error"))
        && &doc["error"] != error
    {
        found.push(format!(
            "{name}: error: expected {error}, got {}",
            doc["error"]
        ));
    }
    if let Some(rules) = case.get("advice") {
        let advice = doc["advice"].as_str().unwrap_or_default();
        for word in rules["includes"].as_array().into_iter().flatten() {
            if !advice.contains(word.as_str().unwrap()) {
                found.push(format!("{name}: advice lacks {word}: {advice}"));
            }
        }
        // Nowhere in the output, not only the advice.
        for word in rules["excludes"].as_array().into_iter().flatten() {
            if run.all_output().contains(word.as_str().unwrap()) {
                found.push(format!("{name}: output contains {word}"));
            }
        }
    }
    let status = expected_status(expect);
    if run.status != status {
        found.push(format!(
            "{name}: exit status {} instead of {status}",
            run.status
        ));
    }
    found
}

#[test]
fn every_shared_case_classifies_the_same_through_the_binary() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 60, "the shared table has {} cases", all.len());
    for case in &all {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        // Through stdin, so inputs starting with '-' or empty ones need no quoting tricks.
        let run = kiln(&["--json", "inspect"], Some(input));
        failures.extend(mismatches(name, &run, case, false));
        if case["expect"].get("secret_hex").is_some() {
            let run = kiln(&["--json", "inspect", "--reveal", "-"], Some(input));
            failures.extend(mismatches(name, &run, case, true));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn text_on_the_command_line_is_classified_like_stdin() {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "google_key_uri_wiki_example")
        .unwrap();
    let input = case["input"].as_str().unwrap();
    let run = kiln(&["--json", "inspect", input], None);
    assert!(
        mismatches("argument", &run, &case, false).is_empty(),
        "{run:?}"
    );
}

#[test]
fn advice_comes_with_every_refusal_and_non_secret() {
    for case in cases() {
        let kind = case["expect"]["kind"].as_str().unwrap().to_string();
        if !matches!(kind.as_str(), "refused" | "not_a_secret" | "invalid") {
            continue;
        }
        let run = kiln(
            &["--json", "inspect"],
            Some(case["input"].as_str().unwrap()),
        );
        let advice = run.json()["advice"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(advice.len() > 40, "{}: advice {advice:?}", case["name"]);
    }
}

#[test]
fn human_output_never_shows_the_secret_without_reveal() {
    let uri = "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
    let run = kiln(&["inspect", uri], None);
    assert_eq!(run.status, 0, "{run:?}");
    assert!(run.stdout.contains("alice@google.com"), "{}", run.stdout);
    assert!(run.stdout.contains("10 bytes"), "{}", run.stdout);
    let lower = run.all_output().to_lowercase();
    assert!(!lower.contains("jbsw"), "{lower}");
    assert!(!lower.contains("48656c6c6f21"), "{lower}");

    let run = kiln(&["inspect", "--reveal", uri], None);
    assert!(run.stdout.contains("JBSW Y3DP EHPK 3PXP"), "{}", run.stdout);
    assert!(
        run.stdout.contains("48656c6c6f21deadbeef"),
        "{}",
        run.stdout
    );
}
