//! `kiln burn --dry-run` prints the exact APDUs of a burn, checked against the protocol vectors
//! in `crates/kiln-core/tests/fixtures/token2.json` (computed with independent SM4
//! implementations, some matching hardware-verified tools).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use serde_json::Value;
use support::{core_fixture, kiln};

fn vectors() -> Value {
    serde_json::from_str(&core_fixture("token2.json")).unwrap()
}

/// The fixture's APDU for the entry of `list` whose `key` equals `value`.
fn vector(list: &str, key: &str, value: &Value) -> String {
    vectors()[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| &v[key] == value)
        .unwrap_or_else(|| panic!("no {list} vector with {key} = {value}"))["apdu_hex"]
        .as_str()
        .unwrap()
        .to_string()
}

fn write_config_vector(time: u64, display: u64, alg: u64, step: u64) -> String {
    vectors()["write_config"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["time"] == time && v["display"] == display && v["alg"] == alg && v["step"] == step
        })
        .expect("the write_config vector exists")["apdu_hex"]
        .as_str()
        .unwrap()
        .to_string()
}

const GET_INFO: &str = "80410000020211";
const GET_CHALLENGE: &str = "804B08000100";

#[test]
fn dry_run_prints_the_vector_apdus_of_the_spec_burn() {
    let v = vectors();
    let serial = v["get_info_example"]["serial"].as_str().unwrap();
    assert_eq!(serial, "8659622000123");
    let run = kiln(
        &[
            "--json",
            "burn",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--display",
            "30",
            "--dry-run",
            "--serial",
            serial,
            "--challenge",
            "1122334455667788",
            "--time",
            "1700000000",
            "--reveal",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let apdus: Vec<String> = run.json()["apdus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let expected = vec![
        GET_INFO.to_string(),
        GET_CHALLENGE.to_string(),
        vector("auth", "challenge_hex", &Value::from("1122334455667788")),
        write_config_vector(1_700_000_000, 1, 1, 30),
        // Kiln zero-extends seeds shorter than 20 bytes.
        vector(
            "write_seed",
            "seed_hex",
            &Value::from("48656C6C6F21DEADBEEF00000000000000000000"),
        ),
    ];
    assert_eq!(apdus, expected);
}

#[test]
fn dry_run_of_a_link_uses_its_settings() {
    // The golden config vector: time 1698898176, display 60 s (code 2), SHA256 (2), 60 s step.
    let run = kiln(
        &[
            "--json",
            "burn",
            "--dry-run",
            "--serial",
            "8659622000123",
            "--challenge",
            "1122334455667788",
            "--time",
            "1698898176",
            "--display",
            "60",
            "--uri",
            "otpauth://totp/Bank:me?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&period=60",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(
        doc["apdus"][3],
        write_config_vector(1_698_898_176, 2, 2, 60).as_str()
    );
}

#[test]
fn dry_run_refuses_an_unknown_serial_after_get_info() {
    let run = kiln(
        &[
            "--json",
            "burn",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--dry-run",
            "--serial",
            "8659699000123",
            "--challenge",
            "1122334455667788",
            "--time",
            "1700000000",
        ],
        None,
    );
    assert_eq!(run.status, 4, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["apdus"], serde_json::json!([GET_INFO]));
    assert_eq!(doc["error"]["code"], "unknown_model");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Nothing was written"),
        "{doc}"
    );
}

#[test]
fn dry_run_needs_serial_challenge_and_time() {
    let run = kiln(&["burn", "--secret", "JBSWY3DPEHPK3PXP", "--dry-run"], None);
    assert_eq!(run.status, 2, "{}", run.all_output());
    let run = kiln(
        &[
            "burn",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--dry-run",
            "--serial",
            "8659622000123",
            "--challenge",
            "11223344",
            "--time",
            "1700000000",
        ],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
    assert!(
        run.stderr.contains("16 hexadecimal digits"),
        "{}",
        run.stderr
    );
}

#[test]
fn dry_run_human_output_names_each_command() {
    let run = kiln(
        &[
            "burn",
            "--secret",
            "JBSWY3DPEHPK3PXP",
            "--dry-run",
            "--serial",
            "8659622000123",
            "--challenge",
            "1122334455667788",
            "--time",
            "1700000000",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let names: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.rsplit_once(' ').unwrap().0.trim())
        .collect();
    assert_eq!(
        names,
        [
            "GET INFO",
            "GET CHALLENGE",
            "ANSWER CHALLENGE",
            "WRITE CONFIG",
            "WRITE SEED"
        ]
    );
}

/// The spec burn's dry run, with `extra` options.
fn spec_dry_run(extra: &[&str]) -> support::Run {
    let mut args = vec![
        "burn",
        "--secret",
        "JBSWY3DPEHPK3PXP",
        "--dry-run",
        "--serial",
        "8659622000123",
        "--challenge",
        "1122334455667788",
        "--time",
        "1700000000",
    ];
    args.extend_from_slice(extra);
    kiln(&args, None)
}

/// The vector's WRITE SEED split into header + Lc, encrypted body, and MAC.
fn seed_vector_parts() -> (String, String, String) {
    // Kiln zero-extends seeds shorter than 20 bytes.
    let apdu = vector(
        "write_seed",
        "seed_hex",
        &Value::from("48656C6C6F21DEADBEEF00000000000000000000"),
    );
    let (head, rest) = apdu.split_at(10);
    let (body, mac) = rest.split_at(rest.len() - 8);
    (head.to_string(), body.to_string(), mac.to_string())
}

#[test]
fn without_reveal_the_encrypted_seed_is_never_printed() {
    let (head, body, mac) = seed_vector_parts();
    assert_eq!(body.len(), 64, "a 20-byte seed pads to 32 encrypted bytes");
    for json in [false, true] {
        let run = spec_dry_run(if json { &["--json"] } else { &[] });
        assert_eq!(run.status, 0, "{}", run.all_output());
        let all = run.all_output();
        for case in [body.to_uppercase(), body.to_lowercase()] {
            assert!(!all.contains(&case), "the encrypted seed leaked: {all}");
        }
        // Any 8-byte run of the body would also give it away piecemeal.
        for chunk in body.as_bytes().chunks(16) {
            let chunk = std::str::from_utf8(chunk).unwrap();
            assert!(!all.to_uppercase().contains(chunk), "{chunk} leaked: {all}");
        }
        // Header, Lc and MAC are still there for the audit, the body as XX per byte.
        let masked = format!("{head}{}{mac}", "XX".repeat(body.len() / 2));
        if json {
            let doc = run.json();
            assert_eq!(doc["apdus"][4], masked.as_str(), "{doc}");
            assert_eq!(doc["seed_body_revealed"], false);
        } else {
            assert!(run.stdout.contains(&masked), "{}", run.stdout);
            assert!(run.stderr.contains("--reveal"), "{}", run.stderr);
        }
    }
}

#[test]
fn with_reveal_the_encrypted_seed_is_printed_in_full() {
    let (head, body, mac) = seed_vector_parts();
    let run = spec_dry_run(&["--reveal"]);
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert!(
        run.stdout.contains(&format!("{head}{body}{mac}")),
        "{}",
        run.stdout
    );
    let run = spec_dry_run(&["--json", "--reveal"]);
    assert_eq!(
        run.json()["apdus"][4],
        format!("{head}{body}{mac}").as_str()
    );
    assert_eq!(run.json()["seed_body_revealed"], true);
    // --reveal means nothing without --dry-run.
    let run = kiln(
        &["burn", "--secret", "JBSWY3DPEHPK3PXP", "--reveal", "--yes"],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
}
