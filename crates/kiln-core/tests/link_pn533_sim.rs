//! `Pn533Link` against kiln-sim's PN533 reader: what only the PN533 has (firmware version, the
//! worked frames, MI chaining, zero-length packets, NACK recovery, cancel by ACK, the dropped first
//! command). The promises every link keeps are in the conformance suite, `link_conformance/`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::pn53x::{PN533_BULK_PACKET, Pn533Link};
use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_sim::CardReply;
use kiln_sim::pn533::{HostEvent, HostFrame, SimPn533, SimPn533Options};
use kiln_sim::token::SimToken;
use pollster::block_on;
use proptest::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use support::{
    SimPipe, TEST_ATS, TEST_HISTORICAL, TEST_UID, TestCard, Wire, WireLog, echo_of, hex, writes,
};

type Sim = Rc<RefCell<SimPn533<TestCard>>>;
type Pipe = SimPipe<SimPn533<TestCard>>;

fn setup(card: TestCard, options: SimPn533Options) -> (Pipe, Sim, WireLog) {
    SimPipe::new(SimPn533::with_options(card, options))
}

fn connected(card: TestCard) -> (Pn533Link<Pipe>, Sim) {
    connected_with(card, SimPn533Options::default())
}

fn connected_with(card: TestCard, options: SimPn533Options) -> (Pn533Link<Pipe>, Sim) {
    let (pipe, sim, _) = setup(card, options);
    let link = block_on(Pn533Link::connect(pipe)).expect("connect");
    (link, sim)
}

const APDU: [u8; 5] = [0x80, 0x41, 0x00, 0x00, 0x00];

#[test]
fn connect_reports_firmware_uid_and_ats_of_the_token() {
    let (link, sim) = connected(TestCard::echo());
    assert_eq!(link.firmware().describe(), "PN533 v2.7");
    assert_eq!(link.uid(), TEST_UID);
    assert_eq!(link.ats(), TEST_ATS);
    assert_eq!(link.target().historical_bytes(), Some(&TEST_HISTORICAL[..]));
    assert!(sim.borrow().rf_on());
    assert!(sim.borrow().target_selected());
}

#[test]
fn connect_speaks_the_worked_frames_of_the_reference() {
    let (pipe, _sim, wire) = setup(TestCard::echo(), SimPn533Options::default());
    block_on(Pn533Link::connect(pipe)).unwrap();
    let expected = [
        "00 00 FF 02 FE D4 02 2A 00",
        "00 00 FF 03 FD D4 12 14 06 00",
        "00 00 FF 04 FC D4 32 01 01 F8 00",
        "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00",
        "00 00 FF 04 FC D4 4A 01 00 E1 00",
    ];
    assert_eq!(writes(&wire), expected.map(hex).to_vec());
}

#[test]
fn frames_filling_whole_usb_packets_get_through() {
    // 8 bytes of framing + D4's PD: 40 01 + 54 APDU bytes = 64 bytes, a whole USB packet: the
    // chip only sees the frame once the zero-length packet ends the transfer.
    let apdu = vec![0x5A; 54];
    let (pipe, _sim, wire) = setup(TestCard::echo(), SimPn533Options::default());
    let mut link = block_on(Pn533Link::connect(pipe)).unwrap();
    assert_eq!(block_on(link.transmit(&apdu)), Ok(echo_of(&apdu)));
    let lengths: Vec<usize> = writes(&wire).iter().map(Vec::len).collect();
    assert_eq!(lengths.last(), Some(&PN533_BULK_PACKET));
}

#[test]
fn short_replies_are_fetched_with_mi_chaining() {
    let options = SimPn533Options {
        reply_chunk: 3,
        ..SimPn533Options::default()
    };
    let (mut link, _sim) = connected_with(TestCard::echo(), options);
    let apdu = hex("80 C5 01 01 10 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF");
    assert_eq!(block_on(link.transmit(&apdu)), Ok(echo_of(&apdu)));
}

#[test]
fn long_apdus_are_sent_with_mi_chaining_and_arrive_whole() {
    let (mut link, sim) = connected(TestCard::echo());
    let apdu: Vec<u8> = (0..700u32).map(|i| (i * 7) as u8).collect();
    assert_eq!(block_on(link.transmit(&apdu)), Ok(echo_of(&apdu)));
    assert_eq!(sim.borrow().card().received, vec![apdu]);
}

#[test]
fn close_releases_the_token_then_switches_the_field_off() {
    let (link, sim) = connected(TestCard::echo());
    block_on(link.close());
    assert!(!sim.borrow().target_selected());
    let codes = sim.borrow().command_codes();
    assert_eq!(codes[codes.len() - 2..], [0x52, 0x32]);
}

