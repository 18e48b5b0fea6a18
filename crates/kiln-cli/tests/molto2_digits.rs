//! `kiln molto2 burn --dry-run` with 4 to 10 digits: the CLI classifies for a Molto2, so an
//! 8-digit link burns with 8 digits (byte for byte the APDUs the independent Python script
//! computed from the spec, `kiln-core/tests/fixtures/molto2/`), `--digits` sets the length of a
//! bare secret and may not contradict a link, and the single-profile `kiln burn` still refuses.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use serde_json::Value;
use support::{Run, core_fixture, kiln_with_env};

fn vectors() -> Value {
    serde_json::from_str(&core_fixture("molto2/vectors.json")).unwrap()
}

fn find(list: &Value, pred: impl Fn(&Value) -> bool) -> &str {
    list.as_array().unwrap().iter().find(|c| pred(c)).unwrap()["apdu_hex"]
        .as_str()
        .unwrap()
}

/// `kiln molto2 burn --dry-run` with the given options after `--profile N --title Google`,
/// the secret on stdin, the default customer key and the vectors' challenge.
fn burn_dry_run(profile: &str, options: &[&str], stdin: &str) -> Run {
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

fn apdus_of(run: &Run) -> Vec<String> {
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
