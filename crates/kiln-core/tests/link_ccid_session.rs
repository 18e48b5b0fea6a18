//! The CCID sessions as sans-IO machines, fed scripted reader bytes: bSeq matching, time
//! extensions, chained answers, NotSent/NoReply decisions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::ccid::{Close, Connect, STATUS_TIMEOUT_MS, Transmit, XFR_TIMEOUT_MS};
use kiln_core::link::machine::{Action, Machine};
use kiln_core::link::{LinkError, LinkFault, PipeError};
use proptest::prelude::*;
use support::{hex, run_scripted, run_scripted_with};

/// An answer message built by hand: type, dwLength, slot 0, seq, status, error, specific, data.
fn answer(message_type: u8, seq: u8, status: u8, error: u8, specific: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![message_type];
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0x00, seq, status, error, specific]);
    out.extend_from_slice(data);
    out
}

fn data_block(seq: u8, data: &[u8]) -> Result<Vec<u8>, PipeError> {
    Ok(answer(0x80, seq, 0x00, 0x00, 0x00, data))
}

#[test]
fn xfr_block_answer_with_the_same_seq_is_the_reply() {
    let mut transmit = Transmit::new(0, 5, &hex("80 41 00 00 00"));
    let (result, written) = run_scripted(&mut transmit, vec![data_block(5, &hex("AA 90 00"))]);
    assert_eq!(result, Ok(hex("AA 90 00")));
    assert_eq!(
        written,
        vec![hex("6F 05 00 00 00 00 05 00 00 00 80 41 00 00 00")]
    );
    assert_eq!(transmit.next_seq(), 6);
}

#[test]
fn answers_with_another_seq_are_late_and_dropped() {
    let mut transmit = Transmit::new(0, 5, &hex("80 41 00 00 00"));
    let reads = vec![
        data_block(4, &hex("11 90 00")),
        data_block(5, &hex("22 90 00")),
    ];
    assert_eq!(run_scripted(&mut transmit, reads).0, Ok(hex("22 90 00")));
}

#[test]
fn seq_wraps_after_255() {
    let mut transmit = Transmit::new(0, 0xFF, &hex("80 41 00 00 00"));
    let (result, _) = run_scripted(&mut transmit, vec![data_block(0xFF, &hex("90 00"))]);
    assert_eq!(result, Ok(hex("90 00")));
    assert_eq!(transmit.next_seq(), 0);
}

#[test]
fn time_extensions_are_waited_through_with_longer_reads() {
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    assert!(matches!(transmit.start(), Action::Write(_)));
    assert!(matches!(
        transmit.on_written(Ok(())),
        Action::Read { timeout_ms } if timeout_ms == XFR_TIMEOUT_MS
    ));
    // bStatus 80 = time extension, bError 3 = BWT multiplier.
    let extension = answer(0x80, 1, 0x80, 0x03, 0x00, &[]);
    assert!(matches!(
        transmit.on_read(Ok(extension)),
        Action::Read { timeout_ms } if timeout_ms == 3 * XFR_TIMEOUT_MS
    ));
    assert!(matches!(
        transmit.on_read(data_block(1, &hex("90 00"))),
        Action::Done(Ok(reply)) if reply == hex("90 00")
    ));
}

#[test]
fn endless_time_extensions_end_as_token_mute() {
    let reads = (0..500)
        .map(|_| Ok(answer(0x80, 1, 0x80, 0x01, 0, &[])))
        .collect();
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    assert_eq!(
        run_scripted(&mut transmit, reads).0,
        Err(LinkError::NoReply(LinkFault::TokenMute))
    );
}

#[test]
fn an_answer_split_over_reads_is_reassembled() {
    let full = answer(0x80, 1, 0, 0, 0, &hex("01 02 03 90 00"));
    let reads = vec![
        Ok(full[..4].to_vec()),
        Ok(full[4..12].to_vec()),
        Ok(full[12..].to_vec()),
    ];
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    assert_eq!(
        run_scripted(&mut transmit, reads).0,
        Ok(hex("01 02 03 90 00"))
    );
}

