//! The real `kiln` binary through the real PC/SC stack: pcscd with vsmartcard's vpcd reader, and
//! kiln-sim's token (written from the spec, not from kiln-core) as the virtual card.
//!
//! What the token holds and displays afterwards is checked against independent RFC 6238 code:
//! kiln-sim's `totp6` drives the simulated display and checks the codes kiln prints; kiln-core's
//! `code_at` (totp-rs) checks the display.
//!
//! The simulated token's clock stands still while kiln runs and kiln reads this computer's clock
//! a moment later, so clock offsets may be off by the run time: up to 5 s is allowed, for a
//! loaded test machine.
//!
//! Needs `scripts/start-pcscd.sh` (as root) first; built only with `--features vpcd-tests`, and
//! then every test fails, never skips, when pcscd or vpcd is missing.
#![cfg(feature = "vpcd-tests")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

#[path = "../support/mod.rs"]
mod support;

mod batch;
mod burn;
mod burn_faults;
mod contact_card;
mod drift;
mod reader_choice;
mod rig;
mod sync_time;

use kiln_sim::token::SimToken;
use rig::{READER, Rig, now};
use serde_json::Value;

/// OTPC-P2-i: setting its clock erases its seed.
const RESTRICTED: &str = "8659622000123";
/// OTPC-P1-i: keeps its seed when the clock is set.
const KEEPS_SEED: &str = "8659612000042";

/// GitHub-style link with SHA256 and a 60 s step; the secret is ASCII "12345678901234567890".
const SHA256_LINK: &str = "otpauth://totp/GitHub:octocat?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                           &issuer=GitHub&algorithm=SHA256&period=60";
const SHA256_SEED: &[u8] = b"12345678901234567890";

/// JBSWY3DPEHPK3PXP, 10 bytes (Kiln stores it zero-extended to 20).
const SHORT_SEED: [u8; 10] = [0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x21, 0xDE, 0xAD, 0xBE, 0xEF];

const GET_INFO: [u8; 7] = [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11];

fn instructions(token: &SimToken) -> Vec<u8> {
    token.received().iter().map(|apdu| apdu[1]).collect()
}

fn assert_no_secret_printed(output: &str, secrets: &[&str]) {
    let lower = output.to_lowercase();
    for secret in secrets {
        assert!(
            !lower.contains(&secret.to_lowercase()),
            "{secret} printed:\n{output}"
        );
    }
}

#[test]
fn readers_lists_the_virtual_reader_with_the_token_and_its_contactless_atr() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0));
    let run = rig.kiln(&["--json", "readers"], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    let reader = doc["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == READER)
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(reader["card_present"], true, "{doc}");
    assert_eq!(reader["card"], "contactless", "{doc}");
    // PC/SC Part 3 ATR of an ISO 14443-4 card without historical bytes.
    assert_eq!(reader["atr"], "3B80800101", "{doc}");
}

#[test]
fn info_reads_serial_model_and_clock_offset_with_get_info_only() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0).with_clock_offset(-120));
    let run = rig.kiln(&["--json", "info", "--reader", READER], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["serial"], RESTRICTED);
    assert_eq!(doc["model"], "OTPC-P2-i");
    assert_eq!(doc["restricted_sync"], true);
    let offset = doc["offset_seconds"].as_i64().unwrap();
    assert!((-126..=-119).contains(&offset), "offset {offset}");
    let token_time = doc["token_time"].as_u64().unwrap();
    assert!(
        token_time.abs_diff(now() - 120) <= 6,
        "token time {token_time}"
    );
    assert_eq!(rig.token().received(), [GET_INFO.to_vec()]);
}

#[test]
fn a_card_with_an_unknown_serial_gets_nothing_but_get_info() {
    let rig = Rig::with_token(SimToken::new("1234567890123", 0));
    let run = rig.kiln(&["--json", "burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "unknown_model");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1234567890123")
    );
    assert_eq!(rig.token().received(), [GET_INFO.to_vec()]);

    let run = rig.kiln(&["info"], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert!(run.stderr.contains("not a Token2 model"), "{}", run.stderr);
}

#[test]
fn an_empty_reader_says_to_put_the_token_on_it() {
    let rig = Rig::empty();
    let run = rig.kiln(&["--json", "info", "--reader", READER], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert_eq!(run.json()["error"]["code"], "no_card");
    let run = rig.kiln(&["burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert!(run.stderr.contains("No token was found"), "{}", run.stderr);
}
