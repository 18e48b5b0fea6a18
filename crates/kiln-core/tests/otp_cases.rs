//! The shared case table `fixtures/otp_cases.json`, checked against `otp::classify` and, for a
//! known encoding, `otp::classify_secret`.
//!
//! Each case is `{"name", "input", "expect", "core"?, "advice"?}`. `expect` is written in the CLI's
//! `kiln inspect --json` vocabulary (the CLI tests read the same file); `core` holds extra
//! assertions only kiln-core checks (label prefix, secret source, error code and position,
//! per-account secrets of exports); `advice` lists words the advice must and must not contain
//! (checked here and through the CLI: nothing the user typed that could be a secret is echoed). Expected secret bytes come from Python's `base64` module,
//! hand bit-arithmetic and an independent protobuf encoder, never from this crate.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{self, Classification, InputError, SecretEncoding};
use serde_json::{Value, json};

fn cases() -> Vec<Value> {
    let text = include_str!("fixtures/otp_cases.json");
    serde_json::from_str(text).unwrap()
}

/// The CLI's JSON vocabulary for a classification.
fn to_json(c: &Classification) -> Value {
    match c {
        Classification::Totp(a) => json!({
            "kind": "totp",
            "issuer": a.issuer,
            "account": a.account,
            "algorithm": a.algorithm.name(),
            "digits": a.digits,
            "period": a.period.seconds(),
            "secret_len": a.secret.len(),
            "secret_hex": otp::hex_display(&a.secret).as_str(),
        }),
        Classification::Migration(m) => json!({
            "kind": "migration",
            "batch": m.batch.map(|b| json!({"index": b.index, "size": b.size})),
            "accounts": m.accounts.iter().map(|a| json!({
                "index": a.index,
                "issuer": a.issuer,
                "account": a.account,
                "algorithm": a.algorithm,
                "digits": a.digits,
                "period": a.period,
                "supported": a.supported.is_ok(),
                "reason": a.supported.as_ref().err().map(|r| r.reason.code()),
            })).collect::<Vec<_>>(),
        }),
        Classification::NotASecret(n) => json!({"kind": "not_a_secret", "what": n.what.code()}),
        Classification::Refused(r) => json!({"kind": "refused", "reason": r.reason.code()}),
        Classification::Invalid(_) => json!({"kind": "invalid"}),
    }
}

/// kiln-core-only facts, in the shape of a case's `core` object.
fn core_json(c: &Classification, expected: &Value) -> Value {
    match c {
        Classification::Totp(a) => json!({
            "label_issuer": a.label_issuer,
            "source": a.source.code(),
        }),
        Classification::Migration(m) => json!({
            "secret_hex": m.accounts.iter().map(|a| a.supported.as_ref().ok()
                .map(|t| otp::hex_display(&t.secret).to_string())).collect::<Vec<_>>(),
        }),
        Classification::Invalid(e) => {
            let mut v = json!({"error": e.code()});
            if expected.get("position").is_some()
                && let otp::InputError::BadBase32Character {
                    position,
                    character,
                }
                | otp::InputError::BadHexCharacter {
                    position,
                    character,
                } = e
            {
                v["position"] = json!(position);
                v["character"] = json!(character.to_string());
            }
            v
        }
        _ => Value::Null,
    }
}

