//! A whole burn over the bridge: kiln-core's burn session (as the web app runs it) through a
//! tiny `Link` that speaks the bridge's protocol, against the simulated token behind pcscd.
//! The token's seed and display are then checked with kiln-sim's independent RFC 6238 code,
//! and everything the bridge printed (with `--debug`) is searched for the secret.

use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::otp::code_at;
use kiln_core::session_runner::run_session;
use kiln_core::token::crypto::DEVICE_KEY;
use kiln_core::token::seed::SeedBytes;
use kiln_core::token::{Outcome, Session, TokenSettings};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret};
use kiln_sim::token::{Fault, Ins, SimToken};
use kiln_sim::totp::{Hash, totp6};
use serde_json::json;

use super::SUPPORTED;
use super::bridge_support::{Bridge, Page};
use super::rig::{READER, Rig, now};

/// ASCII "12345678901234567890" (RFC 6238's SHA-1 key), as Base32 and hex too.
const SEED: &[u8] = b"12345678901234567890";
const SEED_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const SEED_HEX: &str = "3132333435363738393031323334353637383930";

/// kiln-core's `Link` over the bridge's `transmit` message.
struct BridgeLink<'a>(&'a mut Page);

impl Link for BridgeLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        let reply = self.0.transmit(apdu);
        if reply["type"] == "reply" {
            return Ok(hex::decode(reply["apdu"].as_str().unwrap()).unwrap());
        }
        let fault = LinkFault::Reader(reply["message"].as_str().unwrap_or("").to_string());
        if reply["not_sent"] == true {
            Err(LinkError::NotSent(fault))
        } else {
            Err(LinkError::NoReply(fault))
        }
    }
}

#[test]
fn a_burn_through_the_bridge_leaves_the_token_showing_rfc_6238_codes_and_prints_no_secret() {
    let rig = Rig::with_token(SimToken::new(SUPPORTED, 0).with_clock_offset(-300));
    let bridge = Bridge::start(&["--debug"]);
    let mut page = bridge.paired_page();
    let reply = page.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["type"], "connected", "{reply}");

    rig.token().set_wall_time(now());
    let secret = Secret::from_slice(SEED);
    let settings = TokenSettings {
        algorithm: Algorithm::Sha1,
        period: Period::S30,
        display: DisplayTimeout::S30,
    };
    let session = Session::burn(&secret, settings).unwrap();
    let clock = now;
    let report = pollster::block_on(run_session(
        session,
        &mut BridgeLink(&mut page),
        &clock,
        |_| {},
    ));
    assert_eq!(report.outcome(), Outcome::Success, "{report:?}");

    let token = rig.token();
    let mut extended = SEED.to_vec();
    extended.resize(20, 0);
    assert_eq!(token.seed(), Some(extended.as_slice()));
    assert!(
        (-1..=5).contains(&token.clock_offset()),
        "the burn set the clock: offset {}",
        token.clock_offset()
    );
    let wall = token.wall_time();
    let device_time = token.device_time_at(wall);
    let shown = token.displayed_code(wall).unwrap();
    assert_eq!(shown, totp6(SEED, Hash::Sha1, 30, device_time));
    assert_eq!(
        shown,
        code_at(&secret, Algorithm::Sha1, Period::S30, device_time)
    );
    // GET INFO (bridge), then the session: GET INFO, GET CHALLENGE, ANSWER, CONFIG, SEED.
    let instructions: Vec<u8> = token.received().iter().map(|apdu| apdu[1]).collect();
    assert_eq!(instructions, [0x41, 0x41, 0x4B, 0xCE, 0xD4, 0xC5]);
    drop(token);

    // The debug log names the seed write, but never its body, nor the seed in any form.
    let stdout = bridge.stdout();
    assert!(stdout.contains("> 84C50100"), "{stdout}");
    assert!(stdout.contains("** ("), "{stdout}");
    let write_seed =
        kiln_core::token::apdu::write_seed(&DEVICE_KEY, &SeedBytes::new(&secret).unwrap());
    let body = &write_seed.bytes()[5..];
    let text = bridge.all_output().to_uppercase();
    for secret_text in [
        SEED_BASE32.to_string(),
        SEED_HEX.to_uppercase(),
        hex::encode_upper(&body[..16]),
        hex::encode_upper(&body[body.len() - 4..]),
    ] {
        assert!(
            !text.contains(&secret_text),
            "{secret_text} printed:\n{text}"
        );
    }
    let bytes = bridge.all_bytes();
    assert!(
        !bytes.windows(SEED.len()).any(|w| w == SEED),
        "raw seed bytes printed"
    );
    assert!(
        !bytes.windows(16).any(|w| w == &body[..16]),
        "raw encrypted seed printed"
    );
}

#[test]
fn a_token_removed_during_the_seed_write_is_card_removed_and_the_burn_is_unknown() {
    let rig = Rig::with_token(SimToken::new(SUPPORTED, 0));
    rig.token()
        .inject(Ins::WriteSeed, Fault::RemovedAfterExecuting);
    let bridge = Bridge::start(&[]);
    let mut page = bridge.paired_page();
    let reply = page.request(json!({"type": "connect", "reader": READER}));
    assert_eq!(reply["type"], "connected", "{reply}");
    rig.token().set_wall_time(now());

    let secret = Secret::from_slice(SEED);
    let session = Session::burn(&secret, TokenSettings::default()).unwrap();
    let mut last_error = None;
    let report = pollster::block_on(run_session(
        session,
        &mut RecordingLink(&mut page, &mut last_error),
        &now,
        |_| {},
    ));
    // The token executed the write and then left: never "success", never "nothing written".
    assert_eq!(report.outcome(), Outcome::Unknown, "{report:?}");
    let error = last_error.expect("the seed write failed");
    assert_eq!(error["error"], "card_removed", "{error}");
    assert!(
        error.get("not_sent").is_none(),
        "it may have reached the token: {error}"
    );
    assert_eq!(rig.token().seed().map(<[u8]>::len), Some(20));
    // The reader is released: the page must connect again.
    bridge.wait_for_stdout(|out| out.contains("token left the reader").then_some(()));
    let reply = page.transmit(&super::GET_INFO);
    assert_eq!(reply["error"], "not_connected", "{reply}");
}

/// Like [`BridgeLink`], keeping the last error reply.
struct RecordingLink<'a>(&'a mut Page, &'a mut Option<serde_json::Value>);

impl Link for RecordingLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        let reply = self.0.transmit(apdu);
        if reply["type"] == "reply" {
            return Ok(hex::decode(reply["apdu"].as_str().unwrap()).unwrap());
        }
        *self.1 = Some(reply);
        Err(LinkError::NoReply(LinkFault::TokenRemoved))
    }
}
