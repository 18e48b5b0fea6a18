//! The simulated chip against the byte examples of docs/readers.md §3.2 and §3.4.

use super::{SimIn, SimPn533, SimPn533Options, SimUsbDevice};
use crate::card::{Card, CardReply};

struct Echo {
    present: bool,
}

impl Card for Echo {
    fn present(&self) -> bool {
        self.present
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

fn sim() -> SimPn533<Echo> {
    SimPn533::new(Echo { present: true })
}

fn send(sim: &mut SimPn533<Echo>, frame: &str) {
    sim.bulk_out(&hex(frame)).unwrap();
}

fn next(sim: &mut SimPn533<Echo>) -> SimIn {
    sim.bulk_in()
}

const ACK: &str = "00 00 FF 00 FF 00";

#[test]
fn get_firmware_version_answers_the_libnfc_trace() {
    let mut sim = sim();
    send(&mut sim, "00 00 FF 02 FE D4 02 2A 00");
    assert_eq!(next(&mut sim), SimIn::Data(hex(ACK)));
    assert_eq!(
        next(&mut sim),
        SimIn::Data(hex("00 00 FF 06 FA D5 03 33 02 07 07 E5 00"))
    );
    assert_eq!(next(&mut sim), SimIn::Nothing);
}

#[test]
fn a_frame_with_a_bad_checksum_gets_a_nack_and_is_not_executed() {
    let mut sim = sim();
    send(&mut sim, "00 00 FF 02 FE D4 02 2B 00");
    assert_eq!(next(&mut sim), SimIn::Data(hex("00 00 FF FF 00 00")));
    assert_eq!(next(&mut sim), SimIn::Nothing);
}

#[test]
fn nack_from_the_host_resends_the_last_response() {
    let mut sim = sim();
    send(&mut sim, "00 00 FF 02 FE D4 02 2A 00");
    let _ack = next(&mut sim);
    let response = next(&mut sim);
    send(&mut sim, "00 00 FF FF 00 00");
    assert_eq!(next(&mut sim), response);
}

#[test]
fn a_whole_packet_frame_waits_for_the_zero_length_packet() {
    let mut sim = sim();
    // Set up a target first: SetParameters 14, RF on, finite retries, list.
    for frame in [
        "00 00 FF 03 FD D4 12 14 06 00",
        "00 00 FF 04 FC D4 32 01 01 F8 00",
        "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00",
        "00 00 FF 04 FC D4 4A 01 00 E1 00",
    ] {
        send(&mut sim, frame);
    }
    while next(&mut sim) != SimIn::Nothing {}
    // InDataExchange with 54 APDU bytes: 64 bytes on the wire.
    let mut pd = vec![0xD4, 0x40, 0x01];
    pd.extend_from_slice(&[0x00; 54]);
    let dcs = 0u8.wrapping_sub(pd.iter().fold(0u8, |s, b| s.wrapping_add(*b)));
    let mut frame = vec![
        0x00,
        0x00,
        0xFF,
        pd.len() as u8,
        0u8.wrapping_sub(pd.len() as u8),
    ];
    frame.extend_from_slice(&pd);
    frame.extend_from_slice(&[dcs, 0x00]);
    assert_eq!(frame.len(), 64);
    sim.bulk_out(&frame).unwrap();
    assert_eq!(next(&mut sim), SimIn::Nothing);
    sim.bulk_out(&[]).unwrap();
    assert_eq!(next(&mut sim), SimIn::Data(hex(ACK)));
}

#[test]
fn listing_reports_ats_only_with_automatic_rats() {
    let mut sim = sim();
    send(&mut sim, "00 00 FF 04 FC D4 32 01 01 F8 00");
    send(&mut sim, "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00");
    send(&mut sim, "00 00 FF 04 FC D4 4A 01 00 E1 00");
    let frames: Vec<SimIn> = std::iter::from_fn(|| match next(&mut sim) {
        SimIn::Nothing => None,
        other => Some(other),
    })
    .collect();
    // Without SetParameters 14: Tg 1, 00 44, SAK 20, UID, no ATS.
    let pd = hex("D5 4B 01 01 00 44 20 04 01 02 03 04");
    let dcs = 0u8.wrapping_sub(pd.iter().fold(0u8, |s, b| s.wrapping_add(*b)));
    let mut expected = vec![0x00, 0x00, 0xFF, 12, 0u8.wrapping_sub(12)];
    expected.extend_from_slice(&pd);
    expected.extend_from_slice(&[dcs, 0x00]);
    assert_eq!(frames.last(), Some(&SimIn::Data(expected)));
}

#[test]
fn infinite_retries_without_a_card_answer_only_when_a_card_arrives() {
    let mut sim = SimPn533::new(Echo { present: false });
    send(&mut sim, "00 00 FF 04 FC D4 32 01 01 F8 00");
    while next(&mut sim) != SimIn::Nothing {}
    send(&mut sim, "00 00 FF 04 FC D4 4A 01 00 E1 00");
    assert_eq!(next(&mut sim), SimIn::Data(hex(ACK)));
    assert_eq!(next(&mut sim), SimIn::Nothing);
    sim.card_mut().present = true;
    assert!(matches!(next(&mut sim), SimIn::Data(frame) if frame[5..8] == [0xD5, 0x4B, 0x01]));
}

#[test]
fn first_command_may_be_dropped_and_unplugged_reader_refuses_writes() {
    let options = SimPn533Options {
        drop_first_command: true,
        ..SimPn533Options::default()
    };
    let mut sim = SimPn533::with_options(Echo { present: true }, options);
    send(&mut sim, "00 00 FF 02 FE D4 02 2A 00");
    assert_eq!(next(&mut sim), SimIn::Nothing);
    send(&mut sim, "00 00 FF 02 FE D4 02 2A 00");
    assert_eq!(next(&mut sim), SimIn::Data(hex(ACK)));
    sim.unplug();
    assert!(sim.bulk_out(&hex(ACK)).is_err());
    assert_eq!(next(&mut sim), SimIn::Disconnected);
}
