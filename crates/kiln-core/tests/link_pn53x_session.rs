//! The PN53x reader sessions (transmit, connect, close) as sans-IO machines, fed scripted reader
//! bytes: chaining in both directions, the set-up sequence, and NotSent/NoReply decisions.
//! A single command's ACK/NACK rules are in `link_pn53x_exchange.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::pn53x::frame::{self, ACK_FRAME, ERROR_FRAME, NACK_FRAME};
use kiln_core::link::pn53x::{Close, Connect, EXCHANGE_TIMEOUT_MS, Transmit};
use kiln_core::link::{LinkError, LinkFault, PipeError};
use proptest::prelude::*;
use support::pn53x_script::{FIRMWARE_RESPONSE, GET_FIRMWARE, ack, response};
use support::{hex, pn53x_response, run_scripted};

#[test]
fn transmit_writes_the_worked_in_data_exchange_frame() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![ack(), response(&hex("41 00 01 02 03 04 05 06 07 08 90 00"))];
    let (result, written) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Ok(hex("01 02 03 04 05 06 07 08 90 00")));
    assert_eq!(
        written,
        vec![hex("00 00 FF 08 F8 D4 40 01 00 84 00 00 08 5F 00")]
    );
}

#[test]
fn reply_with_mi_is_fetched_with_tg_only_frames() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![
        ack(),
        response(&hex("41 40 01 02 03")),
        ack(),
        response(&hex("41 40 04 05 06")),
        ack(),
        response(&hex("41 00 90 00")),
    ];
    let (result, written) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Ok(hex("01 02 03 04 05 06 90 00")));
    let continuation = hex("00 00 FF 03 FD D4 40 01 EB 00");
    assert_eq!(written[1..], [continuation.clone(), continuation]);
}

#[test]
fn long_apdu_goes_out_in_240_byte_fragments_with_mi_in_tg() {
    let apdu: Vec<u8> = (0..600).map(|i| i as u8).collect();
    let reads = vec![
        ack(),
        response(&hex("41 00")),
        ack(),
        response(&hex("41 00")),
        ack(),
        response(&hex("41 00 90 00")),
    ];
    let (result, written) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Ok(hex("90 00")));
    let commands: Vec<Vec<u8>> = written
        .iter()
        .map(|bytes| match frame::decode(bytes).unwrap() {
            frame::Frame::Command(pd) => pd,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(commands.len(), 3);
    assert_eq!(commands[0][..2], [0x40, 0x41]);
    assert_eq!(commands[1][..2], [0x40, 0x41]);
    assert_eq!(commands[2][..2], [0x40, 0x01]);
    assert_eq!(commands[0][2..], apdu[..240]);
    assert_eq!(commands[1][2..], apdu[240..480]);
    assert_eq!(commands[2][2..], apdu[480..]);
}

#[test]
fn apdu_of_262_bytes_still_goes_in_one_frame() {
    let apdu = vec![0xAB; 262];
    let reads = vec![ack(), response(&hex("41 00 90 00"))];
    let (result, written) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Ok(hex("90 00")));
    assert_eq!(written.len(), 1);
    // Extended frame: LEN = D4 40 01 + 262 = 265 = 01 09.
    assert_eq!(written[0][..8], hex("00 00 FF FF FF 01 09 F6")[..]);
}

#[test]
fn status_error_on_the_first_frame_keeps_its_not_sent_meaning() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![ack(), response(&hex("41 27"))];
    let (result, _) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::NoToken)));
}

#[test]
fn failure_after_a_fragment_went_out_is_no_reply() {
    let apdu = vec![0x11; 300];
    let reads = vec![
        ack(),
        response(&hex("41 00")),
        ack(),
        response(&hex("41 27")),
    ];
    let (result, _) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::NoToken)));
}

#[test]
fn failure_while_fetching_the_rest_of_a_reply_is_no_reply() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![
        ack(),
        response(&hex("41 40 01 02")),
        Err(PipeError::Disconnected),
    ];
    let (result, _) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::ReaderGone)));
}

#[test]
fn token_timeout_status_is_token_mute() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![ack(), response(&hex("41 01"))];
    let (result, _) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::TokenMute)));
}

#[test]
fn empty_apdu_is_refused_before_anything_is_written() {
    let (result, written) = run_scripted(&mut Transmit::new(1, &[]), vec![]);
    assert!(matches!(result, Err(LinkError::NotSent(_))));
    assert!(written.is_empty());
}

