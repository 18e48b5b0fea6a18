//! CCID message codec, answer decoding and ATR reading against the worked examples of
//! docs/readers.md §4, plus properties over random messages up to the maximum size.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::ccid::message::{self, HEADER_LEN, MAX_DATA_LEN, Message, MessageError};
use kiln_core::link::ccid::reply::{slot_error, xfr_block_error};
use kiln_core::link::ccid::{
    CommandStatus, IccStatus, Reply, ReplyError, ReplyKind, SlotError, atr,
};
use kiln_core::link::{LinkError, LinkFault};
use proptest::prelude::*;
use support::hex;

#[test]
fn power_on_is_the_worked_example() {
    let encoded = message::encode(&Message::icc_power_on(0, 0)).unwrap();
    assert_eq!(encoded, hex("62 00 00 00 00 00 00 00 00 00"));
}

#[test]
fn get_uid_xfr_block_is_the_worked_example() {
    let seq = 0x07;
    let encoded = message::encode(&Message::xfr_block(0, seq, &hex("FF CA 00 00 00"))).unwrap();
    assert_eq!(encoded, hex("6F 05 00 00 00 00 07 00 00 00 FF CA 00 00 00"));
}

#[test]
fn acr122u_escape_example_encodes_and_its_answer_decodes() {
    // docs/readers.md §4.9: GetFirmwareVersion wrapped in a Direct Transmit pseudo-APDU, bSeq 0A.
    let command = Message::escape(0, 0x0A, &hex("FF 00 00 00 02 D4 02"));
    assert_eq!(
        message::encode(&command).unwrap(),
        hex("6B 07 00 00 00 00 0A 00 00 00 FF 00 00 00 02 D4 02")
    );
    let answer = message::decode(&hex(
        "83 08 00 00 00 00 0A 02 81 00 D5 03 32 01 04 07 90 00",
    ))
    .unwrap();
    let reply = Reply::parse(answer).unwrap();
    assert_eq!(reply.kind, ReplyKind::Escape);
    assert_eq!(reply.seq, 0x0A);
    assert_eq!(reply.icc, IccStatus::Absent);
    assert_eq!(reply.command, CommandStatus::Ok);
    assert_eq!(reply.error, 0x81);
    assert_eq!(reply.data, hex("D5 03 32 01 04 07 90 00"));
}

#[test]
fn slot_status_and_power_off_and_get_slot_status_have_their_types() {
    assert_eq!(
        message::encode(&Message::icc_power_off(1, 2)).unwrap(),
        hex("63 00 00 00 00 01 02 00 00 00")
    );
    assert_eq!(
        message::encode(&Message::get_slot_status(0, 0xFF)).unwrap(),
        hex("65 00 00 00 00 00 FF 00 00 00")
    );
}

#[test]
fn status_byte_bits_are_icc_and_command_status() {
    let parse = |status: u8| {
        let answer = Message::new(0x81, 0, 0, [status, 0xFE, 0]);
        Reply::parse(answer)
    };
    let reply = parse(0x42).unwrap();
    assert_eq!(
        (reply.icc, reply.command),
        (IccStatus::Absent, CommandStatus::Failed)
    );
    let reply = parse(0x80).unwrap();
    assert_eq!(
        (reply.icc, reply.command),
        (IccStatus::Active, CommandStatus::TimeExtension)
    );
    let reply = parse(0x01).unwrap();
    assert_eq!(
        (reply.icc, reply.command),
        (IccStatus::Inactive, CommandStatus::Ok)
    );
    assert_eq!(parse(0x03), Err(ReplyError::ReservedIccStatus));
    assert_eq!(parse(0xC0), Err(ReplyError::ReservedCommandStatus));
    assert_eq!(
        Reply::parse(Message::new(0x62, 0, 0, [0; 3])),
        Err(ReplyError::UnknownType(0x62))
    );
}

#[test]
fn error_codes_of_the_reference_are_named() {
    for (byte, error) in [
        (0xFF, SlotError::CommandAborted),
        (0xFE, SlotError::IccMute),
        (0xFD, SlotError::ParityError),
        (0xFC, SlotError::Overrun),
        (0xFB, SlotError::HardwareError),
        (0xF8, SlotError::BadAtrTs),
        (0xF7, SlotError::BadAtrTck),
        (0xF6, SlotError::ProtocolNotSupported),
        (0xF5, SlotError::ClassNotSupported),
        (0xF4, SlotError::ProcedureByteConflict),
        (0xF3, SlotError::DeactivatedProtocol),
        (0xF2, SlotError::BusyWithAutoSequence),
        (0xF0, SlotError::PinTimeout),
        (0xEF, SlotError::PinCancelled),
        (0xE0, SlotError::SlotBusy),
        (0x05, SlotError::BadParameter(5)),
        (0x00, SlotError::CommandNotSupported),
    ] {
        assert_eq!(SlotError::from_byte(byte), error);
    }
    assert_eq!(SlotError::BadParameter(5).describe(), "no such slot");
}

fn failed(status: u8, error: u8) -> Reply {
    Reply::parse(Message::new(0x80, 0, 0, [status, error, 0])).unwrap()
}

