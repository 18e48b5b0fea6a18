//! The page's side of the Kiln bridge protocol, without a bridge: the hand-written JSON reader
//! and writer (the app carries no serde_json), the messages, and the start command shown to the
//! user. Expectations come from RFC 8259 and the bridge protocol text, not from the code.
//! Run by wasm-bindgen-test in headless Chromium (scripts/test.sh phase `wasm`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::link::{LinkError, LinkFault};
use kiln_web::platform::bridge::json::{self, Json, ObjectWriter};
use kiln_web::platform::bridge::message::{self, Reply, Request};
use kiln_web::platform::bridge::{BridgeError, ReaderEntry, TokenKind, start_command};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The browser's own JSON.parse, as the independent reading of what we wrote.
fn js_parse(text: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn js_get(value: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn written_strings_survive_the_browsers_json_parse_whatever_they_contain() {
    let nasty = "quote \" backslash \\ slash / newline \n tab \t nul \u{0} bell \u{7} \
                 unit sep \u{1f} del \u{7f} line sep \u{2028} emoji 🔑 é";
    let text = ObjectWriter::new()
        .number("id", 7)
        .string("reader", nasty)
        .finish();
    let parsed = js_parse(&text);
    assert_eq!(js_get(&parsed, "reader").as_string().unwrap(), nasty);
    assert_eq!(js_get(&parsed, "id").as_f64().unwrap(), 7.0);
    // Raw control characters never appear in the frame.
    assert!(!text.chars().any(|c| (c as u32) < 0x20), "{text:?}");
    // And our own reader gives the same string back.
    assert_eq!(
        json::parse(&text).unwrap().get("reader").unwrap().as_str(),
        Some(nasty)
    );
}

#[wasm_bindgen_test]
fn an_empty_object_is_written_as_braces() {
    assert_eq!(ObjectWriter::new().finish(), "{}");
}

#[wasm_bindgen_test]
fn the_reader_follows_rfc_8259_for_every_kind_of_value() {
    let value = json::parse(
        r#" { "a" : [ 1, -2.5e3, 0, true, false, null, "x\u00e9\ud83d\udd11\n" ], "b": {} } "#,
    )
    .unwrap();
    let items = value.get("a").unwrap().as_array().unwrap();
    assert_eq!(items[0].as_u64(), Some(1));
    assert!(matches!(&items[1], Json::Number(n) if n == "-2.5e3"));
    assert_eq!(items[2].as_u64(), Some(0));
    assert_eq!(items[3].as_bool(), Some(true));
    assert_eq!(items[4].as_bool(), Some(false));
    assert_eq!(items[5], Json::Null);
    assert_eq!(items[6].as_str(), Some("xé🔑\n"));
    assert_eq!(value.get("b"), Some(&Json::Object(vec![])));
}

#[wasm_bindgen_test]
fn malformed_json_is_refused_not_guessed() {
    for bad in [
        "",
        "{",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{'a':1}",
        "01",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "tru",
        "nul",
        "\"unterminated",
        "\"raw\ncontrol\"",
        "\"bad escape \\x\"",
        "\"short \\u12\"",
        "\"lone high \\ud83d\"",
        "\"high then not low \\ud83d\\u0041\"",
        "{} extra",
        "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
    ] {
        assert!(json::parse(bad).is_err(), "accepted {bad:?}");
        // The browser agrees these are not JSON, except the deep one (valid, but deeper than
        // any bridge message) and lone surrogates (a JavaScript string may hold one; a Rust
        // string cannot, so they are refused rather than replaced).
        if !bad.starts_with("[[[[") && !bad.contains("\\ud83d") {
            assert!(js_sys::JSON::parse(bad).is_err(), "browser accepts {bad:?}");
        }
    }
}

#[wasm_bindgen_test]
fn numbers_outside_whole_safe_integers_are_not_ids() {
    for (text, expected) in [
        ("1", Some(1)),
        ("9007199254740992", Some(9_007_199_254_740_992)),
        ("1.5", None),
        ("-1", None),
        ("1e300", None),
        ("9007199254740993", None),
        ("18446744073709551616", None),
    ] {
        assert_eq!(json::parse(text).unwrap().as_u64(), expected, "{text}");
    }
}

#[wasm_bindgen_test]
fn requests_are_the_protocols_frames() {
    let pair = Request::Pair { code: "482913" }.encode(1, None);
    let parsed = js_parse(&pair);
    assert_eq!(js_get(&parsed, "id").as_f64(), Some(1.0));
    assert_eq!(js_get(&parsed, "type").as_string().unwrap(), "pair");
    assert_eq!(js_get(&parsed, "code").as_string().unwrap(), "482913");
    assert!(js_get(&parsed, "session").is_undefined());

    let session = "0123456789abcdef0123456789abcdef";
    let transmit = Request::Transmit {
        apdu: &[0x80, 0x41, 0x00, 0x00, 0x00],
    }
    .encode(4, Some(session));
    let parsed = js_parse(&transmit);
    assert_eq!(js_get(&parsed, "type").as_string().unwrap(), "transmit");
    assert_eq!(js_get(&parsed, "session").as_string().unwrap(), session);
    assert_eq!(
        js_get(&parsed, "apdu")
            .as_string()
            .unwrap()
            .to_ascii_uppercase(),
        "8041000000"
    );

    let connect = Request::Connect {
        reader: "ACS ACR122U \"PICC\" 00 00",
    }
    .encode(3, Some(session));
    let parsed = js_parse(&connect);
    assert_eq!(
        js_get(&parsed, "reader").as_string().unwrap(),
        "ACS ACR122U \"PICC\" 00 00"
    );
    for (request, kind) in [
        (Request::Readers, "readers"),
        (Request::Disconnect, "disconnect"),
    ] {
        let parsed = js_parse(&request.encode(9, Some(session)));
        assert_eq!(js_get(&parsed, "type").as_string().unwrap(), kind);
        assert_eq!(js_get(&parsed, "session").as_string().unwrap(), session);
    }
}

#[wasm_bindgen_test]
fn replies_are_read_with_their_id() {
    assert_eq!(
        message::decode(
            r#"{"id":1,"type":"paired","session":"00ff00ff00ff00ff00ff00ff00ff00ff","idle_timeout_seconds":600}"#
        ),
        Some((
            1,
            Reply::Paired {
                session: "00ff00ff00ff00ff00ff00ff00ff00ff".into(),
                idle_timeout_seconds: 600
            }
        ))
    );
    assert_eq!(
        message::decode(
            r#"{"id":2,"type":"readers","readers":[{"name":"Virtual PCD 00 00","card_present":true,"in_use":false},{"name":"ACS \u00e9","card_present":false,"in_use":true}]}"#
        ),
        Some((
            2,
            Reply::Readers(vec![
                ReaderEntry {
                    name: "Virtual PCD 00 00".into(),
                    card_present: true,
                    in_use: false
                },
                ReaderEntry {
                    name: "ACS é".into(),
                    card_present: false,
                    in_use: true
                },
            ])
        ))
    );
    assert_eq!(
        message::decode(
            r#"{"id":3,"type":"connected","reader":"R","atr":"3B8180018080","kind":"molto2"}"#
        ),
        Some((
            3,
            Reply::Connected {
                reader: "R".into(),
                kind: TokenKind::Molto2
            }
        ))
    );
    assert_eq!(
        message::decode(r#"{"id":4,"type":"reply","apdu":"01ab9000"}"#),
        Some((4, Reply::Apdu(vec![0x01, 0xAB, 0x90, 0x00])))
    );
    assert_eq!(
        message::decode(
            r#"{"id":5,"type":"error","error":"card_removed","message":"The token left."}"#
        ),
        Some((
            5,
            Reply::Error {
                code: "card_removed".into(),
                message: "The token left.".into(),
                not_sent: false
            }
        ))
    );
    assert_eq!(
        message::decode(
            r#"{"id":7,"type":"error","error":"transmit_failed","message":"m","not_sent":true}"#
        ),
        Some((
            7,
            Reply::Error {
                code: "transmit_failed".into(),
                message: "m".into(),
                not_sent: true
            }
        ))
    );
    assert_eq!(
        message::decode(r#"{"id":6,"type":"disconnected"}"#),
        Some((6, Reply::Disconnected))
    );
}

#[wasm_bindgen_test]
fn replies_that_break_the_protocol_are_dropped() {
    for bad in [
        r#"{"type":"disconnected"}"#,                             // no id
        r#"{"id":"1","type":"disconnected"}"#,                    // id not a number
        r#"{"id":1,"type":"reply","apdu":"9"}"#,                  // odd hex
        r#"{"id":1,"type":"reply","apdu":"zz00"}"#,               // not hex
        r#"{"id":1,"type":"reply","apdu":"90"}"#,                 // no status word
        r#"{"id":1,"type":"connected","reader":"R","kind":"x"}"#, // unknown kind
        r#"{"id":1,"type":"readers","readers":[{"name":"R"}]}"#,  // missing fields
        r#"{"id":1,"type":"surprise"}"#,
        "not json",
    ] {
        assert_eq!(message::decode(bad), None, "accepted {bad}");
    }
}

#[wasm_bindgen_test]
fn the_start_command_names_this_origin_only_when_the_bridge_would_refuse_it() {
    assert_eq!(start_command("http://127.0.0.1:8080", 47231), "kiln bridge");
    assert_eq!(start_command("http://localhost:8080", 47231), "kiln bridge");
    assert_eq!(
        start_command("https://kiln.example.org", 47231),
        "kiln bridge --allow-origin https://kiln.example.org"
    );
    assert_eq!(
        start_command("http://127.0.0.1:8081", 47300),
        "kiln bridge --allow-origin http://127.0.0.1:8081 --port 47300"
    );
}

#[wasm_bindgen_test]
fn a_failed_transmit_is_unknown_unless_the_bridge_knows_it_was_not_sent() {
    // The token may have executed a command that lost its reply: a write is then "unknown".
    assert_eq!(
        BridgeError::during_transmit("card_removed", "", false),
        LinkError::NoReply(LinkFault::TokenRemoved)
    );
    assert!(matches!(
        BridgeError::during_transmit("transmit_failed", "x", false),
        LinkError::NoReply(_)
    ));
    // PC/SC said it never left the computer.
    assert_eq!(
        BridgeError::during_transmit("card_removed", "", true),
        LinkError::NotSent(LinkFault::TokenRemoved)
    );
    // Refused or unpaired requests are checked before anything is sent.
    for code in [
        "refused_command",
        "not_connected",
        "session_expired",
        "bad_request",
    ] {
        assert!(
            matches!(
                BridgeError::during_transmit(code, "", false),
                LinkError::NotSent(_)
            ),
            "{code}"
        );
    }
}
