//! One PN53x command as a sans-IO [`Exchange`], fed scripted reader bytes: the ACK/NACK rules,
//! late answers, cancel by ACK, and the NotSent/NoReply decisions of a single command.

mod support;

use kiln_core::link::machine::{Action, Machine};
use kiln_core::link::pn53x::frame::{ACK_FRAME, ERROR_FRAME, NACK_FRAME};
use kiln_core::link::pn53x::{ACK_TIMEOUT_MS, Command, Exchange, Transmit};
use kiln_core::link::{LinkError, LinkFault, PipeError};
use support::pn53x_script::{FIRMWARE_RESPONSE, GET_FIRMWARE, ack, response};
use support::{hex, run_scripted, run_scripted_with};

fn firmware_exchange() -> Exchange {
    Exchange::new(&Command::GetFirmwareVersion, 1_000)
}

#[test]
fn command_then_ack_then_response() {
    let mut exchange = firmware_exchange();
    let (result, written) = run_scripted(&mut exchange, vec![ack(), Ok(hex(FIRMWARE_RESPONSE))]);
    assert_eq!(result, Ok(hex("33 02 07 07")));
    assert_eq!(written, vec![hex(GET_FIRMWARE)]);
}

#[test]
fn ack_is_awaited_with_a_short_timeout_and_response_with_the_given_one() {
    let mut exchange = Exchange::new(&Command::GetFirmwareVersion, 2_500);
    assert!(matches!(exchange.start(), Action::Write(_)));
    assert!(matches!(
        exchange.on_written(Ok(())),
        Action::Read { timeout_ms } if timeout_ms == ACK_TIMEOUT_MS
    ));
    assert!(matches!(
        exchange.on_read(ack()),
        Action::Read { timeout_ms: 2_500 }
    ));
}

#[test]
fn ack_and_response_in_one_read_or_split_across_reads_are_both_understood() {
    let mut both = ACK_FRAME.to_vec();
    both.extend_from_slice(&hex(FIRMWARE_RESPONSE));
    let (result, _) = run_scripted(&mut firmware_exchange(), vec![Ok(both)]);
    assert_eq!(result, Ok(hex("33 02 07 07")));

    let full = hex(FIRMWARE_RESPONSE);
    let (head, tail) = full.split_at(5);
    let reads = vec![ack(), Ok(head.to_vec()), Ok(tail.to_vec())];
    let (result, _) = run_scripted(&mut firmware_exchange(), reads);
    assert_eq!(result, Ok(hex("33 02 07 07")));
}

#[test]
fn a_response_before_the_ack_is_a_late_answer_and_is_dropped() {
    let apdu = hex("00 84 00 00 08");
    let mut transmit = Transmit::new(1, &apdu);
    let reads = vec![
        response(&hex("41 00 AA AA 90 00")), // late answer to a cancelled command
        ack(),
        response(&hex("41 00 BB BB 90 00")),
    ];
    let (result, _) = run_scripted(&mut transmit, reads);
    assert_eq!(result, Ok(hex("BB BB 90 00")));
}

#[test]
fn nack_instead_of_ack_makes_the_command_go_again() {
    let reads = vec![Ok(NACK_FRAME.to_vec()), ack(), Ok(hex(FIRMWARE_RESPONSE))];
    let (result, written) = run_scripted(&mut firmware_exchange(), reads);
    assert_eq!(result, Ok(hex("33 02 07 07")));
    assert_eq!(written, vec![hex(GET_FIRMWARE), hex(GET_FIRMWARE)]);
}

#[test]
fn repeated_nacks_end_as_not_sent() {
    let nack = || Ok(NACK_FRAME.to_vec());
    let (result, written) = run_scripted(&mut firmware_exchange(), vec![nack(), nack(), nack()]);
    assert!(matches!(
        result,
        Err(LinkError::NotSent(LinkFault::ReaderProtocol(_)))
    ));
    assert_eq!(written.len(), 3);
}

#[test]
fn a_damaged_response_is_asked_for_again_with_nack() {
    let mut damaged = hex(FIRMWARE_RESPONSE);
    damaged[11] ^= 0xFF; // DCS
    let reads = vec![ack(), Ok(damaged), Ok(hex(FIRMWARE_RESPONSE))];
    let (result, written) = run_scripted(&mut firmware_exchange(), reads);
    assert_eq!(result, Ok(hex("33 02 07 07")));
    assert_eq!(written, vec![hex(GET_FIRMWARE), NACK_FRAME.to_vec()]);
}

#[test]
fn garbage_that_keeps_coming_ends_as_no_reply_after_cancelling() {
    let garbage = || Ok(hex("13 37 BA D0"));
    let reads = vec![ack(), garbage(), garbage(), garbage()];
    let (result, written) = run_scripted(&mut firmware_exchange(), reads);
    assert!(matches!(
        result,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
    assert_eq!(
        written,
        vec![
            hex(GET_FIRMWARE),
            NACK_FRAME.to_vec(),
            NACK_FRAME.to_vec(),
            ACK_FRAME.to_vec()
        ]
    );
}

#[test]
fn no_ack_cancels_with_an_ack_and_is_no_reply() {
    let (result, written) = run_scripted(&mut firmware_exchange(), vec![Err(PipeError::Timeout)]);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::ReaderGone)));
    assert_eq!(written, vec![hex(GET_FIRMWARE), ACK_FRAME.to_vec()]);
}

#[test]
fn silence_after_the_ack_cancels_with_an_ack_and_is_no_reply() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![ack(), Err(PipeError::Timeout)];
    let (result, written) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::ReaderGone)));
    assert_eq!(written.last(), Some(&ACK_FRAME.to_vec()));
}

#[test]
fn a_failed_usb_write_means_not_sent() {
    let apdu = hex("00 84 00 00 08");
    let mut transmit = Transmit::new(1, &apdu);
    let (result, written) =
        run_scripted_with(&mut transmit, vec![], |_| Err(PipeError::Disconnected));
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::ReaderGone)));
    assert_eq!(written.len(), 1);
}

#[test]
fn disconnection_while_waiting_is_no_reply() {
    let apdu = hex("00 84 00 00 08");
    let reads = vec![ack(), Err(PipeError::Disconnected)];
    let (result, _) = run_scripted(&mut Transmit::new(1, &apdu), reads);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::ReaderGone)));
}

#[test]
fn the_error_frame_is_reported_as_a_reader_error() {
    let reads = vec![ack(), Ok(ERROR_FRAME.to_vec())];
    let (result, _) = run_scripted(&mut firmware_exchange(), reads);
    assert!(matches!(
        result,
        Err(LinkError::NoReply(LinkFault::Reader(_)))
    ));
}

#[test]
fn an_answer_to_another_command_is_a_protocol_error() {
    let reads = vec![ack(), response(&hex("13"))];
    let (result, written) = run_scripted(&mut firmware_exchange(), reads);
    assert!(matches!(
        result,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
    assert_eq!(written.last(), Some(&ACK_FRAME.to_vec()));
}

#[test]
fn a_reader_sending_only_zeros_cannot_keep_the_session_alive() {
    let reads = (0..1_000).map(|_| Ok(vec![0x00; 3])).collect();
    let (result, _) = run_scripted(&mut firmware_exchange(), reads);
    assert!(result.is_err());
}
