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

/// `kiln molto2 burn --dry-run` with the given options after `--profile N --title Google`,
/// the secret on stdin, the default customer key and the vectors' challenge.
fn burn_dry_run(profile: &str, options: &[&str], stdin: &str) -> support::Run {
    let mut args = vec![
        "molto2",
        "burn",
        "--profile",
        profile,
        "--title",
        "Google",
        "--dry-run",
        "--serial",
        "202600000001234",
        "--challenge",
        "1122334455667788",
        "--reveal",
        "--json",
    ];
    args.extend_from_slice(options);
    kiln_with_env(
        &args,
        Some(stdin),
        &[("KILN_MOLTO2_KEY", "TOKEN2MOLTO1-KEY")],
    )
}

/// The vector APDUs of a burn of seed 01…14 titled "Google" with the given key and config.
fn burn_vectors(key_hex: &str, profile: u64, time: u64) -> Vec<String> {
    let v = vectors();
    let ours = |c: &Value| c["customer_key_hex"] == key_hex && c["profile"] == profile;
    [
        v["fixed"]["get_info"].as_str().unwrap(),
        v["fixed"]["read_profile"][profile.to_string()]
            .as_str()
            .unwrap(),
        v["fixed"]["get_challenge"].as_str().unwrap(),
        find(&v["auth"], |c| {
            c["customer_key_hex"] == key_hex && c["challenge_hex"] == "1122334455667788"
        }),
        find(&v["write_seed"], |c| {
            ours(c) && c["wire_seed_hex"] == "0102030405060708090A0B0C0D0E0F1011121314"
        }),
        find(&v["write_title"], |c| ours(c) && c["title"] == "Google"),
        find(&v["write_config"], |c| ours(c) && c["time"] == time),
    ]
    .map(str::to_string)
    .to_vec()
}

fn apdus_of(run: &support::Run) -> Vec<String> {
    assert_eq!(run.status, 0, "{}", run.all_output());
    run.json()["apdus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

const DEFAULT_KEY_HEX: &str = "544F4B454E324D4F4C544F312D4B4559"; // "TOKEN2MOLTO1-KEY"
/// Seed 01 02 … 14 in Base32 (Python's `base64.b32encode(bytes(range(1, 21)))`).
const SEED_BASE32: &str = "AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU";

#[test]
fn an_eight_digit_link_is_burned_with_eight_digits_byte_for_byte() {
    // The vector: profile 49, display 60 s, t=1234567890, SHA1, 8 digits, 30 s.
    let link = format!("otpauth://totp/Google:alice?secret={SEED_BASE32}&issuer=Google&digits=8");
    let run = burn_dry_run(
        "49",
        &["--uri", "-", "--display", "60", "--time", "1234567890"],
        &link,
    );
    assert_eq!(
        apdus_of(&run),
        burn_vectors(DEFAULT_KEY_HEX, 49, 1_234_567_890)
    );
    assert_eq!(run.json()["settings"]["digits"], 8);

    // --digits may repeat the link's length, never contradict it.
    let agree = burn_dry_run(
        "49",
        &[
            "--uri",
            "-",
            "--display",
            "60",
            "--time",
            "1234567890",
            "--digits",
            "8",
        ],
        &link,
    );
    assert_eq!(
        apdus_of(&agree),
        burn_vectors(DEFAULT_KEY_HEX, 49, 1_234_567_890)
    );
    let conflict = burn_dry_run("49", &["--uri", "-", "--time", "1", "--digits", "6"], &link);
    assert_eq!(conflict.status, 2, "{}", conflict.all_output());
    assert_eq!(conflict.json()["error"]["code"], "settings_conflict");

    // The single-profile `kiln burn` still refuses the same link, for its digits.
    let single = kiln_with_env(
        &[
            "burn",
            "--uri",
            "-",
            "--dry-run",
            "--serial",
            "8659622000123",
            "--challenge",
            "1122334455667788",
            "--time",
            "1",
            "--json",
        ],
        Some(&link),
        &[],
    );
    assert_eq!(single.status, 3, "{}", single.all_output());
    assert_eq!(single.json()["reason"], "digits");
}

#[test]
fn digits_set_the_length_of_a_bare_secret_and_must_agree_with_a_link() {
    // The vector: profile 99, display 120 s, t=4000000000, SHA256, 10 digits, 60 s.
    let run = burn_dry_run(
        "99",
        &[
            "--secret",
            "-",
            "--algorithm",
            "SHA256",
            "--period",
            "60",
            "--display",
            "120",
            "--time",
            "4000000000",
            "--digits",
            "10",
        ],
        SEED_BASE32,
    );
    assert_eq!(
        apdus_of(&run),
        burn_vectors(DEFAULT_KEY_HEX, 99, 4_000_000_000)
    );
    // Without --digits a bare secret gets 6.
    let six = burn_dry_run(
        "0",
        &["--hex", "-", "--time", "1"],
        "0102030405060708090A0B0C0D0E0F1011121314",
    );
    assert_eq!(six.status, 0, "{}", six.all_output());
    assert_eq!(six.json()["settings"]["digits"], 6);
    // A link that names no length means 6: --digits 8 contradicts it.
    let link = format!("otpauth://totp/Google:alice?secret={SEED_BASE32}");
    let conflict = burn_dry_run("0", &["--uri", "-", "--time", "1", "--digits", "8"], &link);
    assert_eq!(conflict.status, 2, "{}", conflict.all_output());
    assert_eq!(conflict.json()["error"]["code"], "settings_conflict");
    // A length no Molto2 shows is a usage error.
    let seven = burn_dry_run(
        "0",
        &["--hex", "-", "--time", "1", "--digits", "7"],
        "0102030405060708090A0B0C0D0E0F1011121314",
    );
    assert_eq!(seven.status, 2, "{}", seven.all_output());
    assert_eq!(seven.json()["error"]["code"], "bad_digits");
}
