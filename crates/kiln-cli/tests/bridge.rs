//! `kiln bridge` without a reader: who may connect (Origin, Host), pairing, sessions and their
//! expiry, against the real binary with a real WebSocket client. The reader and token side is
//! in `bridge_vpcd/` (pcscd + vpcd + kiln-sim).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

#[path = "bridge_support/mod.rs"]
mod bridge_support;

use std::thread;
use std::time::Duration;

use bridge_support::{Bridge, LOCAL_PAGE};
use serde_json::json;

fn upgrade_request(port: u16, host: &str, origin: &str) -> String {
    format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    .replace("PORT", &port.to_string())
}

#[test]
fn a_page_from_another_origin_is_refused_with_403_before_the_upgrade() {
    let bridge = Bridge::start(&[]);
    match bridge.try_page(Some("https://evil.example")) {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        Err(other) => panic!("expected an HTTP 403, got {other}"),
        Ok(_) => panic!("the bridge upgraded a page from another origin"),
    }
    bridge.wait_for_stderr(
        "refused a page from https://evil.example: not allowed (start the bridge with \
         --allow-origin https://evil.example)",
    );
    // No Origin at all, or the opaque "null" of a file:// page or a sandboxed frame.
    for origin in [None, Some("null"), Some("http://127.0.0.1:8081")] {
        assert!(
            matches!(bridge.try_page(origin), Err(tungstenite::Error::Http(r)) if r.status() == 403),
            "{origin:?}"
        );
    }
    // Raw: no 101, no Sec-WebSocket-Accept.
    let answer = bridge.raw_http(&upgrade_request(
        bridge.port,
        "127.0.0.1:PORT",
        "http://evil.example",
    ));
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    assert!(
        !answer.to_lowercase().contains("sec-websocket-accept"),
        "{answer}"
    );
}

#[test]
fn only_the_given_origins_are_allowed_and_they_replace_the_defaults() {
    let bridge = Bridge::start(&[
        "--allow-origin",
        "https://Kiln.Example.org/",
        "--allow-origin",
        "http://10.0.0.5:9000",
    ]);
    let stdout = bridge.stdout();
    assert!(
        stdout.contains("Allowed pages: https://kiln.example.org, http://10.0.0.5:9000"),
        "{stdout}"
    );
    assert!(bridge.try_page(Some("https://kiln.example.org")).is_ok());
    assert!(bridge.try_page(Some("http://10.0.0.5:9000")).is_ok());
    assert!(bridge.try_page(Some(LOCAL_PAGE)).is_err());
}

