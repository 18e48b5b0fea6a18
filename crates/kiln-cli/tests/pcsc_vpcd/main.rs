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
mod contact_card;
mod reader_choice;
mod rig;

use kiln_core::otp::code_at;
use kiln_core::{Algorithm, Period, Secret};
use kiln_sim::token::{Fault, Ins, SimToken, StoredSettings};
use kiln_sim::totp::{Hash, totp6};
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
fn burn_from_a_link_writes_seed_settings_and_clock_and_the_token_shows_rfc_6238_codes() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0));
    let run = rig.kiln(
        &[
            "--json",
            "burn",
            "--uri",
            SHA256_LINK,
            "--display",
            "60",
            "--yes",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["outcome"], "success");
    assert_eq!(doc["seed_state"], "new");
    assert_eq!(doc["settings_state"], "updated");
    assert_no_secret_printed(
        &run.all_output(),
        &["GEZDGNBV", "3132333435363738393031323334353637383930"],
    );

    let token = rig.token();
    assert_eq!(token.seed(), Some(SHA256_SEED));
    let settings = token.settings();
    assert_eq!(
        (settings.hash, settings.step_seconds, settings.display_code),
        (Hash::Sha256, 60, 2)
    );
    // kiln wrote this computer's time.
    assert!(
        (-1..=5).contains(&token.clock_offset()),
        "offset {}",
        token.clock_offset()
    );

    // The display against kiln-core's RFC 6238 code, at the token's own clock.
    let wall = token.wall_time();
    let device_time = token.device_time_at(wall);
    let secret = Secret::from_slice(SHA256_SEED);
    assert_eq!(
        token.displayed_code(wall).unwrap(),
        code_at(&secret, Algorithm::Sha256, Period::S60, device_time)
    );

    // The printed codes against kiln-sim's RFC 6238 code, at the time they were printed.
    let t = doc["codes"]["time"].as_u64().unwrap();
    let code = |t: u64| Value::from(totp6(SHA256_SEED, Hash::Sha256, 60, t));
    assert_eq!(doc["codes"]["previous"], code(t - 60));
    assert_eq!(doc["codes"]["current"], code(t));
    assert_eq!(doc["codes"]["next"], code(t + 60));
    // What the token shows at that moment is among them (a step may turn between the two).
    let shown = Value::from(token.displayed_code(t).unwrap());
    assert!(
        [code(t - 60), code(t), code(t + 60)].contains(&shown),
        "token shows {shown}, kiln printed {}",
        doc["codes"]
    );
}

#[test]
fn burn_from_stdin_keeps_the_secret_off_the_command_line_and_out_of_the_output() {
    let rig = Rig::with_token(SimToken::new(KEEPS_SEED, 0));
    let start = now();
    let run = rig.kiln(
        &["burn", "--secret", "-", "--yes"],
        Some("JBSW Y3DP EHPK 3PXP\n"),
    );
    let end = now();
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert!(run.stdout.contains("Burn complete"), "{}", run.stdout);
    assert!(run.stdout.contains("off and on again"), "{}", run.stdout);
    assert!(run.stdout.contains("kiln verify"), "{}", run.stdout);
    assert!(
        run.stderr.contains("[5/5] Write the seed"),
        "{}",
        run.stderr
    );
    assert_no_secret_printed(&run.all_output(), &["JBSW", "48656c6c6f21"]);

    let token = rig.token();
    let mut extended = SHORT_SEED.to_vec();
    extended.resize(20, 0);
    assert_eq!(token.seed(), Some(extended.as_slice()));
    // Zero-extension does not change the codes (RFC 2104 pads keys with zeros anyway).
    let wall = token.wall_time();
    assert_eq!(
        token.displayed_code(wall).unwrap(),
        code_at(
            &Secret::from_slice(&SHORT_SEED),
            Algorithm::Sha1,
            Period::S30,
            token.device_time_at(wall)
        )
    );
    let printed = run
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("current"))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a current code is printed")
        .to_string();
    let candidates: Vec<String> = (start..=end)
        .map(|t| totp6(&SHORT_SEED, Hash::Sha1, 30, t))
        .collect();
    assert!(
        candidates.contains(&printed),
        "printed {printed}, RFC 6238 says {candidates:?}"
    );
}