#[test]
fn mute_card_after_an_xfr_block_may_have_executed_it() {
    assert_eq!(
        xfr_block_error(&failed(0x40, 0xFE)),
        LinkError::NoReply(LinkFault::TokenMute)
    );
}

#[test]
fn card_gone_after_an_xfr_block_is_token_removed_no_reply() {
    assert_eq!(
        xfr_block_error(&failed(0x42, 0xFE)),
        LinkError::NoReply(LinkFault::TokenRemoved)
    );
}

#[test]
fn reader_refusals_of_an_xfr_block_are_not_sent() {
    for error in [0x00, 0x01, 0x05, 0xE0, 0xF2] {
        assert!(
            matches!(xfr_block_error(&failed(0x40, error)), LinkError::NotSent(_)),
            "{error:02X}"
        );
    }
}

#[test]
fn parity_and_overrun_are_radio_errors() {
    assert!(matches!(
        xfr_block_error(&failed(0x40, 0xFD)),
        LinkError::NoReply(LinkFault::Radio(_))
    ));
}

#[test]
fn power_on_failure_without_a_card_is_no_token() {
    assert_eq!(
        slot_error(&failed(0x42, 0xFE)),
        LinkError::NotSent(LinkFault::NoToken)
    );
    assert_eq!(
        slot_error(&failed(0x40, 0xFE)),
        LinkError::NotSent(LinkFault::TokenMute)
    );
}

#[test]
fn contactless_atr_historical_bytes_are_found() {
    // PC/SC part 3: 3B 8n 80 01 <historical> TCK.
    let atr = hex("3B 84 80 01 4B 49 4C 4E 05");
    assert_eq!(atr::historical_bytes(&atr), Some(&hex("4B 49 4C 4E")[..]));
    assert!(atr::checksum_ok(&atr));
    assert!(!atr::checksum_ok(&hex("3B 84 80 01 4B 49 4C 4E 06")));
    assert_eq!(atr::storage_card(&atr), None);
}

#[test]
fn atr_with_ta_tb_tc_interface_bytes_skips_them() {
    // T0 = F2: TA1 TB1 TC1 TD1, 2 historical bytes. TA1 11, TB1 00, TC1 FF, TD1 81 (TD2
    // follows, T=1), TD2 11 (TA3 follows, T=1), TA3 FE, historical AA BB, TCK.
    let atr = hex("3B F2 11 00 FF 81 11 FE AA BB 00");
    assert_eq!(atr::historical_bytes(&atr), Some(&hex("AA BB")[..]));
    assert_eq!(atr::historical_bytes(&hex("3B F2 11 00")), None);
}

#[test]
fn storage_card_atr_is_recognised() {
    // MIFARE Classic 1K as an ACR122U reports it.
    let atr = hex("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A");
    let seen = atr::storage_card(&atr).unwrap();
    assert!(seen.contains("MIFARE Classic 1K"), "{seen}");
}

#[test]
fn truncated_and_oversized_messages_are_errors() {
    let full = hex("6F 05 00 00 00 00 07 00 00 00 FF CA 00 00 00");
    for cut in 0..full.len() {
        assert_eq!(message::decode(&full[..cut]), Err(MessageError::Incomplete));
    }
    assert_eq!(
        message::decode(&hex("80 FF FF FF FF 00 00 00 00 00")),
        Err(MessageError::TooLong { len: 0xFFFF_FFFF })
    );
    let mut trailing = full.clone();
    trailing.push(0);
    assert_eq!(message::decode(&trailing), Err(MessageError::TrailingBytes));
}

fn any_message() -> impl Strategy<Value = Message> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<[u8; 3]>(),
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            prop::collection::vec(any::<u8>(), MAX_DATA_LEN - 2..=MAX_DATA_LEN),
        ],
    )
        .prop_map(|(message_type, slot, seq, params, data)| Message {
            message_type,
            slot,
            seq,
            params,
            data,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn messages_round_trip_up_to_the_maximum(message in any_message()) {
        let encoded = message::encode(&message).unwrap();
        prop_assert_eq!(encoded.len(), HEADER_LEN + message.data.len());
        prop_assert_eq!(
            u32::from_le_bytes([encoded[1], encoded[2], encoded[3], encoded[4]]) as usize,
            message.data.len()
        );
        prop_assert_eq!(message::decode(&encoded), Ok(message));
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok((message, used)) = message::decode_prefix(&bytes) {
            prop_assert_eq!(used, HEADER_LEN + message.data.len());
            let _ = Reply::parse(message);
        }
    }

    #[test]
    fn atr_reading_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        let _ = atr::historical_bytes(&bytes);
        let _ = atr::storage_card(&bytes);
        let _ = atr::checksum_ok(&bytes);
    }
}

#[test]
fn messages_over_the_maximum_are_refused() {
    let message = Message::xfr_block(0, 0, &vec![0; MAX_DATA_LEN + 1]);
    assert!(matches!(
        message::encode(&message),
        Err(MessageError::TooLong { .. })
    ));
}