#[test]
fn a_request_for_another_host_name_is_refused_against_dns_rebinding() {
    let bridge = Bridge::start(&[]);
    for host in ["rebind.evil.example:PORT", "127.0.0.1:1", "localhost"] {
        let answer = bridge.raw_http(&upgrade_request(bridge.port, host, LOCAL_PAGE));
        assert!(answer.starts_with("HTTP/1.1 403"), "{host}: {answer}");
        assert!(
            !answer.to_lowercase().contains("sec-websocket-accept"),
            "{answer}"
        );
    }
    bridge.wait_for_stderr("refused a request for host \"rebind.evil.example:");
    // /hello too: a rebound page learns nothing.
    let answer = bridge.raw_http("GET /hello HTTP/1.1\r\nHost: rebind.evil.example\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    // The loopback names are fine.
    let answer = bridge.raw_http(&upgrade_request(bridge.port, "LOCALHOST:PORT", LOCAL_PAGE));
    assert!(answer.starts_with("HTTP/1.1 101"), "{answer}");
}

#[test]
fn hello_tells_any_page_whether_its_origin_is_allowed_and_nothing_else() {
    let bridge = Bridge::start(&[]);
    let hello = |origin: &str| {
        bridge.raw_http(&format!(
            "GET /hello HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: {origin}\r\n\r\n",
            bridge.port
        ))
    };
    let allowed = hello(LOCAL_PAGE);
    assert!(allowed.starts_with("HTTP/1.1 200"), "{allowed}");
    assert!(
        allowed.contains("Access-Control-Allow-Origin: *"),
        "{allowed}"
    );
    assert!(
        allowed.ends_with(r#"{"kiln_bridge":1,"origin_allowed":true}"#),
        "{allowed}"
    );
    let refused = hello("https://evil.example");
    assert!(
        refused.ends_with(r#"{"kiln_bridge":1,"origin_allowed":false}"#),
        "{refused}"
    );
    assert!(!refused.contains(&bridge.code()), "{refused}");
}

#[test]
fn nothing_but_pairing_works_before_pairing() {
    let bridge = Bridge::start(&[]);
    let mut page = bridge.page(LOCAL_PAGE);
    for message in [
        json!({"type": "readers"}),
        json!({"type": "connect", "reader": "Virtual PCD 00 00"}),
        json!({"type": "transmit", "apdu": "80410000020211"}),
        json!({"type": "readers", "session": "00112233445566778899aabbccddeeff"}),
    ] {
        let reply = page.request(message.clone());
        assert_eq!(reply["type"], "error", "{message}: {reply}");
        assert_eq!(reply["error"], "not_paired", "{message}: {reply}");
        assert!(reply["message"].as_str().unwrap().contains("pairing code"));
    }
}

#[test]
fn a_code_pairs_one_page_and_the_next_page_needs_the_next_code() {
    let bridge = Bridge::start(&[]);
    let first = bridge.code();
    let mut page = bridge.page(LOCAL_PAGE);
    let reply = page.pair(&format!("{} {}", &first[..3], &first[3..]));
    assert_eq!(reply["type"], "paired", "{reply}");
    assert_eq!(reply["idle_timeout_seconds"], 600);
    let session = reply["session"].as_str().unwrap();
    assert_eq!(session.len(), 32);
    assert!(session.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(
        !bridge.stdout().contains(session),
        "the token is never printed"
    );
    let second = bridge.next_code(&first);
    assert!(
        bridge
            .stdout()
            .contains("Paired a page from http://127.0.0.1:8080")
    );
    assert!(bridge.stdout().contains("Pairing code for the next page: "));

    // Another page: the used code is wrong, the new one works.
    let mut other = bridge.page("http://localhost:8080");
    assert_eq!(other.pair(&first)["error"], "wrong_code");
    let reply = other.pair(&second);
    assert_eq!(reply["type"], "paired", "{reply}");
    assert_ne!(reply["session"], json!(session));
    // A session belongs to its connection: the first page's token does not work here.
    let reply = other.request(json!({"type": "readers", "session": session}));
    assert_eq!(reply["error"], "not_paired", "{reply}");
}

#[test]
fn three_wrong_codes_close_the_connection() {
    let bridge = Bridge::start(&[]);
    let right = bridge.code();
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    };
    let mut page = bridge.page(LOCAL_PAGE);
    assert_eq!(page.pair(wrong)["error"], "wrong_code");
    assert_eq!(page.pair("")["error"], "wrong_code");
    let reply = page.pair(wrong);
    assert_eq!(reply["error"], "too_many_attempts", "{reply}");
    assert!(page.receive().is_none(), "the bridge closed the connection");
    // The code itself still works for a new connection (3 < 10 wrong in total).
    let mut next = bridge.page(LOCAL_PAGE);
    assert_eq!(next.pair(&right)["type"], "paired");
}

#[test]
fn ten_wrong_codes_in_total_replace_the_code() {
    let bridge = Bridge::start(&[]);
    let right = bridge.code();
    let wrong = if right == "000000" {
        "000001"
    } else {
        "000000"
    };
    for attempts in [3, 3, 3, 1] {
        let mut page = bridge.page(LOCAL_PAGE);
        for _ in 0..attempts {
            page.pair(wrong);
        }
    }
    let replaced = bridge.next_code(&right);
    assert!(
        bridge.stdout().contains("Too many wrong pairing codes"),
        "{}",
        bridge.stdout()
    );
    let mut page = bridge.page(LOCAL_PAGE);
    assert_eq!(page.pair(&right)["error"], "wrong_code");
    assert_eq!(page.pair(&replaced)["type"], "paired");
}

#[test]
fn an_idle_session_expires_and_the_page_must_pair_again() {
    let bridge = Bridge::start(&["--session-timeout", "2"]);
    let mut page = bridge.paired_page();
    // Activity keeps it alive.
    for _ in 0..3 {
        thread::sleep(Duration::from_millis(1200));
        let reply = page.request(json!({"type": "disconnect"}));
        assert_eq!(reply["type"], "disconnected", "{reply}");
    }
    thread::sleep(Duration::from_millis(2600));
    let reply = page.request(json!({"type": "readers"}));
    assert_eq!(reply["error"], "session_expired", "{reply}");
    bridge.wait_for_stdout(|out| out.contains("ended: idle for 2 s").then_some(()));
    let reply = page.request(json!({"type": "disconnect"}));
    assert_eq!(reply["error"], "session_expired", "{reply}");
    // A new code pairs again.
    let code = bridge.code();
    assert_eq!(page.pair(&code)["type"], "paired");
    assert_eq!(
        page.request(json!({"type": "disconnect"}))["type"],
        "disconnected"
    );
}

#[test]
fn malformed_messages_are_bad_requests_and_transmit_needs_a_card() {
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    let reply = page.request(json!({"type": "format-the-card"}));
    assert_eq!(reply["error"], "bad_request", "{reply}");
    let reply = page.request(json!({"type": "transmit", "apdu": "zz"}));
    assert_eq!(reply["error"], "bad_request", "{reply}");
    let reply = page.transmit(&[0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11]);
    assert_eq!(reply["error"], "not_connected", "{reply}");
    page.socket
        .send(tungstenite::Message::text("{not json"))
        .unwrap();
    let reply = page.receive().unwrap();
    assert_eq!(
        (reply["id"].clone(), reply["error"].clone()),
        (json!(null), json!("bad_request"))
    );
}

#[test]
fn a_connection_that_never_pairs_is_closed_after_the_session_timeout() {
    let bridge = Bridge::start(&["--session-timeout", "2"]);
    let mut page = bridge.page(LOCAL_PAGE);
    let started = std::time::Instant::now();
    assert!(page.receive().is_none(), "the bridge closes the socket");
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(1900)..Duration::from_secs(6)).contains(&waited),
        "closed after {waited:?}"
    );
}

#[test]
fn an_expired_connection_is_closed_after_another_session_timeout() {
    let bridge = Bridge::start(&["--session-timeout", "2"]);
    let mut page = bridge.paired_page();
    let started = std::time::Instant::now();
    // Nothing sent: the bridge expires the session, then closes the socket.
    assert!(page.receive().is_none(), "the bridge closes the socket");
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(3900)..Duration::from_secs(9)).contains(&waited),
        "closed after {waited:?}"
    );
    assert!(
        bridge.stdout().contains("ended: idle for 2 s"),
        "{}",
        bridge.stdout()
    );
}