#[test]
fn every_case_in_the_shared_table_classifies_as_expected() {
    let mut failures = Vec::new();
    let all = cases();
    for case in &all {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let got = otp::classify(input);
        let json = to_json(&got);
        if json != case["expect"] {
            failures.push(format!(
                "{name}:\n  expected {}\n  got      {json}",
                case["expect"]
            ));
            continue;
        }
        if let Some(core) = case.get("core") {
            let got_core = core_json(&got, core);
            if &got_core != core {
                failures.push(format!(
                    "{name} (core):\n  expected {core}\n  got      {got_core}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// The advice or error message of a classification (empty for burnable input).
fn advice_of(c: &Classification) -> String {
    match c {
        Classification::NotASecret(n) => n.advice.clone(),
        Classification::Refused(r) => r.advice.clone(),
        Classification::Invalid(e) => e.to_string(),
        Classification::Totp(_) | Classification::Migration(_) => String::new(),
    }
}

#[test]
fn advice_says_what_the_table_asks_and_echoes_nothing_secret() {
    let mut failures = Vec::new();
    for case in cases() {
        let Some(rules) = case.get("advice") else {
            continue;
        };
        let name = case["name"].as_str().unwrap();
        let advice = advice_of(&otp::classify(case["input"].as_str().unwrap()));
        for word in rules["includes"].as_array().into_iter().flatten() {
            if !advice.contains(word.as_str().unwrap()) {
                failures.push(format!("{name}: lacks {word}: {advice}"));
            }
        }
        for word in rules["excludes"].as_array().into_iter().flatten() {
            if advice.contains(word.as_str().unwrap()) {
                failures.push(format!("{name}: contains {word}: {advice}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_refusal_and_non_secret_carries_advice() {
    for case in cases() {
        match otp::classify(case["input"].as_str().unwrap()) {
            Classification::NotASecret(n) => assert!(n.advice.len() > 40, "{}", case["name"]),
            Classification::Refused(r) => assert!(r.advice.len() > 40, "{}", case["name"]),
            Classification::Invalid(e) => assert!(e.to_string().len() > 40, "{}", case["name"]),
            Classification::Migration(m) => {
                for a in &m.accounts {
                    if let Err(r) = &a.supported {
                        assert!(r.advice.len() > 40);
                    }
                }
            }
            Classification::Totp(_) => {}
        }
    }
}

#[test]
fn the_table_covers_every_kind_reason_and_non_secret() {
    let all = cases();
    let expects: Vec<&Value> = all.iter().map(|c| &c["expect"]).collect();
    for kind in ["totp", "migration", "not_a_secret", "refused", "invalid"] {
        assert!(expects.iter().any(|e| e["kind"] == kind), "no {kind} case");
    }
    for reason in [
        "hotp",
        "steam",
        "algorithm",
        "digits",
        "period",
        "too_short",
        "too_long",
    ] {
        assert!(
            expects.iter().any(|e| e["reason"] == reason),
            "no {reason} case"
        );
    }
    for what in [
        "phonefactor",
        "msa_link",
        "fido",
        "serial_barcode",
        "other_otp_link",
        "url",
        "number",
        "text",
    ] {
        assert!(expects.iter().any(|e| e["what"] == what), "no {what} case");
    }
}

/// Each encoding with the marker that selects it in pasted text, and all its markers.
const ENCODINGS: [(SecretEncoding, &str, &[&str]); 2] = [
    (SecretEncoding::Base32, "base32:", &["base32:"]),
    (SecretEncoding::Hex, "hex:", &["hex:", "0x"]),
];

/// `c` with error positions moved `by` characters to the left.
fn shifted(c: Classification, by: usize) -> Classification {
    match c {
        Classification::Invalid(InputError::BadBase32Character {
            position,
            character,
        }) => Classification::Invalid(InputError::BadBase32Character {
            position: position - by,
            character,
        }),
        Classification::Invalid(InputError::BadHexCharacter {
            position,
            character,
        }) => Classification::Invalid(InputError::BadHexCharacter {
            position: position - by,
            character,
        }),
        other => other,
    }
}

#[test]
fn a_known_encoding_reads_every_row_as_classify_reads_it_with_the_marker() {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let trimmed = input.trim();
        for (encoding, marker, markers) in ENCODINGS {
            let own_marker = markers.iter().any(|m| {
                trimmed
                    .get(..m.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(m))
            });
            // Text already marked for this encoding reads as it is; any other text reads as
            // with the marker written in front, positions counting the text as given.
            let expected = if own_marker {
                otp::classify(trimmed)
            } else {
                shifted(otp::classify(&format!("{marker}{trimmed}")), marker.len())
            };
            let got = otp::classify_secret(input, encoding);
            if got != expected {
                failures.push(format!(
                    "{name} as {encoding:?}:\n  expected {expected:?}\n  got      {got:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_known_encoding_gives_the_tables_result_for_pasted_secrets() {
    let mut checked = 0;
    for case in cases() {
        let input = case["input"].as_str().unwrap();
        let core = case.get("core").unwrap_or(&Value::Null);
        let encoding = match (core["source"].as_str(), core["error"].as_str()) {
            (Some("base32"), _) => SecretEncoding::Base32,
            (Some("hex"), _) => SecretEncoding::Hex,
            (_, Some("bad_base32_character")) if !input.starts_with("otpauth") => {
                SecretEncoding::Base32
            }
            _ => continue,
        };
        let got = otp::classify_secret(input, encoding);
        assert_eq!(to_json(&got), case["expect"], "{}", case["name"]);
        assert_eq!(&core_json(&got, core), core, "{}", case["name"]);
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} rows are pasted secrets");
}

#[test]
fn a_known_encoding_settles_text_the_classifier_calls_ambiguous() {
    let row = cases()
        .into_iter()
        .find(|c| c["name"] == "shared_characters_only_are_ambiguous")
        .unwrap();
    let input = row["input"].as_str().unwrap();
    assert_eq!(
        otp::classify(input),
        Classification::Invalid(InputError::AmbiguousSecret)
    );
    // Base32 bytes from Python's base64.b32decode (as in the table's `base32:` row).
    for (encoding, hex) in [
        (SecretEncoding::Base32, "004432175be77df004432175"),
        (SecretEncoding::Hex, "abcdef234567abcdef23"),
    ] {
        let Classification::Totp(account) = otp::classify_secret(input, encoding) else {
            panic!("{encoding:?}");
        };
        assert_eq!(otp::hex_display(&account.secret).as_str(), hex);
        assert_eq!(account.source, encoding.source());
    }
}

#[test]
fn own_markers_are_skipped_and_counted_other_markers_are_text() {
    let bad_hex = |position, character| {
        Classification::Invalid(InputError::BadHexCharacter {
            position,
            character,
        })
    };
    assert_eq!(
        otp::classify_secret(" HEX:0x31z2", SecretEncoding::Hex),
        bad_hex(9, 'z')
    );
    assert_eq!(
        otp::classify_secret("0x31z2", SecretEncoding::Hex),
        bad_hex(5, 'z')
    );
    assert_eq!(
        otp::classify_secret("base32:3132", SecretEncoding::Hex),
        bad_hex(3, 's')
    );
    assert_eq!(
        otp::classify_secret("hex:MZXW6YTBOI", SecretEncoding::Base32),
        Classification::Invalid(InputError::BadBase32Character {
            position: 4,
            character: ':'
        })
    );
    assert_eq!(
        otp::classify_secret("base32:", SecretEncoding::Base32),
        Classification::Invalid(InputError::EmptySecret)
    );
}