#[test]
fn burn_asks_first_and_writes_only_after_yes_to_the_token_it_named() {
    let rig = Rig::with_token(SimToken::new(KEEPS_SEED, 0));
    let run = rig.kiln(&["burn", "--secret", "JBSWY3DPEHPK3PXP"], Some("y\n"));
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert!(
        run.stderr.contains(KEEPS_SEED),
        "the question names the token: {}",
        run.stderr
    );
    assert!(run.stderr.contains("OTPC-P1-i"), "{}", run.stderr);
    // GET INFO to identify, then the burn session.
    assert_eq!(
        instructions(&rig.token()),
        [0x41, 0x41, 0x4B, 0xCE, 0xD4, 0xC5]
    );
}

#[test]
fn burn_declined_at_the_question_writes_nothing() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0));
    let run = rig.kiln(&["burn", "--secret", "JBSWY3DPEHPK3PXP"], Some("n\n"));
    assert_eq!(run.status, 1, "{}", run.all_output());
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let token = rig.token();
    assert_eq!(token.received(), [GET_INFO.to_vec()]);
    assert_eq!(token.seed(), None);
}

#[test]
fn sync_time_on_a_seed_erasing_model_warns_and_erases_the_seed() {
    let old = StoredSettings::default();
    let rig = Rig::with_token(
        SimToken::new(RESTRICTED, 0)
            .with_seed(SHA256_SEED, old)
            .with_clock_offset(3_600),
    );
    let run = rig.kiln(&["sync-time", "--yes", "--reader", READER], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert!(run.stderr.contains("ERASES ITS SEED"), "{}", run.stderr);
    assert!(run.stdout.contains("erased its seed"), "{}", run.stdout);
    let token = rig.token();
    assert_eq!(token.seed(), None);
    assert_eq!(token.displayed_code(token.wall_time()), None);
    assert!(
        (-1..=5).contains(&token.clock_offset()),
        "offset {}",
        token.clock_offset()
    );
}

#[test]
fn sync_time_declined_leaves_the_clock_and_seed_alone() {
    let rig = Rig::with_token(
        SimToken::new(RESTRICTED, 0)
            .with_seed(SHA256_SEED, StoredSettings::default())
            .with_clock_offset(3_600),
    );
    let run = rig.kiln(&["sync-time"], Some("no\n"));
    assert_eq!(run.status, 1, "{}", run.all_output());
    assert!(run.stderr.contains("ERASES ITS SEED"), "{}", run.stderr);
    let token = rig.token();
    assert_eq!(token.seed(), Some(SHA256_SEED));
    assert_eq!(token.clock_offset(), 3_600);
    assert_eq!(token.received(), [GET_INFO.to_vec()]);
}

#[test]
fn sync_time_on_a_model_that_keeps_its_seed_sets_the_clock_only() {
    let settings = StoredSettings {
        hash: Hash::Sha256,
        step_seconds: 60,
        display_code: 3,
    };
    let rig = Rig::with_token(
        SimToken::new(KEEPS_SEED, 0)
            .with_seed(SHA256_SEED, settings)
            .with_clock_offset(-500),
    );
    let run = rig.kiln(
        &[
            "--json",
            "sync-time",
            "--yes",
            "--algorithm",
            "SHA256",
            "--period",
            "60",
            "--display",
            "120",
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["seed_state"], "unchanged");
    assert_eq!(doc["settings_state"], "updated");
    let offset = doc["previous_offset_seconds"].as_i64().unwrap();
    assert!((-506..=-499).contains(&offset), "offset {offset}");
    let token = rig.token();
    assert_eq!(token.seed(), Some(SHA256_SEED));
    assert_eq!(token.settings(), settings);
    assert!(
        (-1..=5).contains(&token.clock_offset()),
        "offset {}",
        token.clock_offset()
    );
    let wall = token.wall_time();
    assert_eq!(
        token.displayed_code(wall).unwrap(),
        code_at(
            &Secret::from_slice(SHA256_SEED),
            Algorithm::Sha256,
            Period::S60,
            token.device_time_at(wall)
        )
    );
}

#[test]
fn token_removed_right_after_the_seed_write_is_an_unknown_outcome() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0));
    rig.token()
        .inject(Ins::WriteSeed, Fault::RemovedAfterExecuting);
    let run = rig.kiln(&["--json", "burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 5, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["outcome"], "unknown");
    assert_eq!(doc["error"]["code"], "outcome_unknown");
    assert_eq!(doc["steps"][4]["status"], "unknown");
    assert_eq!(doc["seed_state"], "new_or_erased");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("cannot tell"), "{doc}");
    assert!(message.contains("The token left the reader"), "{doc}");
    // The token did execute the write before it left.
    let token = rig.token();
    assert_eq!(token.seed(), Some(SHA256_SEED));
    assert!(!token.snapshot().present);
}

