//! Readers, connecting, and what the bridge refuses to pass on.

use kiln_sim::token::SimToken;
use serde_json::json;

use super::bridge_support::{Bridge, LOCAL_PAGE};
use super::rig::{READER, Rig, SECOND_READER};
use super::{GET_INFO, SUPPORTED};

#[test]
fn a_paired_page_lists_the_reader_and_connects_to_the_token_after_get_info_only() {
    let rig = Rig::with_token(SimToken::new(SUPPORTED, 0));
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    let reply = page.request(json!({"type": "readers"}));
    let readers = reply["readers"].as_array().unwrap();
    let ours = readers.iter().find(|r| r["name"] == READER).unwrap();
    assert_eq!(ours["card_present"], true, "{reply}");
    assert_eq!(ours["in_use"], false, "{reply}");

    let reply = page.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["type"], "connected", "{reply}");
    assert_eq!(reply["reader"], READER);
    assert_eq!(reply["kind"], "token");
    // PC/SC part 3: an ISO 14443-4 card without historical bytes.
    assert_eq!(reply["atr"], "3b80800101");
    assert_eq!(rig.token().received(), [GET_INFO.to_vec()]);
    let connected = format!("Connected \"{READER}\" for {LOCAL_PAGE}: token {SUPPORTED}");
    bridge.wait_for_stdout(|out| out.contains(&connected).then_some(()));

    // The page's own GET INFO passes and gets the token's answer.
    let reply = page.transmit(&GET_INFO);
    assert_eq!(reply["type"], "reply", "{reply}");
    let answer = hex::decode(reply["apdu"].as_str().unwrap()).unwrap();
    assert_eq!(answer[answer.len() - 2..], [0x90, 0x00]);
    assert!(answer.windows(13).any(|w| w == SUPPORTED.as_bytes()));
    assert_eq!(rig.token().received().len(), 2);

    let reply = page.request(json!({"type": "disconnect"}));
    assert_eq!(reply["type"], "disconnected");
    let reply = page.transmit(&GET_INFO);
    assert_eq!(reply["error"], "not_connected", "{reply}");
}

#[test]
fn commands_outside_the_token2_set_are_refused_logged_and_never_reach_the_token() {
    let rig = Rig::with_token(SimToken::new(SUPPORTED, 0));
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    assert_eq!(
        page.request(json!({"type": "connect", "reader": READER}))["type"],
        "connected"
    );
    let refused: [(&[u8], &str); 4] = [
        // SELECT of a payment application (Visa credit/debit AID).
        (
            &[
                0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10, 0x00,
            ],
            "CLA=00 INS=A4",
        ),
        // An instruction no Token2 document names.
        (&[0x80, 0x99, 0x00, 0x00, 0x00], "CLA=80 INS=99"),
        // A Molto2 command (DELETE SEED) sent to a single-profile token.
        (&[0x80, 0xE6, 0x00, 0x01, 0x00], "CLA=80 INS=E6"),
        // WRITE SEED with a length that is not the spec's.
        (
            &[0x84, 0xC5, 0x01, 0x00, 0x03, 0x01, 0x02, 0x03],
            "CLA=84 INS=C5",
        ),
    ];
    for (apdu, header) in refused {
        let reply = page.transmit(apdu);
        assert_eq!(reply["error"], "refused_command", "{reply}");
        assert_eq!(reply["not_sent"], true, "{reply}");
        bridge.wait_for_stderr(&format!("refused command {header} from {LOCAL_PAGE}"));
    }
    // The body is not in the log.
    assert!(
        !bridge.stderr().contains("A0000000031010"),
        "{}",
        bridge.stderr()
    );
    assert_eq!(rig.token().received(), [GET_INFO.to_vec()]);
}

#[test]
fn a_card_with_an_unknown_serial_gets_nothing_but_get_info_and_is_released() {
    let rig = Rig::with_token(SimToken::new("1234567890123", 0));
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    for _ in 0..2 {
        let reply = page.request(json!({"type": "connect", "reader": READER}));
        assert_eq!(reply["error"], "unsupported_token", "{reply}");
        assert!(reply["message"].as_str().unwrap().contains("1234567890123"));
    }
    let reply = page.transmit(&GET_INFO);
    assert_eq!(reply["error"], "not_connected", "{reply}");
    assert_eq!(
        rig.token().received(),
        [GET_INFO.to_vec(), GET_INFO.to_vec()]
    );
}

#[test]
fn a_contact_card_is_not_connected_and_gets_no_command() {
    let rig = Rig::empty().with_second_contact_card();
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    let reply = page.request(json!({"type": "connect", "reader": SECOND_READER}));
    assert_eq!(reply["error"], "not_contactless", "{reply}");
    assert_eq!(rig.contact_card_apdus(), 0);
    // An empty reader, and a reader that does not exist.
    let reply = page.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["error"], "no_card", "{reply}");
    let reply = page.request(json!({"type": "connect", "reader": "Virtual PCD 00 07"}));
    assert_eq!(reply["error"], "no_reader", "{reply}");
}

#[test]
fn one_page_at_a_time_per_reader() {
    let rig = Rig::with_token(SimToken::new(SUPPORTED, 0));
    let bridge = Bridge::start(&[]);
    let mut first = bridge.paired_page();
    let mut second = bridge.paired_page();
    assert_eq!(
        first.request(json!({"type": "connect", "reader": READER}))["type"],
        "connected"
    );
    let reply = second.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["error"], "reader_busy", "{reply}");
    let in_use = |page: &mut super::bridge_support::Page| {
        let reply = page.request(json!({"type": "readers"}));
        reply["readers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == READER)
            .unwrap()["in_use"]
            .clone()
    };
    assert_eq!(in_use(&mut second), true);
    assert_eq!(
        in_use(&mut first),
        false,
        "not in use for the page holding it"
    );
    let reply = second.transmit(&GET_INFO);
    assert_eq!(reply["error"], "not_connected", "{reply}");

    // Closing the first page's WebSocket frees the reader.
    first.socket.close(None).unwrap();
    while first.receive().is_some() {}
    bridge.wait_for_stdout(|out| out.contains("Released \"Virtual PCD 00 00\"").then_some(()));
    let reply = second.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["type"], "connected", "{reply}");
    assert_eq!(
        rig.token().received(),
        [GET_INFO.to_vec(), GET_INFO.to_vec()]
    );
}

#[test]
fn an_expired_session_frees_its_reader_for_the_next_page() {
    let rig = Rig::with_token(SimToken::new(SUPPORTED, 0));
    let bridge = Bridge::start(&["--session-timeout", "2"]);
    let mut idle = bridge.paired_page();
    assert_eq!(
        idle.request(json!({"type": "connect", "reader": READER}))["type"],
        "connected"
    );
    // The idle page's reader is released by the bridge itself, without a message from it.
    bridge.wait_for_stdout(|out| out.contains("ended: idle for 2 s").then_some(()));
    bridge.wait_for_stdout(|out| out.contains("(the pairing ended)").then_some(()));
    let reply = idle.transmit(&GET_INFO);
    assert_eq!(reply["error"], "session_expired", "{reply}");
    let mut next = bridge.paired_page();
    let reply = next.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["type"], "connected", "{reply}");
    assert_eq!(
        rig.token().received(),
        [GET_INFO.to_vec(), GET_INFO.to_vec()]
    );
}