#[test]
fn endless_mi_is_cut_off() {
    let mut reads = Vec::new();
    for _ in 0..400 {
        reads.push(ack());
        reads.push(response(&[&[0x41, 0x40][..], &[0xEE; 250][..]].concat()));
    }
    let apdu = hex("00 84 00 00 08");
    let (result, _) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert!(matches!(
        result,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
}

fn connect_reads(target_list: &str) -> Vec<Result<Vec<u8>, PipeError>> {
    vec![
        ack(),
        Ok(hex(FIRMWARE_RESPONSE)),
        ack(),
        response(&[0x13]),
        ack(),
        response(&[0x33]),
        ack(),
        response(&[0x33]),
        ack(),
        response(&hex(target_list)),
    ]
}

#[test]
fn connect_sends_the_worked_set_up_frames_in_order() {
    let reads = connect_reads("4B 01 01 00 44 20 04 01 02 03 04 05 78 80 70 02");
    let (result, written) = run_scripted(&mut Connect::new(), reads);
    let connected = result.unwrap();
    assert_eq!(connected.firmware.ic, 0x33);
    assert_eq!(connected.target.uid, hex("01 02 03 04"));
    assert_eq!(connected.target.ats, Some(hex("05 78 80 70 02")));
    let expected = [
        GET_FIRMWARE,
        "00 00 FF 03 FD D4 12 14 06 00",
        "00 00 FF 04 FC D4 32 01 01 F8 00",
        "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00",
        "00 00 FF 04 FC D4 4A 01 00 E1 00",
    ];
    assert_eq!(written, expected.map(hex).to_vec());
}

#[test]
fn connect_retries_a_first_command_that_was_not_acknowledged() {
    let mut reads = vec![Err(PipeError::Timeout)];
    reads.extend(connect_reads(
        "4B 01 01 00 44 20 04 01 02 03 04 05 78 80 70 02",
    ));
    let (result, written) = run_scripted(&mut Connect::new(), reads);
    assert!(result.is_ok());
    assert_eq!(
        written[..3],
        [hex(GET_FIRMWARE), ACK_FRAME.to_vec(), hex(GET_FIRMWARE)]
    );
}

#[test]
fn connect_without_a_target_is_no_token_and_switches_the_field_off() {
    let mut reads = connect_reads("4B 00");
    reads.extend([ack(), response(&[0x33])]);
    let (result, written) = run_scripted(&mut Connect::new(), reads);
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::NoToken)));
    assert_eq!(
        written.last(),
        Some(&hex("00 00 FF 04 FC D4 32 01 00 F9 00"))
    );
}

#[test]
fn connect_to_a_mifare_classic_says_what_it_saw() {
    let reads = connect_reads("4B 01 01 00 04 08 04 DE AD BE EF");
    let (result, _) = run_scripted(&mut Connect::new(), reads);
    match result {
        Err(LinkError::NotSent(LinkFault::NotAToken { seen })) => {
            assert!(seen.contains("MIFARE Classic 1K"), "{seen}")
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn close_releases_all_targets_then_switches_the_field_off() {
    let reads = vec![ack(), response(&hex("53 00")), ack(), response(&[0x33])];
    let (result, written) = run_scripted(&mut Close::new(), reads);
    assert_eq!(result, Ok(()));
    assert_eq!(
        written,
        vec![
            hex("00 00 FF 03 FD D4 52 00 DA 00"),
            hex("00 00 FF 04 FC D4 32 01 00 F9 00")
        ]
    );
}

#[test]
fn close_still_switches_the_field_off_when_release_fails() {
    let reads = vec![ack(), Ok(ERROR_FRAME.to_vec()), ack(), response(&[0x33])];
    let (result, written) = run_scripted(&mut Close::new(), reads);
    assert!(result.is_err());
    assert_eq!(
        written.last(),
        Some(&hex("00 00 FF 04 FC D4 32 01 00 F9 00"))
    );
}

#[test]
fn exchange_timeout_for_data_is_generous() {
    const { assert!(EXCHANGE_TIMEOUT_MS >= 3_000) };
}

proptest! {
    /// Whatever the reader sends, a session ends (bounded) without panicking.
    #[test]
    fn sessions_end_on_any_reader_bytes(
        reads in prop::collection::vec(
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..40).prop_map(Ok),
                Just(Ok(ACK_FRAME.to_vec())),
                Just(Ok(NACK_FRAME.to_vec())),
                Just(Err(PipeError::Timeout)),
                any::<u8>().prop_map(|s| Ok(pn53x_response(&[0x41, s, 0x90, 0x00]))),
            ],
            0..30,
        ),
    ) {
        let apdu = [0x80, 0x41, 0x00, 0x00, 0x00];
        let _ = run_scripted(&mut Transmit::new(1, &apdu), reads.clone());
        let _ = run_scripted(&mut Connect::new(), reads.clone());
        let _ = run_scripted(&mut Close::new(), reads);
    }
}
