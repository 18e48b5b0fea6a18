//! PN53x frame codec and command builders against the frames of docs/readers.md §3.1–3.4,
//! plus properties over random payloads up to the PN533's maximum.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::pn53x::command::{BRTY_106_TYPE_A, Command, RfConfig};
use kiln_core::link::pn53x::frame::{
    self, ACK_FRAME, ERROR_FRAME, Frame, FrameError, MAX_DATA, MAX_NORMAL_DATA, NACK_FRAME,
};
use proptest::prelude::*;
use support::hex;

/// Every host frame of docs/readers.md §3.4, with the command that should produce it.
fn worked_commands() -> Vec<(&'static str, Command<'static>)> {
    vec![
        ("00 00 FF 02 FE D4 02 2A 00", Command::GetFirmwareVersion),
        (
            "00 00 FF 03 FD D4 12 14 06 00",
            Command::SetParameters { flags: 0x14 },
        ),
        (
            "00 00 FF 04 FC D4 32 01 01 F8 00",
            Command::RfConfiguration(RfConfig::Field { on: true }),
        ),
        (
            "00 00 FF 04 FC D4 32 01 00 F9 00",
            Command::RfConfiguration(RfConfig::Field { on: false }),
        ),
        (
            "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00",
            Command::RfConfiguration(RfConfig::Retries {
                atr: 0xFF,
                psl: 0x01,
                passive_activation: 0x02,
            }),
        ),
        (
            "00 00 FF 04 FC D4 4A 01 00 E1 00",
            Command::InListPassiveTarget {
                max_targets: 1,
                modulation: BRTY_106_TYPE_A,
            },
        ),
        (
            "00 00 FF 08 F8 D4 40 01 00 84 00 00 08 5F 00",
            Command::InDataExchange {
                target: 1,
                more: false,
                data: &[0x00, 0x84, 0x00, 0x00, 0x08],
            },
        ),
        (
            "00 00 FF 03 FD D4 40 01 EB 00",
            Command::InDataExchange {
                target: 1,
                more: false,
                data: &[],
            },
        ),
        (
            "00 00 FF 03 FD D4 52 00 DA 00",
            Command::InRelease { target: 0 },
        ),
    ]
}

#[test]
fn commands_encode_to_the_worked_frames_of_the_reference() {
    for (expected, command) in worked_commands() {
        let encoded = frame::encode_command(&command.to_bytes()).unwrap();
        assert_eq!(encoded, hex(expected), "{command:?}");
    }
}

#[test]
fn worked_frames_decode_to_their_command_bytes() {
    for (bytes, command) in worked_commands() {
        assert_eq!(
            frame::decode(&hex(bytes)),
            Ok(Frame::Command(command.to_bytes())),
            "{bytes}"
        );
    }
    // Frames Kiln never sends (docs/readers.md §3.4, §6): InDeselect 1, SAMConfiguration (PN532).
    assert_eq!(
        frame::decode(&hex("00 00 FF 03 FD D4 44 01 E7 00")),
        Ok(Frame::Command(vec![0x44, 0x01]))
    );
    assert_eq!(
        frame::decode(&hex("00 00 FF 05 FB D4 14 01 14 01 02 00")),
        Ok(Frame::Command(vec![0x14, 0x01, 0x14, 0x01]))
    );
}

#[test]
fn firmware_version_response_of_the_libnfc_trace_decodes() {
    let frame = frame::decode(&hex("00 00 FF 06 FA D5 03 33 02 07 07 E5 00")).unwrap();
    assert_eq!(frame, Frame::Response(vec![0x03, 0x33, 0x02, 0x07, 0x07]));
    assert_eq!(
        frame::encode(&frame).unwrap(),
        hex("00 00 FF 06 FA D5 03 33 02 07 07 E5 00")
    );
}

#[test]
fn control_frames_are_the_reference_bytes() {
    assert_eq!(ACK_FRAME.to_vec(), hex("00 00 FF 00 FF 00"));
    assert_eq!(NACK_FRAME.to_vec(), hex("00 00 FF FF 00 00"));
    assert_eq!(ERROR_FRAME.to_vec(), hex("00 00 FF 01 FF 7F 81 00"));
    assert_eq!(frame::decode(&hex("00 00 FF 00 FF 00")), Ok(Frame::Ack));
    assert_eq!(frame::decode(&hex("00 00 FF FF 00 00")), Ok(Frame::Nack));
    assert_eq!(
        frame::decode(&hex("00 00 FF 01 FF 7F 81 00")),
        Ok(Frame::Error)
    );
    assert_eq!(frame::encode(&Frame::Ack).unwrap(), ACK_FRAME.to_vec());
    assert_eq!(frame::encode(&Frame::Nack).unwrap(), NACK_FRAME.to_vec());
    assert_eq!(frame::encode(&Frame::Error).unwrap(), ERROR_FRAME.to_vec());
}

