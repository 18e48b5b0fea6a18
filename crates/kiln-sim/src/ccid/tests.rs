//! The simulated CCID reader against the byte examples of docs/readers.md §4.2 and §4.7.

use super::{SimCcid, SimIn, SimUsbDevice};
use crate::card::{Card, CardReply};

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
        // TL 06, T0 11 (TA1 present, FSCI 1), TA1 80, historical C1 05 2F.
        vec![0x06, 0x11, 0x80, 0xC1, 0x05, 0x2F]
    }
    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        CardReply::Reply([apdu, &[0x90, 0x00]].concat())
    }
}

fn hex(text: &str) -> Vec<u8> {
    let compact: String = text.split_whitespace().collect();
    hex::decode(compact).unwrap()
}

fn exchange(sim: &mut SimCcid<Echo>, message: &str) -> SimIn {
    sim.bulk_out(&hex(message)).unwrap();
    sim.bulk_in()
}

#[test]
fn power_on_answers_a_data_block_with_the_pcsc_part3_atr() {
    let mut sim = SimCcid::new(Echo);
    // ATR 3B 83 80 01 C1 05 2F TCK; TCK = 83^80^01^C1^05^2F = E9.
    assert_eq!(
        exchange(&mut sim, "62 00 00 00 00 00 00 00 00 00"),
        SimIn::Data(hex("80 08 00 00 00 00 00 00 00 00 3B 83 80 01 C1 05 2F E9"))
    );
}

#[test]
fn slot_status_says_present_then_active_then_absent() {
    let mut sim = SimCcid::new(Echo);
    let status = |sim: &mut SimCcid<Echo>, seq: &str| {
        exchange(sim, &format!("65 00 00 00 00 00 {seq} 00 00 00"))
    };
    assert_eq!(
        status(&mut sim, "01"),
        SimIn::Data(hex("81 00 00 00 00 00 01 01 00 00"))
    );
    let _ = exchange(&mut sim, "62 00 00 00 00 00 02 00 00 00");
    assert_eq!(
        status(&mut sim, "03"),
        SimIn::Data(hex("81 00 00 00 00 00 03 00 00 00"))
    );
    sim.remove_card();
    assert_eq!(
        status(&mut sim, "04"),
        SimIn::Data(hex("81 00 00 00 00 00 04 02 00 00"))
    );
}

#[test]
fn get_uid_example_is_passed_to_the_card_with_seq_echoed() {
    let mut sim = SimCcid::new(Echo);
    let _ = exchange(&mut sim, "62 00 00 00 00 00 00 00 00 00");
    assert_eq!(
        exchange(&mut sim, "6F 05 00 00 00 00 07 00 00 00 FF CA 00 00 00"),
        SimIn::Data(hex("80 07 00 00 00 00 07 00 00 00 FF CA 00 00 00 90 00"))
    );
}

#[test]
fn xfr_block_without_a_card_fails_with_icc_mute_and_absent() {
    let mut sim = SimCcid::new(Echo);
    sim.remove_card();
    assert_eq!(
        exchange(&mut sim, "6F 01 00 00 00 00 01 00 00 00 00"),
        SimIn::Data(hex("80 00 00 00 00 00 01 42 FE 00"))
    );
}

#[test]
fn a_second_slot_does_not_exist() {
    let mut sim = SimCcid::new(Echo);
    assert_eq!(
        exchange(&mut sim, "65 00 00 00 00 01 09 00 00 00"),
        SimIn::Data(hex("81 00 00 00 00 01 09 42 05 00"))
    );
}

#[test]
fn time_extensions_come_before_the_answer() {
    let mut sim = SimCcid::new(Echo);
    let _ = exchange(&mut sim, "62 00 00 00 00 00 00 00 00 00");
    sim.set_time_extensions(2);
    let first = exchange(&mut sim, "6F 01 00 00 00 00 01 00 00 00 AA");
    assert_eq!(first, SimIn::Data(hex("80 00 00 00 00 00 01 80 01 00")));
    assert_eq!(
        sim.bulk_in(),
        SimIn::Data(hex("80 00 00 00 00 00 01 80 01 00"))
    );
    assert_eq!(
        sim.bulk_in(),
        SimIn::Data(hex("80 03 00 00 00 00 01 00 00 00 AA 90 00"))
    );
}

#[test]
fn a_message_split_over_writes_is_reassembled_and_zlps_are_ignored() {
    let mut sim = SimCcid::new(Echo);
    sim.bulk_out(&hex("62 00 00 00")).unwrap();
    sim.bulk_out(&[]).unwrap();
    sim.bulk_out(&hex("00 00 00 00 00 00")).unwrap();
    assert!(matches!(sim.bulk_in(), SimIn::Data(answer) if answer[0] == 0x80));
}

#[test]
fn a_late_reply_comes_after_one_empty_read_with_the_old_sequence_number() {
    let mut sim = SimCcid::new(Echo);
    exchange(&mut sim, "62 00 00 00 00 00 00 00 00 00");
    sim.late_next_reply();
    // XfrBlock seq 01 with 80 01: the first read finds nothing (the host times out) ...
    assert_eq!(
        exchange(&mut sim, "6F 02 00 00 00 00 01 00 00 00 80 01"),
        SimIn::Nothing
    );
    // ... the next read gets the answer, still numbered 01.
    assert_eq!(
        sim.bulk_in(),
        SimIn::Data(hex("80 04 00 00 00 00 01 00 00 00 80 01 90 00"))
    );
    assert_eq!(sim.bulk_in(), SimIn::Nothing);
}

#[test]
fn a_late_reply_still_pending_is_sent_before_the_next_answer() {
    let mut sim = SimCcid::new(Echo);
    exchange(&mut sim, "62 00 00 00 00 00 00 00 00 00");
    sim.late_next_reply();
    assert_eq!(
        exchange(&mut sim, "6F 02 00 00 00 00 01 00 00 00 80 01"),
        SimIn::Nothing
    );
    assert_eq!(
        exchange(&mut sim, "6F 02 00 00 00 00 02 00 00 00 80 02"),
        SimIn::Data(hex("80 04 00 00 00 00 01 00 00 00 80 01 90 00"))
    );
    assert_eq!(
        sim.bulk_in(),
        SimIn::Data(hex("80 04 00 00 00 00 02 00 00 00 80 02 90 00"))
    );
}
