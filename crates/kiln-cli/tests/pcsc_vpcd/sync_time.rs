//! `kiln sync-time`: the clock write, the warning and the seed wipe of the models that lose their
//! seed, and a clock-only write on the models that keep it.

use super::rig::{READER, Rig};
use super::{GET_INFO, KEEPS_SEED, RESTRICTED, SHA256_SEED};
use kiln_core::otp::code_at;
use kiln_core::{Algorithm, Period, Secret};
use kiln_sim::token::{SimToken, StoredSettings};
use kiln_sim::totp::Hash;

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
