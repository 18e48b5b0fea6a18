//! `kiln burn` end to end: what it writes, what it asks first, and what it never prints.

use super::rig::{Rig, now};
use super::{
    GET_INFO, KEEPS_SEED, RESTRICTED, SHA256_LINK, SHA256_SEED, SHORT_SEED,
    assert_no_secret_printed, instructions,
};
use kiln_core::otp::code_at;
use kiln_core::{Algorithm, Period, Secret};
use kiln_sim::token::SimToken;
use kiln_sim::totp::{Hash, totp6};
use serde_json::Value;

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
