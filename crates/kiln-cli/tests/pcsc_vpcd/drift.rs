//! After the burn: `kiln info`'s drift verdict for simulated tokens whose clocks are 0, ±40 and
//! ±200 s off, on a model that loses its seed when the clock is set and one that keeps it, and
//! the repair each model gets: `kiln sync-time` on the one, a re-burn with the same secret on
//! the other.
//!
//! The expected verdicts come from the documented thresholds, not from kiln: within one step
//! `ok`, up to two steps (Microsoft Entra's ±1 min for 30 s tokens, ±2 min for 60 s) `fix`,
//! beyond `refused`. The measured offset may be up to 5 s smaller than the simulated one (the
//! token's clock stands still while kiln runs), which no case here is close enough to a
//! threshold to feel.

use super::rig::{READER, Rig};
use super::{GET_INFO, KEEPS_SEED, RESTRICTED, SHA256_LINK, SHA256_SEED};
use kiln_core::otp::code_at;
use kiln_core::{Algorithm, Period, Secret};
use kiln_sim::token::{SimToken, StoredSettings};
use kiln_sim::totp::{Hash, totp6};

/// The verdict for a 30 s and a 60 s account at each simulated offset.
const CASES: [(i64, &str, &str); 5] = [
    (0, "ok", "ok"),
    (40, "fix", "ok"),
    (-40, "fix", "ok"),
    (200, "refused", "refused"),
    (-200, "refused", "refused"),
];

