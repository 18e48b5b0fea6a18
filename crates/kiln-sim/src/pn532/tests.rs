//! The simulated board against docs/readers.md §6: asleep until `55`, low-VBAT until
//! SAMConfiguration, answers as a byte stream.

use super::{FIRMWARE, NOISE, SimPn532, SimPn532Options};
use crate::card::{Card, CardReply};
use crate::serial::SimSerialDevice;
use crate::usb::SimIn;

struct Echo;

impl Card for Echo {
    fn present(&self) -> bool {
        true
    }
    fn atqa(&self) -> [u8; 2] {
        [0x00, 0x44]
    }
    fn sak(&self) -> u8 {
        0x20
    }
    fn uid(&self) -> Vec<u8> {
        vec![0x01, 0x02, 0x03, 0x04]
    }
    fn ats(&self) -> Vec<u8> {
        vec![0x05, 0x78, 0x80, 0x70, 0x02]
    }
    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        CardReply::Reply([apdu, &[0x90, 0x00]].concat())
    }
}

fn hex(text: &str) -> Vec<u8> {
    let compact: String = text.split_whitespace().collect();
    hex::decode(compact).unwrap()
}

const WAKE_UP: &str = "55 55 00 00 00 00 00 00 00 00 00 00 00 00 00 00";
const SAM: &str = "00 00 FF 05 FB D4 14 01 14 01 02 00";
const SAM_ANSWER: &str = "00 00 FF 00 FF 00 00 00 FF 02 FE D5 15 16 00";
const FIRMWARE_FRAME: &str = "00 00 FF 02 FE D4 02 2A 00";
const LIST: &str = "00 00 FF 04 FC D4 4A 01 00 E1 00";
const ERROR_ANSWER: &str = "00 00 FF 00 FF 00 00 00 FF 01 FF 7F 81 00";

/// Everything the board has sent, however many reads it takes.
fn drain<C: Card>(sim: &mut SimPn532<C>) -> (Vec<u8>, usize) {
    let (mut bytes, mut reads) = (Vec::new(), 0);
    while let SimIn::Data(chunk) = sim.read() {
        assert!(!chunk.is_empty());
        bytes.extend(chunk);
        reads += 1;
    }
    (bytes, reads)
}

fn awake_in_normal_mode() -> SimPn532<Echo> {
    let mut sim = SimPn532::new(Echo);
    sim.write(&hex(WAKE_UP)).unwrap();
    sim.write(&hex(SAM)).unwrap();
    assert_eq!(drain(&mut sim).0, hex(SAM_ANSWER));
    sim
}

#[test]
fn asleep_it_ignores_frames_until_a_55_wakes_it() {
    let mut sim = SimPn532::new(Echo);
    sim.write(&hex(FIRMWARE_FRAME)).unwrap();
    assert_eq!(sim.read(), SimIn::Nothing);
    assert!(!sim.awake());
    sim.write(&hex(WAKE_UP)).unwrap();
    sim.write(&hex(FIRMWARE_FRAME)).unwrap();
    // ACK, then D5 03 32 01 06 07: DCS = -(D5+03+32+01+06+07) = E8.
    let expected = hex("00 00 FF 00 FF 00 00 00 FF 06 FA D5 03 32 01 06 07 E8 00");
    assert_eq!(drain(&mut sim).0, expected);
    assert_eq!(FIRMWARE, [0x32, 0x01, 0x06, 0x07]);
}

#[test]
fn a_frame_right_after_the_55_loses_its_start_while_the_chip_wakes() {
    let mut sim = SimPn532::new(Echo);
    sim.write(&[&[0x55][..], &hex(FIRMWARE_FRAME)].concat())
        .unwrap();
    assert_eq!(sim.read(), SimIn::Nothing);
    assert!(sim.command_codes().is_empty());
}

#[test]
fn listing_needs_sam_configuration_first() {
    let mut sim = SimPn532::new(Echo);
    sim.write(&hex(WAKE_UP)).unwrap();
    sim.write(&hex("00 00 FF 04 FC D4 32 01 01 F8 00")).unwrap(); // RF on
    drain(&mut sim);
    sim.write(&hex(LIST)).unwrap();
    assert_eq!(drain(&mut sim).0, hex(ERROR_ANSWER));
    assert!(!sim.normal_mode());
    sim.write(&hex(SAM)).unwrap();
    assert_eq!(drain(&mut sim).0, hex(SAM_ANSWER));
    sim.write(&hex(LIST)).unwrap();
    let (answer, _) = drain(&mut sim);
    // ACK, then LEN 0C: D5 4B 01 (one target) 01 (Tg) 00 44 20 04 + UID (no ATS: automatic
    // RATS off); DCS = -(D5+4B+01+01+44+20+04+01+02+03+04) = 6C.
    let expected =
        hex("00 00 FF 00 FF 00 00 00 FF 0C F4 D5 4B 01 01 00 44 20 04 01 02 03 04 6C 00");
    assert_eq!(answer, expected);
}

#[test]
fn answers_are_split_and_joined_across_reads_by_the_seed() {
    let mut sim = SimPn532::with_options(
        Echo,
        SimPn532Options {
            max_read: 4,
            ..SimPn532Options::default()
        },
    );
    sim.write(&hex(WAKE_UP)).unwrap();
    sim.write(&hex(SAM)).unwrap();
    let (bytes, reads) = drain(&mut sim);
    assert_eq!(bytes, hex(SAM_ANSWER));
    assert!(reads >= 15 / 4, "{reads} reads");
    // A host frame written byte by byte is received the same.
    for byte in hex(FIRMWARE_FRAME) {
        sim.write(&[byte]).unwrap();
    }
    assert_eq!(sim.command_codes(), vec![0x14, 0x02]);
}

#[test]
fn a_damaged_frame_gets_a_nack_and_a_nack_gets_the_last_response_again() {
    let mut sim = awake_in_normal_mode();
    sim.write(&hex("00 00 FF 02 FE D4 02 2B 00")).unwrap(); // DCS off by one
    assert_eq!(drain(&mut sim).0, hex("00 00 FF FF 00 00"));
    sim.write(&hex("00 00 FF FF 00 00")).unwrap();
    assert_eq!(drain(&mut sim).0, hex("00 00 FF 02 FE D5 15 16 00"));
}

#[test]
fn noise_stall_and_unplug_faults() {
    let mut sim = awake_in_normal_mode();
    sim.noise_before_next_answer();
    sim.write(&hex(FIRMWARE_FRAME)).unwrap();
    let (bytes, _) = drain(&mut sim);
    assert_eq!(&bytes[6..11], &NOISE);
    sim.stall_next_response();
    sim.write(&hex(FIRMWARE_FRAME)).unwrap();
    assert_eq!(drain(&mut sim).0, hex("00 00 FF 00 FF 00"));
    sim.unplug_after_next_command();
    sim.write(&hex(FIRMWARE_FRAME)).unwrap();
    assert_eq!(sim.read(), SimIn::Disconnected);
    assert!(sim.write(&hex(FIRMWARE_FRAME)).is_err());
    sim.plug_in();
    assert!(!sim.awake() && !sim.normal_mode());
}