#[test]
fn first_command_dropped_after_plug_in_is_recovered() {
    let options = SimPn533Options {
        drop_first_command: true,
        ..SimPn533Options::default()
    };
    let (mut link, sim) = connected_with(TestCard::echo(), options);
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    let sim = sim.borrow();
    assert!(matches!(sim.log()[0], HostEvent::Dropped(_)));
    assert_eq!(sim.log()[1], HostEvent::Frame(HostFrame::Ack));
}

#[test]
fn nack_instead_of_ack_is_recovered_and_the_apdu_runs_once() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().nack_next_command();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert_eq!(sim.borrow().card().received.len(), 1);
}

#[test]
fn garbage_instead_of_a_response_is_recovered_with_nack_and_the_apdu_runs_once() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().garble_next_response();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert_eq!(sim.borrow().card().received.len(), 1);
    assert!(
        sim.borrow()
            .log()
            .contains(&HostEvent::Frame(HostFrame::Nack))
    );
}

#[test]
fn a_response_with_a_bad_checksum_is_recovered_with_nack() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().corrupt_next_response();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert_eq!(sim.borrow().card().received.len(), 1);
}

#[test]
fn stalled_reply_is_cancelled_with_an_ack() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().stall_next_response();
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    assert_eq!(
        sim.borrow().log().last(),
        Some(&HostEvent::Frame(HostFrame::Ack))
    );
}

#[test]
fn after_the_token_left_the_chip_refuses_the_next_apdu_before_the_radio() {
    let (mut link, sim) = connected(TestCard::echo().then(CardReply::Removed));
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenRemoved))
    );
    // The target is gone: the chip refuses further exchanges before the radio.
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NotSent(LinkFault::NoToken))
    );
    assert_eq!(sim.borrow().card().received.len(), 1);
}

#[test]
fn data_exchange_waits_generously_for_the_token() {
    let (pipe, _sim, wire) = setup(TestCard::echo(), SimPn533Options::default());
    let mut link = block_on(Pn533Link::connect(pipe)).unwrap();
    wire.borrow_mut().clear();
    block_on(link.transmit(&APDU)).unwrap();
    let timeouts: Vec<u32> = wire
        .borrow()
        .iter()
        .filter_map(|event| match event {
            Wire::Read { timeout_ms, .. } => Some(*timeout_ms),
            Wire::Write(_) => None,
        })
        .collect();
    // One read for the ACK, one for the response, which may take a token's flash write.
    assert_eq!(timeouts.len(), 2);
    assert!(timeouts[1] >= 3_000, "{timeouts:?}");
}

/// The worked example of docs/readers.md §5.1, byte for byte.
#[test]
fn get_info_exchange_is_the_worked_example_of_the_reader_reference() {
    let token = SimToken::new("8659622000123", 0x6553_F0F0);
    let (pipe, _sim, wire) = SimPipe::new(SimPn533::new(token));
    let mut link = block_on(Pn533Link::connect(pipe)).unwrap();
    wire.borrow_mut().clear();
    let reply = block_on(link.transmit(&hex("80 41 00 00 02 02 11"))).unwrap();
    let info = "95 15 02 0D 38 36 35 39 36 32 32 30 30 30 31 32 33 11 04 65 53 F0 F0 90 00";
    assert_eq!(reply, hex(info));
    let expected = vec![
        Wire::Write(hex("00 00 FF 0A F6 D4 40 01 80 41 00 00 02 02 11 15 00")),
        Wire::Read {
            timeout_ms: 1_000,
            result: Ok(hex("00 00 FF 00 FF 00")),
        },
        Wire::Read {
            timeout_ms: 3_000,
            result: Ok(hex(&format!("00 00 FF 1C E4 D5 41 00 {info} 58 00"))),
        },
    ];
    assert_eq!(*wire.borrow(), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any APDU length and any reply chunk size: the reply comes back whole and the token sees
    /// the APDU exactly once.
    #[test]
    fn chaining_both_ways_delivers_every_byte_once(
        apdu in prop::collection::vec(any::<u8>(), 1..=1_000),
        chunk in 1usize..=262,
    ) {
        let options = SimPn533Options { reply_chunk: chunk, ..SimPn533Options::default() };
        let (mut link, sim) = connected_with(TestCard::echo(), options);
        prop_assert_eq!(block_on(link.transmit(&apdu)), Ok(echo_of(&apdu)));
        let received = sim.borrow().card().received.clone();
        prop_assert_eq!(received, vec![apdu]);
    }
}