#[test]
fn a_status_word_after_the_seed_was_written_is_unknown_not_unchanged() {
    // ISO 7816-4: 65 81 is an execution error *with* memory changed. The simulated token wrote
    // the seed and then answered it; kiln must not say the token is as it was.
    let rig = Rig::with_token(SimToken::new(KEEPS_SEED, 0));
    rig.token()
        .inject(Ins::WriteSeed, Fault::StatusAfterExecuting(0x6581));
    let run = rig.kiln(&["--json", "burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 5, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["outcome"], "unknown");
    assert_eq!(doc["steps"][4]["status"], "unknown");
    assert_eq!(doc["steps"][4]["status_word"], "6581");
    assert_eq!(doc["seed_state"], "new_or_unchanged");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(!message.contains("exactly as it was"), "{doc}");
    assert!(message.contains("6581"), "{doc}");
    assert_eq!(rig.token().seed(), Some(SHA256_SEED));
    drop(rig);

    // A documented refusal (69 82, not authenticated) really leaves the token alone.
    let rig = Rig::with_token(
        SimToken::new(KEEPS_SEED, 0).with_seed(b"0123456789abcdefghij", StoredSettings::default()),
    );
    rig.token().inject(Ins::WriteSeed, Fault::Status(0x6982));
    let run = rig.kiln(&["burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    assert!(
        run.stderr
            .contains("[5/5] Write the seed: refused by the token"),
        "{}",
        run.stderr
    );
    assert_eq!(rig.token().seed(), Some(&b"0123456789abcdefghij"[..]));
}

#[test]
fn token_removed_while_the_seed_was_sent_leaves_a_seed_erasing_model_empty() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0));
    rig.token()
        .inject(Ins::WriteSeed, Fault::RemovedBeforeExecuting);
    let run = rig.kiln(&["burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 5, "{}", run.all_output());
    assert!(
        run.stderr.contains("either the new seed or no seed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("? [5/5] Write the seed: no usable answer"),
        "{}",
        run.stderr
    );
    let token = rig.token();
    // The config write erased the old seed; the new one never arrived.
    assert_eq!(token.seed(), None);
    assert_eq!(token.displayed_code(token.wall_time()), None);
}

#[test]
fn a_refused_authentication_stops_before_any_write() {
    let rig = Rig::with_token(
        SimToken::new(RESTRICTED, 0).with_seed(SHA256_SEED, StoredSettings::default()),
    );
    rig.token()
        .inject(Ins::AnswerChallenge, Fault::Status(0x6983));
    let run = rig.kiln(&["--json", "burn", "--uri", SHA256_LINK, "--yes"], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "auth_refused");
    assert_eq!(doc["seed_state"], "unchanged");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("refused Kiln's authentication"),
        "{doc}"
    );
    let token = rig.token();
    assert_eq!(instructions(&token), [0x41, 0x4B, 0xCE]);
    assert_eq!(token.seed(), Some(SHA256_SEED));
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
