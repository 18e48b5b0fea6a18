//! `kiln molto2 … --dry-run`: the APDUs printed must be, byte for byte, the ones the
//! independent Python script computed from the spec (`kiln-core/tests/fixtures/molto2/`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use serde_json::Value;
use support::{core_fixture, kiln_with_env};

const CUSTOM_KEY_HEX: &str = "41636D6520436F72702032303236206B657921"; // "Acme Corp 2026 key!"

fn vectors() -> Value {
    serde_json::from_str(&core_fixture("molto2/vectors.json")).unwrap()
}

fn find(list: &Value, pred: impl Fn(&Value) -> bool) -> &str {
    list.as_array().unwrap().iter().find(|c| pred(c)).unwrap()["apdu_hex"]
        .as_str()
        .unwrap()
}

#[test]
fn a_burn_with_a_custom_key_prints_the_vector_apdus() {
    let v = vectors();
    let seed_hex = "0102030405060708090A0B0C0D0E0F1011121314";
    let run = kiln_with_env(
        &[
            "molto2",
            "burn",
            "--profile",
            "99",
            "--title",
            "Google",
            "--hex",
            "-",
            "--algorithm",
            "SHA256",
            "--period",
            "60",
            "--display",
            "30",
            "--digits",
            "6",
            "--dry-run",
            "--serial",
            "202600000001234",
            "--challenge",
            "1122334455667788",
            "--time",
            "1800000000",
            "--reveal",
            "--json",
        ],
        Some(seed_hex),
        &[("KILN_MOLTO2_KEY", "Acme Corp 2026 key!")],
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    let apdus: Vec<&str> = doc["apdus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let custom = |c: &Value| c["customer_key_hex"] == CUSTOM_KEY_HEX && c["profile"] == 99;
    let want = [
        v["fixed"]["get_info"].as_str().unwrap(),
        v["fixed"]["read_profile"]["99"].as_str().unwrap(),
        v["fixed"]["get_challenge"].as_str().unwrap(),
        find(&v["auth"], |c| {
            c["customer_key_hex"] == CUSTOM_KEY_HEX && c["challenge_hex"] == "1122334455667788"
        }),
        find(&v["write_seed"], |c| {
            custom(c) && c["wire_seed_hex"] == seed_hex
        }),
        find(&v["write_title"], |c| custom(c) && c["title"] == "Google"),
        find(&v["write_config"], |c| {
            custom(c) && c["time"] == 1_800_000_000
        }),
    ];
    assert_eq!(apdus, want);
}

#[test]
fn seed_and_key_bodies_are_hidden_without_reveal_and_the_key_never_printed() {
    let run = kiln_with_env(
        &[
            "molto2",
            "set-key",
            "--dry-run",
            "--serial",
            "202600000001234",
            "--challenge",
            "1122334455667788",
            "--time",
            "1700000000",
            "--json",
        ],
        None,
        &[(
            "KILN_MOLTO2_NEW_KEY",
            "hex:00000000000000000000000000000000",
        )],
    );
    // The stand-in answers 90 60: waiting for the button, so not confirmed (exit 5).
    assert_eq!(run.status, 5, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "not_confirmed");
    let change = doc["apdus"][3].as_str().unwrap();
    let expected = vectors()["change_key"][0]["apdu_hex"]
        .as_str()
        .unwrap()
        .to_string();
    // Header and MAC shown, the 32-byte body as XX.
    assert_eq!(&change[..10], &expected[..10]);
    assert_eq!(&change[change.len() - 8..], &expected[expected.len() - 8..]);
    assert_eq!(&change[10..74], "XX".repeat(32));
}

#[test]
fn a_link_with_seven_digits_or_a_long_title_is_refused_before_any_device() {
    let run = kiln_with_env(
        &[
            "molto2",
            "burn",
            "--profile",
            "1",
            "--title",
            "x",
            "--uri",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=7",
            "--dry-run",
            "--serial",
            "1",
            "--time",
            "1",
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(run.status, 3, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["reason"], "digits");
    let advice = doc["advice"].as_str().unwrap();
    assert!(
        advice.contains("7-digit") && advice.contains("4, 6, 8 or 10 digits"),
        "{advice}"
    );
    let run = kiln_with_env(
        &[
            "molto2",
            "burn",
            "--profile",
            "1",
            "--title",
            "ééééééé",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--dry-run",
            "--serial",
            "1",
            "--time",
            "1",
        ],
        None,
        &[],
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert!(run.stderr.contains("éééééé"), "{}", run.stderr);
}

const EXPORT: &str = "otpauth-migration://offline?data=CjgKDfv%2FSGVsbG8h3q2%2B7%2F8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAgo1ChQxMjM0NTY3ODkwMTIzNDU2Nzg5MBIPYm9iQGV4YW1wbGUuY29tGgZHaXRIdWIgAigBMAIKLgoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSCkJhbms6Y2Fyb2waBEJhbmsgAygBMAIKKwoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSBGRhdmUaB0NvdW50ZXIgASgBMAEKKQoUyMnKy8zNzs%2FQ0dLT1NXW19jZ2tsSBGVyaW4aBUVpZ2h0IAEoAjACCikKFDEyMzQ1Njc4OTAxMjM0NTY3ODkwEhFVbnNwZWNpZmllZDpmcmFuaxABGAMgASjSCQ%3D%3D";

#[test]
fn an_export_dry_run_prints_the_plan_and_every_apdu() {
    let run = kiln_with_env(
        &[
            "molto2",
            "burn",
            "--from-export",
            "--uri",
            "-",
            "--first-profile",
            "10",
            "--dry-run",
            "--serial",
            "202600000001234",
            "--challenge",
            "1122334455667788",
            "--time",
            "1700000000",
            "--json",
        ],
        Some(EXPORT),
        &[],
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    let plan: Vec<(u64, String)> = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["profile"].as_u64().unwrap(),
                p["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Account 5 ("Eight", erin) asks for 8 digits: a Molto2 shows them, so it is burned.
    assert_eq!(
        plan,
        [
            (10, "Example".into()),
            (11, "GitHub".into()),
            (12, "Eight".into()),
            (13, "Unspecified".into())
        ]
    );
    let digits: Vec<u64> = doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["digits"].as_u64().unwrap())
        .collect();
    assert_eq!(digits, [6, 6, 8, 6]);
    let reasons: Vec<&str> = doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["algorithm", "hotp"]);
    // The list (GET INFO + 100 READ PROFILE), then per account GET INFO, READ PROFILE,
    // challenge, answer, seed, title, config.
    let apdus = doc["apdus"].as_array().unwrap();
    assert_eq!(apdus.len(), 101 + 4 * 7);
    assert_eq!(apdus[101 + 1], "8041000A0170"); // READ PROFILE 10, no Le
    assert!(apdus[101 + 4].as_str().unwrap().starts_with("84C5010A"));
    // WRITE CONFIG (84 D4 01 pp) carries the digits as TLV 0B 01 nn (spec §2.7).
    for (k, profile, digits) in [
        (0, "0A", "06"),
        (1, "0B", "06"),
        (2, "0C", "08"),
        (3, "0D", "06"),
    ] {
        let config = apdus[101 + 7 * k + 6].as_str().unwrap();
        assert!(config.starts_with(&format!("84D401{profile}")), "{config}");
        assert!(config.contains(&format!("0B01{digits}0D01")), "{config}");
    }
    assert!(!run.all_output().contains("GEZDGNBV"));

    // Without --json the plan is printed (on stderr) before the APDUs.
    let text = kiln_with_env(
        &[
            "molto2",
            "burn",
            "--from-export",
            "--uri",
            "-",
            "--dry-run",
            "--serial",
            "1",
            "--challenge",
            "1122334455667788",
            "--time",
            "1700000000",
        ],
        Some(EXPORT),
        &[],
    );
    assert_eq!(text.status, 0, "{}", text.all_output());
    assert!(
        text.stderr.contains("Plan:\n  profile  0  \"Example\""),
        "{}",
        text.stderr
    );
    assert!(
        text.stderr
            .contains("  profile  2  \"Eight\"  (account 5: erin, 8 digits)\n"),
        "{}",
        text.stderr
    );
    assert!(
        !text.stderr.contains("skipped account 5"),
        "{}",
        text.stderr
    );
    assert!(
        text.stdout
            .ends_with("Dry run: would burn 4 account(s) into profiles 0, 1, 2, 3.\n")
    );
}