fn info_clock(rig: &Rig, period: &str) -> serde_json::Value {
    let run = rig.kiln(
        &["--json", "info", "--reader", READER, "--period", period],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    run.json()
}

#[test]
fn info_judges_the_drift_for_the_period_on_both_kinds_of_model() {
    for (serial, repair) in [(RESTRICTED, "reburn"), (KEEPS_SEED, "set_clock")] {
        for (offset, at_30, at_60) in CASES {
            let rig = Rig::with_token(SimToken::new(serial, 0).with_clock_offset(offset));
            for (period, verdict) in [("30", at_30), ("60", at_60)] {
                let doc = info_clock(&rig, period);
                let clock = &doc["clock"];
                assert_eq!(clock["verdict"], verdict, "{serial} {offset} s: {doc}");
                assert_eq!(clock["period"], period.parse::<u64>().unwrap(), "{doc}");
                let measured = clock["offset_seconds"].as_i64().unwrap();
                assert!(
                    (offset - 6..=offset + 1).contains(&measured),
                    "{serial}: simulated {offset} s, measured {measured} s"
                );
                // The existing top-level fields stay.
                assert_eq!(doc["offset_seconds"], clock["offset_seconds"], "{doc}");
                assert_eq!(doc["serial"], serial);
                assert_eq!(doc["repair"], repair, "{doc}");
            }
            // Judging sends GET INFO only.
            assert!(
                rig.token().received().iter().all(|apdu| apdu == &GET_INFO),
                "{serial} {offset} s"
            );
        }
    }
}

#[test]
fn info_says_what_the_clock_was_compared_with_and_the_repair_for_the_model() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0).with_clock_offset(200));
    let run = rig.kiln(&["info", "--reader", READER], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let text = &run.stdout;
    assert!(text.contains("Drift:   refused"), "{text}");
    assert!(text.contains("Against this computer's clock"), "{text}");
    assert!(text.contains("Check this computer's clock first"), "{text}");
    assert!(
        text.contains("Setting the clock of an OTPC-P2-i erases its seed"),
        "{text}"
    );
    assert!(text.contains("`kiln burn` with the same secret"), "{text}");
    drop(rig);

    let rig = Rig::with_token(SimToken::new(KEEPS_SEED, 0).with_clock_offset(-40));
    let run = rig.kiln(&["info", "--reader", READER], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let text = &run.stdout;
    assert!(text.contains("Drift:   fix"), "{text}");
    assert!(
        text.contains("Setting the clock of an OTPC-P1-i keeps its seed"),
        "{text}"
    );
    assert!(text.contains("`kiln sync-time`"), "{text}");

    // In sync: a verdict, no repair.
    drop(rig);
    let rig = Rig::with_token(SimToken::new(KEEPS_SEED, 0));
    let run = rig.kiln(&["info", "--reader", READER], None);
    assert!(run.stdout.contains("Drift:   ok"), "{}", run.stdout);
    assert!(!run.stdout.contains("Repair:"), "{}", run.stdout);
}

#[test]
fn a_seed_keeping_model_is_repaired_by_sync_time_and_keeps_its_account() {
    let settings = StoredSettings::default(); // SHA-1, 30 s
    let rig = Rig::with_token(
        SimToken::new(KEEPS_SEED, 0)
            .with_seed(SHA256_SEED, settings)
            .with_clock_offset(-200),
    );
    let run = rig.kiln(&["sync-time", "--yes", "--reader", READER], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert!(run.stderr.contains("Drift:   refused"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Setting the clock of an OTPC-P1-i keeps its seed"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("ERASES"), "{}", run.stderr);

    let token = rig.token();
    assert_eq!(token.seed(), Some(SHA256_SEED));
    assert!(
        (-1..=5).contains(&token.clock_offset()),
        "{}",
        token.clock_offset()
    );
    let wall = token.wall_time();
    assert_eq!(
        token.displayed_code(wall).unwrap(),
        totp6(SHA256_SEED, Hash::Sha1, 30, token.device_time_at(wall))
    );
    drop(token);

    let doc = info_clock(&rig, "30");
    assert_eq!(doc["clock"]["verdict"], "ok", "{doc}");
}

#[test]
fn a_seed_erasing_model_is_repaired_by_burning_the_same_secret_again() {
    let old = StoredSettings {
        hash: Hash::Sha256,
        step_seconds: 60,
        display_code: 1,
    };
    let rig = Rig::with_token(
        SimToken::new(RESTRICTED, 0)
            .with_seed(SHA256_SEED, old)
            .with_clock_offset(200),
    );

    // sync-time explains that it is not the repair on this model; declined, nothing is written.
    let run = rig.kiln(
        &["sync-time", "--period", "60", "--reader", READER],
        Some("no\n"),
    );
    assert_eq!(run.status, 1, "{}", run.all_output());
    assert!(run.stderr.contains("Drift:   refused"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "This command erases the seed; the repair is `kiln burn` with the same secret"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Setting the clock of an OTPC-P2-i erases its seed"),
        "{}",
        run.stderr
    );
    assert_eq!(rig.token().received(), [GET_INFO.to_vec()]);
    assert_eq!(rig.token().clock_offset(), 200);

    // The repair: the same secret burned again.
    let run = rig.kiln(
        &[
            "--json",
            "burn",
            "--uri",
            SHA256_LINK,
            "--yes",
            "--reader",
            READER,
        ],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_eq!(run.json()["outcome"], "success");

    let token = rig.token();
    assert_eq!(token.seed(), Some(SHA256_SEED), "the same seed");
    let settings = token.settings();
    assert_eq!((settings.hash, settings.step_seconds), (Hash::Sha256, 60));
    assert!(
        (-1..=5).contains(&token.clock_offset()),
        "{}",
        token.clock_offset()
    );
    let wall = token.wall_time();
    let device_time = token.device_time_at(wall);
    let shown = token.displayed_code(wall).unwrap();
    // Two independent RFC 6238 implementations: kiln-sim's and totp-rs (through kiln-core).
    assert_eq!(shown, totp6(SHA256_SEED, Hash::Sha256, 60, device_time));
    assert_eq!(
        shown,
        code_at(
            &Secret::from_slice(SHA256_SEED),
            Algorithm::Sha256,
            Period::S60,
            device_time
        )
    );
    drop(token);

    let doc = info_clock(&rig, "60");
    assert_eq!(doc["clock"]["verdict"], "ok", "{doc}");
}