#[test]
fn chained_answer_is_fetched_with_empty_xfr_blocks() {
    let reads = vec![
        Ok(answer(0x80, 1, 0, 0, 0x01, &hex("01 02"))),
        Ok(answer(0x80, 2, 0, 0, 0x03, &hex("03 04"))),
        Ok(answer(0x80, 3, 0, 0, 0x02, &hex("90 00"))),
    ];
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    let (result, written) = run_scripted(&mut transmit, reads);
    assert_eq!(result, Ok(hex("01 02 03 04 90 00")));
    // wLevelParameter 0x0010: "continue the response".
    assert_eq!(written[1], hex("6F 00 00 00 00 00 02 00 10 00"));
    assert_eq!(written[2], hex("6F 00 00 00 00 00 03 00 10 00"));
}

#[test]
fn silence_is_no_reply_reader_gone() {
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    assert_eq!(
        run_scripted(&mut transmit, vec![Err(PipeError::Timeout)]).0,
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
}

#[test]
fn failed_write_is_not_sent() {
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    let (result, _) = run_scripted_with(&mut transmit, vec![], |_| Err(PipeError::Disconnected));
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::ReaderGone)));
}

#[test]
fn garbage_is_no_reply_reader_protocol() {
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    let reads = vec![Ok(hex("99 01 00 00 00 00 01 00 00 00 42"))];
    assert!(matches!(
        run_scripted(&mut transmit, reads).0,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
}

#[test]
fn failure_after_part_of_a_chained_answer_is_no_reply() {
    let reads = vec![
        Ok(answer(0x80, 1, 0, 0, 0x01, &hex("01 02"))),
        Ok(answer(0x80, 2, 0x40, 0x05, 0, &[])),
    ];
    let mut transmit = Transmit::new(0, 1, &hex("80 41 00 00 00"));
    assert!(matches!(
        run_scripted(&mut transmit, reads).0,
        Err(LinkError::NoReply(_))
    ));
}

#[test]
fn connect_checks_the_slot_then_powers_the_card() {
    let reads = vec![
        Ok(answer(0x81, 0, 0x01, 0, 0, &[])),
        Ok(answer(0x80, 1, 0x00, 0, 0, &hex("3B 80 80 01 01"))),
    ];
    let mut connect = Connect::new(0, 0);
    let (result, written) = run_scripted(&mut connect, reads);
    assert_eq!(result, Ok(hex("3B 80 80 01 01")));
    assert_eq!(
        written,
        vec![
            hex("65 00 00 00 00 00 00 00 00 00"),
            hex("62 00 00 00 00 00 01 00 00 00")
        ]
    );
    assert_eq!(connect.next_seq(), 2);
}

#[test]
fn connect_to_an_empty_slot_is_no_token_without_powering() {
    let reads = vec![Ok(answer(0x81, 0, 0x02, 0, 0, &[]))];
    let (result, written) = run_scripted(&mut Connect::new(0, 0), reads);
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::NoToken)));
    assert_eq!(written.len(), 1);
}

#[test]
fn close_powers_off() {
    let reads = vec![Ok(answer(0x81, 9, 0x01, 0, 0, &[]))];
    let mut close = Close::new(0, 9);
    let (result, written) = run_scripted(&mut close, reads);
    assert_eq!(result, Ok(()));
    assert_eq!(written, vec![hex("63 00 00 00 00 00 09 00 00 00")]);
}

#[test]
fn status_commands_wait_briefly() {
    let mut close = Close::new(0, 0);
    let _ = close.start();
    assert!(matches!(
        close.on_written(Ok(())),
        Action::Read { timeout_ms } if timeout_ms == STATUS_TIMEOUT_MS
    ));
}

proptest! {
    /// Whatever the reader sends, a session ends (bounded) without panicking.
    #[test]
    fn sessions_end_on_any_reader_bytes(
        reads in prop::collection::vec(
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..40).prop_map(Ok),
                Just(Err(PipeError::Timeout)),
                (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(seq, status, chain)| {
                    Ok(answer(0x80, seq % 4, status, 0xFE, chain, &[0x90, 0x00]))
                }),
            ],
            0..30,
        ),
    ) {
        let _ = run_scripted(&mut Transmit::new(0, 1, &[0x80, 0x41, 0, 0, 0]), reads.clone());
        let _ = run_scripted(&mut Connect::new(0, 0), reads.clone());
        let _ = run_scripted(&mut Close::new(0, 0), reads);
    }
}
