//! A burn the token interrupts (removed, an unexpected status word, a refused authentication):
//! the outcome is never rosier than what the token acknowledged.

use super::rig::Rig;
use super::{KEEPS_SEED, RESTRICTED, SHA256_LINK, SHA256_SEED, instructions};
use kiln_sim::token::{Fault, Ins, SimToken, StoredSettings};

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
