use serde_json::Value;

use super::*;
use crate::token::{Fault, Ins};

fn send(bridge: &mut Bridge, line: &str, wall: u64) -> Value {
    serde_json::from_str(&bridge.handle_line(line, wall)).unwrap()
}

fn out(bridge: &mut Bridge, hex: &str) -> Value {
    send(bridge, &format!(r#"{{"op":"out","hex":"{hex}"}}"#), 1_000)
}

fn read(bridge: &mut Bridge) -> Value {
    send(bridge, r#"{"op":"in"}"#, 1_000)
}

/// A CCID command header (CCID 1.1 §6.1) around `data`, built here by hand.
fn ccid(message_type: u8, seq: u8, data: &[u8]) -> String {
    let mut m = vec![message_type];
    m.extend_from_slice(&(data.len() as u32).to_le_bytes());
    m.extend_from_slice(&[0, seq, 0, 0, 0]);
    m.extend_from_slice(data);
    hex::encode(m)
}

const GET_INFO: [u8; 7] = [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11];

#[test]
fn requests_before_a_device_and_malformed_lines_get_an_error_not_a_crash() {
    let mut bridge = Bridge::new();
    let answer = send(&mut bridge, r#"{"op":"in"}"#, 0);
    assert_eq!(answer["ok"], false);
    assert!(answer["error"].as_str().unwrap().contains("device"));
    for bad in [
        "not json",
        r#"{"op":"launch"}"#,
        r#"{"op":"out"}"#,
        r#"{"op":"device","reader":"usb","serial":"1"}"#,
        r#"{"op":"device","reader":"pn533","serial":"1","colour":"red"}"#,
    ] {
        assert_eq!(send(&mut bridge, bad, 0)["ok"], false, "{bad}");
    }
}

#[test]
fn pn533_answers_get_firmware_version_with_ack_then_the_response_frame() {
    let mut bridge = Bridge::new();
    let device = send(
        &mut bridge,
        r#"{"op":"device","reader":"pn533","serial":"8659622000123"}"#,
        1_000,
    );
    assert_eq!(device["ok"], true);
    assert_eq!(device["packet"], 64);
    assert_eq!(read(&mut bridge)["in"], "nothing");
    // Normal information frame, PN533 user manual §6.2.1.1: LEN 02, LCS FE, D4 02, DCS 2A.
    assert_eq!(out(&mut bridge, "0000ff02fed4022a00")["out"], "done");
    assert_eq!(read(&mut bridge)["hex"], "0000ff00ff00");
    // D5 03 IC=33 Ver=02 Rev=07 Support=07; DCS = -(D5+03+33+02+07+07) = E5.
    assert_eq!(read(&mut bridge)["hex"], "0000ff06fad50333020707e500");
    assert_eq!(read(&mut bridge)["in"], "nothing");
}

#[test]
fn the_token_clock_follows_the_wall_time_of_each_request() {
    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"ccid","serial":"8659600000777","clock_offset":-5}"#,
        1_000,
    );
    let state = send(&mut bridge, r#"{"op":"state"}"#, 2_000);
    assert_eq!(state["token"]["wall_time"], 2_000);
    assert_eq!(state["token"]["device_time"], 1_995);
    assert_eq!(state["token"]["has_seed"], false);
    assert_eq!(state["reader"]["kind"], "ccid");
    assert_eq!(state["reader"]["plugged"], true);
}

#[test]
fn an_old_seed_is_on_the_token_and_its_display_shows_the_rfc_6238_code() {
    let mut bridge = Bridge::new();
    // RFC 6238 Appendix B: SHA-1 key "12345678901234567890", T=59 → 94287082 (6 digits: 287082).
    let line = r#"{"op":"device","reader":"pn533","serial":"8659622000123","seed_hex":"3132333435363738393031323334353637383930"}"#;
    send(&mut bridge, line, 59);
    let state = send(&mut bridge, r#"{"op":"state"}"#, 59);
    assert_eq!(state["token"]["displayed_code"], "287082");
    assert_eq!(state["token"]["restricted_sync"], true);
}

#[test]
fn unplugging_fails_writes_and_reads_and_shows_in_the_state() {
    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"pn533","serial":"8659622000123"}"#,
        1,
    );
    assert_eq!(send(&mut bridge, r#"{"op":"unplug"}"#, 1)["ok"], true);
    assert_eq!(out(&mut bridge, "00")["out"], "disconnected");
    assert_eq!(read(&mut bridge)["in"], "disconnected");
    assert_eq!(
        send(&mut bridge, r#"{"op":"state"}"#, 1)["reader"]["plugged"],
        false
    );
    send(&mut bridge, r#"{"op":"plug_in"}"#, 1);
    assert_eq!(read(&mut bridge)["in"], "nothing");
}

#[test]
fn unplug_reader_after_lets_the_token_execute_the_command_and_loses_the_reply() {
    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"ccid","serial":"8659622000123"}"#,
        1_000,
    );
    let fault = r#"{"op":"fault","ins":"get_info","fault":"unplug_reader_after"}"#;
    assert_eq!(send(&mut bridge, fault, 1_000)["ok"], true);
    out(&mut bridge, &ccid(0x62, 0, &[]));
    assert_eq!(read(&mut bridge)["in"], "data", "power on answers");
    assert_eq!(out(&mut bridge, &ccid(0x6F, 1, &GET_INFO))["out"], "done");
    assert_eq!(read(&mut bridge)["in"], "disconnected");
    let state = send(&mut bridge, r#"{"op":"state"}"#, 1_000);
    assert_eq!(state["token"]["executed"], serde_json::json!(["GetInfo"]));
    assert_eq!(state["token"]["received"][0], "80410000020211");
    assert_eq!(state["reader"]["plugged"], false);
}

#[test]
fn a_removed_token_does_not_answer_and_can_be_put_back() {
    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"ccid","serial":"8659622000123"}"#,
        1_000,
    );
    send(&mut bridge, r#"{"op":"remove_token"}"#, 1_000);
    out(&mut bridge, &ccid(0x62, 0, &[]));
    let reply = hex::decode(read(&mut bridge)["hex"].as_str().unwrap()).unwrap();
    // RDR_to_PC_DataBlock with bStatus 0x42 (failed, no ICC present).
    assert_eq!((reply[0], reply[7]), (0x80, 0x42));
    send(&mut bridge, r#"{"op":"put_back_token"}"#, 1_000);
    out(&mut bridge, &ccid(0x62, 1, &[]));
    let reply = hex::decode(read(&mut bridge)["hex"].as_str().unwrap()).unwrap();
    assert_eq!((reply[0], reply[7]), (0x80, 0x00));
}

#[test]
fn fault_requests_are_checked_and_name_every_token_fault() {
    let plan = |line: &str| match serde_json::from_str::<Request>(line).unwrap() {
        Request::Fault(spec) => spec.plan(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        plan(r#"{"op":"fault","ins":"answer_challenge","fault":"status","status":"6983"}"#),
        Ok(FaultPlan::Token(
            Ins::AnswerChallenge,
            Fault::Status(0x6983)
        ))
    );
    assert_eq!(
        plan(r#"{"op":"fault","ins":"WriteSeed","fault":"removed_before"}"#),
        Ok(FaultPlan::Token(
            Ins::WriteSeed,
            Fault::RemovedBeforeExecuting
        ))
    );
    assert_eq!(
        plan(r#"{"op":"fault","ins":"write_seed","fault":"garbage_after","hex":"6f00"}"#),
        Ok(FaultPlan::Token(
            Ins::WriteSeed,
            Fault::GarbageAfterExecuting(vec![0x6F, 0x00])
        ))
    );
    assert_eq!(
        plan(r#"{"op":"fault","ins":"write_config","fault":"status_after","status":"6581"}"#),
        Ok(FaultPlan::Token(
            Ins::WriteConfig,
            Fault::StatusAfterExecuting(0x6581)
        ))
    );
    assert!(plan(r#"{"op":"fault","ins":"write_seed","fault":"status_after"}"#).is_err());
    assert!(plan(r#"{"op":"fault","ins":"write_seed","fault":"explode"}"#).is_err());
    assert!(plan(r#"{"op":"fault","ins":"format","fault":"mute_after"}"#).is_err());
    assert!(plan(r#"{"op":"fault","ins":"get_info","fault":"status"}"#).is_err());
    assert!(plan(r#"{"op":"fault","reader":"x","ins":"get_info","fault":"mute_after"}"#).is_err());

    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"ccid","serial":"8659622000123"}"#,
        1,
    );
    let nack = r#"{"op":"fault","reader":"nack_next_command"}"#;
    assert_eq!(
        send(&mut bridge, nack, 1)["ok"],
        false,
        "a CCID reader has no NACK"
    );
}

#[test]
fn instruction_bytes_are_those_of_the_protocol() {
    let bytes: Vec<u8> = Ins::ALL.iter().map(|&i| i.byte()).collect();
    assert_eq!(bytes, [0x41, 0x4B, 0xCE, 0xD4, 0xC5]);
}

/// Every `in` until the board has nothing more: the stream, however it was split.
fn read_stream(bridge: &mut Bridge) -> (String, usize) {
    let (mut stream, mut reads) = (String::new(), 0);
    loop {
        let answer = read(bridge);
        if answer["in"] != "data" {
            return (stream, reads);
        }
        stream.push_str(answer["hex"].as_str().unwrap());
        reads += 1;
    }
}

#[test]
fn pn532_board_wakes_takes_sam_configuration_and_streams_its_answers_in_pieces() {
    let mut bridge = Bridge::new();
    let device = send(
        &mut bridge,
        r#"{"op":"device","reader":"pn532","serial":"8659622000123","max_read":3,"read_seed":9}"#,
        1_000,
    );
    assert_eq!(device["ok"], true);
    assert_eq!(device["reader"], "pn532");
    assert_eq!(device["baud"], 115_200);
    assert!(device.get("packet").is_none());
    let state = send(&mut bridge, r#"{"op":"state"}"#, 1_000);
    assert_eq!(state["reader"]["awake"], false);
    // Wake-up: 55 55 and fourteen 00 (docs/readers.md §6), then SAMConfiguration 01 14 01.
    assert_eq!(out(&mut bridge, "5555")["out"], "done");
    assert_eq!(out(&mut bridge, &"00".repeat(14))["out"], "done");
    assert_eq!(out(&mut bridge, "0000ff05fbd414011401")["out"], "done");
    assert_eq!(
        read(&mut bridge)["in"],
        "nothing",
        "the frame is not complete yet"
    );
    assert_eq!(out(&mut bridge, "0200")["out"], "done");
    // ACK, then D5 15 (DCS = -(D5+15) = 16), in pieces of at most 3 bytes.
    let (stream, reads) = read_stream(&mut bridge);
    assert_eq!(stream, "0000ff00ff000000ff02fed5151600");
    assert!(reads >= 5, "{reads} reads");
    let state = send(&mut bridge, r#"{"op":"state"}"#, 1_000);
    assert_eq!(state["reader"]["kind"], "pn532");
    assert_eq!(state["reader"]["awake"], true);
    assert_eq!(state["reader"]["normal_mode"], true);
    assert_eq!(state["reader"]["commands"], serde_json::json!(["14"]));
    assert_eq!(state["reader"]["bytes_to_board"], 28);
    assert_eq!(state["reader"]["bytes_from_board"], 15);
}

#[test]
fn pn532_faults_noise_and_unplug_and_an_unknown_fault_is_refused() {
    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"pn532","serial":"8659622000123"}"#,
        1_000,
    );
    out(&mut bridge, &format!("5555{}", "00".repeat(14)));
    let noise = send(
        &mut bridge,
        r#"{"op":"fault","reader":"noise_before_next_answer"}"#,
        1_000,
    );
    assert_eq!(noise["ok"], true);
    out(&mut bridge, "0000ff05fbd4140114010200");
    let (stream, _) = read_stream(&mut bridge);
    assert_eq!(stream, "0000ff00ff00f0ff1337fe0000ff02fed5151600");
    let garble = send(
        &mut bridge,
        r#"{"op":"fault","reader":"garble_next_response"}"#,
        1_000,
    );
    assert_eq!(garble["ok"], false);
    send(&mut bridge, r#"{"op":"unplug"}"#, 1_000);
    assert_eq!(read(&mut bridge)["in"], "disconnected");
    assert_eq!(out(&mut bridge, "00")["out"], "disconnected");
}

#[test]
fn replace_token_puts_another_token_on_the_same_plugged_reader() {
    let mut bridge = Bridge::new();
    send(
        &mut bridge,
        r#"{"op":"device","reader":"pn533","serial":"8659622000123"}"#,
        59,
    );
    let line = r#"{"op":"replace_token","serial":"8659600123456","seed_hex":"3132333435363738393031323334353637383930"}"#;
    assert_eq!(send(&mut bridge, line, 59)["ok"], true);
    let state = send(&mut bridge, r#"{"op":"state"}"#, 59);
    assert_eq!(state["token"]["serial"], "8659600123456");
    // RFC 6238 Appendix B, T=59 (SHA-1): 94287082.
    assert_eq!(state["token"]["displayed_code"], "287082");
    assert_eq!(state["token"]["restricted_sync"], false);
    assert_eq!(state["reader"]["plugged"], true);
    assert_eq!(state["reader"]["token_on_reader"], true);
    let bad = send(&mut bridge, r#"{"op":"replace_token","serial":""}"#, 59);
    assert_eq!(bad["ok"], false);
    assert_eq!(
        send(&mut bridge, r#"{"op":"state"}"#, 59)["token"]["serial"],
        "8659600123456",
        "a refused request changes nothing"
    );
}