#[test]
fn payload_over_254_bytes_uses_the_extended_frame() {
    // 255 PD bytes: LEN = TFI + 255 = 256 = 01 00, LCS = 0x100 - 0x01 - 0x00 = FF.
    let data = vec![0x00; 255];
    let encoded = frame::encode(&Frame::Command(data.clone())).unwrap();
    assert_eq!(encoded[..9], hex("00 00 FF FF FF 01 00 FF D4")[..]);
    // DCS: D4 + 0 = D4 → 2C.
    assert_eq!(encoded[encoded.len() - 2..], [0x2C, 0x00]);
    assert_eq!(encoded.len(), 8 + 1 + 255 + 2);
    assert_eq!(frame::decode(&encoded), Ok(Frame::Command(data)));
}

#[test]
fn payload_of_254_bytes_still_uses_the_normal_frame() {
    let encoded = frame::encode(&Frame::Response(vec![0x01; MAX_NORMAL_DATA])).unwrap();
    // LEN = 255 = FF, LCS = 01.
    assert_eq!(encoded[..6], hex("00 00 FF FF 01 D5")[..]);
}

#[test]
fn payload_over_the_pn533_maximum_is_refused() {
    assert_eq!(
        frame::encode(&Frame::Command(vec![0; MAX_DATA + 1])),
        Err(FrameError::TooLong { len: MAX_DATA + 1 })
    );
    // An extended header announcing LEN = 0x0200 is refused before waiting for 512 bytes.
    assert_eq!(
        frame::decode(&hex("00 00 FF FF FF 02 00 FE D5")),
        Err(FrameError::TooLong { len: 0x1FF })
    );
}

#[test]
fn wrong_length_checksum_is_detected() {
    assert_eq!(
        frame::decode(&hex("00 00 FF 02 FD D4 02 2A 00")),
        Err(FrameError::LengthChecksum)
    );
}

#[test]
fn wrong_data_checksum_is_detected() {
    assert_eq!(
        frame::decode(&hex("00 00 FF 02 FE D4 02 2B 00")),
        Err(FrameError::DataChecksum)
    );
}

#[test]
fn missing_postamble_start_code_and_trailing_bytes_are_errors() {
    assert_eq!(
        frame::decode(&hex("00 00 FF 02 FE D4 02 2A 01")),
        Err(FrameError::BadPostamble)
    );
    assert_eq!(
        frame::decode(&hex("01 00 FF 02 FE D4 02 2A 00")),
        Err(FrameError::BadStart)
    );
    assert_eq!(
        frame::decode(&hex("00 00 FF 00 FF 00 00")),
        Err(FrameError::TrailingBytes)
    );
    assert_eq!(
        frame::decode(&hex("00 00 FF 02 FE AA 02 54 00")),
        Err(FrameError::UnknownTfi(0xAA))
    );
}

#[test]
fn truncated_frames_ask_for_more_bytes() {
    let full = hex("00 00 FF 06 FA D5 03 33 02 07 07 E5 00");
    for cut in 0..full.len() {
        assert_eq!(
            frame::decode(&full[..cut]),
            Err(FrameError::Incomplete),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_buffer_holding_ack_and_response_decodes_frame_by_frame() {
    let mut buffer = ACK_FRAME.to_vec();
    buffer.extend_from_slice(&hex("00 00 FF 06 FA D5 03 33 02 07 07 E5 00"));
    let (first, used) = frame::decode_prefix(&buffer).unwrap();
    assert_eq!((first, used), (Frame::Ack, 6));
    let (second, used2) = frame::decode_prefix(&buffer[used..]).unwrap();
    assert_eq!(second, Frame::Response(vec![0x03, 0x33, 0x02, 0x07, 0x07]));
    assert_eq!(used + used2, buffer.len());
}

#[test]
fn extra_preamble_zeros_are_tolerated() {
    assert_eq!(
        frame::decode(&hex("00 00 00 00 FF 00 FF 00")),
        Ok(Frame::Ack)
    );
}

fn information_frame() -> impl Strategy<Value = Frame> {
    (
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..=MAX_DATA),
    )
        .prop_map(|(command, data)| {
            if command {
                Frame::Command(data)
            } else {
                Frame::Response(data)
            }
        })
}

proptest! {
    #[test]
    fn information_frames_round_trip_up_to_the_maximum(frame in information_frame()) {
        let encoded = frame::encode(&frame).unwrap();
        let data_len = match &frame { Frame::Command(d) | Frame::Response(d) => d.len(), _ => 0 };
        let extended = encoded[3..5] == [0xFF, 0xFF];
        prop_assert_eq!(extended, data_len > MAX_NORMAL_DATA);
        prop_assert_eq!(frame::decode(&encoded), Ok(frame));
    }

    #[test]
    fn every_single_byte_corruption_is_detected(
        frame in information_frame(),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut encoded = frame::encode(&frame).unwrap();
        let at = position.index(encoded.len());
        encoded[at] ^= flip;
        prop_assert_ne!(frame::decode(&encoded), Ok(frame));
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok((_, used)) = frame::decode_prefix(&bytes) {
            prop_assert!(used <= bytes.len());
        }
        let _ = frame::decode(&bytes);
    }

    #[test]
    fn any_prefix_of_a_frame_is_incomplete(frame in information_frame(), cut in any::<prop::sample::Index>()) {
        let encoded = frame::encode(&frame).unwrap();
        let cut = cut.index(encoded.len());
        prop_assert_eq!(frame::decode(&encoded[..cut]), Err(FrameError::Incomplete));
    }
}
