//! Which reader kiln uses without `--reader`, through pcscd with both vpcd slots: only the one
//! reader with a contactless card (PC/SC part 3 ATR), never a contact card; otherwise it lists
//! the readers with what is on each and asks for `--reader`.

use kiln_sim::token::SimToken;

use crate::contact_card::CONTACT_ATR;
use crate::rig::{READER, Rig, SECOND_READER};
use crate::{GET_INFO, KEEPS_SEED, RESTRICTED};

#[test]
fn the_token_on_the_second_reader_is_found_without_the_reader_option() {
    let (rig, token) = Rig::empty().with_second_token(SimToken::new(KEEPS_SEED, 0));
    let run = rig.kiln(&["--json", "info"], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["reader"], SECOND_READER, "{doc}");
    assert_eq!(doc["serial"], KEEPS_SEED, "{doc}");
    assert_eq!(token.lock().unwrap().received(), [GET_INFO.to_vec()]);
}

#[test]
fn tokens_on_two_readers_need_the_reader_option_and_nothing_is_sent_before() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0));
    let (rig, second) = rig.with_second_token(SimToken::new(KEEPS_SEED, 0));
    let run = rig.kiln(&["--json", "info"], None);
    assert_eq!(run.status, 2, "{}", run.all_output());
    let error = &run.json()["error"];
    assert_eq!(error["code"], "several_cards", "{error}");
    let message = error["message"].as_str().unwrap();
    let listed = format!("\"{READER}\" (contactless card), \"{SECOND_READER}\" (contactless card)");
    assert!(message.contains(&listed), "{message}");
    assert!(message.contains("--reader NAME"), "{message}");
    assert!(rig.token().received().is_empty());
    assert!(second.lock().unwrap().received().is_empty());

    let run = rig.kiln(&["--json", "info", "--reader", "00 01"], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_eq!(run.json()["serial"], KEEPS_SEED);
    assert!(rig.token().received().is_empty());
}

#[test]
fn a_contact_card_is_never_taken_for_the_token() {
    let rig = Rig::empty().with_second_contact_card();
    let run = rig.kiln(&["--json", "readers"], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    let second = doc["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == SECOND_READER)
        .cloned()
        .unwrap();
    assert_eq!(second["atr"], hex::encode_upper(CONTACT_ATR), "{doc}");
    assert_eq!(second["card"], "other", "{doc}");

    let run = rig.kiln(&["--json", "info"], None);
    assert_eq!(run.status, 4, "{}", run.all_output());
    let error = &run.json()["error"];
    assert_eq!(error["code"], "no_card", "{error}");
    let message = error["message"].as_str().unwrap();
    let listed = format!(
        "Readers: \"{READER}\" (empty), \"{SECOND_READER}\" (contact or other card, not a token)."
    );
    assert!(message.contains(&listed), "{message}");
    assert!(message.contains("--reader NAME"), "{message}");
    assert_eq!(rig.contact_card_apdus(), 0);
}

#[test]
fn the_token_is_chosen_over_a_contact_card_in_another_reader() {
    let rig = Rig::with_token(SimToken::new(RESTRICTED, 0)).with_second_contact_card();
    let run = rig.kiln(&["--json", "info"], None);
    assert_eq!(run.status, 0, "{}", run.all_output());
    let doc = run.json();
    assert_eq!(doc["reader"], READER, "{doc}");
    assert_eq!(doc["serial"], RESTRICTED, "{doc}");
    assert_eq!(rig.contact_card_apdus(), 0);
}
