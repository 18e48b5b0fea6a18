//! `CcidLink` against kiln-sim's CCID reader: what only CCID has (the PC/SC ATR, `bSeq`, time
//! extensions, the short-APDU limit, a garbled answer). The promises every link keeps are in the
//! conformance suite, `link_conformance/`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::ccid::CcidLink;
use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_sim::CardReply;
use kiln_sim::ccid::SimCcid;
use kiln_sim::token::SimToken;
use pollster::block_on;
use proptest::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use support::{SimPipe, TEST_HISTORICAL, TestCard, Wire, WireLog, echo_of, hex};

type Sim = Rc<RefCell<SimCcid<TestCard>>>;
type Pipe = SimPipe<SimCcid<TestCard>>;

fn setup(card: TestCard) -> (Pipe, Sim, WireLog) {
    SimPipe::new(SimCcid::new(card))
}

fn connected(card: TestCard) -> (CcidLink<Pipe>, Sim) {
    let (pipe, sim, _) = setup(card);
    let link = block_on(CcidLink::connect(pipe)).expect("connect");
    (link, sim)
}

const APDU: [u8; 5] = [0x80, 0x41, 0x00, 0x00, 0x00];

#[test]
fn connect_returns_the_pcsc_part3_atr_built_from_the_ats() {
    let (link, sim) = connected(TestCard::echo());
    // 3B 84 80 01 "KILN" TCK, TCK = 84^80^01^4B^49^4C^4E = 05 (worked by hand).
    assert_eq!(link.atr(), hex("3B 84 80 01 4B 49 4C 4E 05"));
    assert_eq!(link.historical_bytes(), Some(&TEST_HISTORICAL[..]));
    assert!(sim.borrow().card_powered());
}

#[test]
fn sequence_numbers_advance_with_every_message() {
    let (mut link, sim) = connected(TestCard::echo());
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    let seqs: Vec<u8> = sim.borrow().log().iter().map(|c| c.seq).collect();
    assert_eq!(seqs, vec![0, 1, 2, 3]);
}

#[test]
fn time_extensions_are_waited_through() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().set_time_extensions(3);
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
}

#[test]
fn a_token_put_back_stays_unpowered_until_the_next_connect() {
    let (mut link, sim) = connected(TestCard::echo().then(CardReply::Removed));
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenRemoved))
    );
    assert_eq!(sim.borrow().card().received.len(), 1);
    // Put back, it is unpowered until the next connect: the reader does not pass the APDU on.
    sim.borrow_mut().insert_card();
    assert!(matches!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenRemoved))
    ));
    assert_eq!(sim.borrow().card().received.len(), 1);
}

#[test]
fn a_delayed_reply_is_no_reply_and_the_link_sends_nothing_more() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().delay_next_reply();
    assert_eq!(
        block_on(link.transmit(&[0x80, 0x01])),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    // The late answer to 80 01 is still on its way: no later command may be matched with it,
    // so the link refuses to send one (link_ccid_late_reply.rs covers the draining and the
    // sequence-number check on a new link).
    assert_eq!(
        block_on(link.transmit(&[0x80, 0x02])),
        Err(LinkError::NotSent(LinkFault::ReaderGone))
    );
    assert_eq!(sim.borrow().card().received.len(), 1);
}

#[test]
fn garbage_reply_is_no_reply() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().garble_next_reply();
    assert!(matches!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
}

#[test]
fn apdu_beyond_the_short_apdu_reader_limit_is_refused_not_sent() {
    let (mut link, sim) = connected(TestCard::echo());
    let apdu = vec![0x00; 262];
    assert!(matches!(
        block_on(link.transmit(&apdu)),
        Err(LinkError::NotSent(LinkFault::Reader(_)))
    ));
    assert!(sim.borrow().card().received.is_empty());
}

/// The worked example of docs/readers.md §5.2, byte for byte.
#[test]
fn get_info_exchange_is_the_worked_example_of_the_reader_reference() {
    let token = SimToken::new("8659622000123", 0x6553_F0F0);
    let (pipe, _sim, wire) = SimPipe::new(SimCcid::new(token));
    let mut link = block_on(CcidLink::connect(pipe)).unwrap();
    wire.borrow_mut().clear();
    let reply = block_on(link.transmit(&hex("80 41 00 00 02 02 11"))).unwrap();
    let info = "95 15 02 0D 38 36 35 39 36 32 32 30 30 30 31 32 33 11 04 65 53 F0 F0 90 00";
    assert_eq!(reply, hex(info));
    let expected = vec![
        Wire::Write(hex("6F 07 00 00 00 00 02 00 00 00 80 41 00 00 02 02 11")),
        Wire::Read {
            timeout_ms: 3_000,
            result: Ok(hex(&format!("80 19 00 00 00 00 02 00 00 00 {info}"))),
        },
    ];
    assert_eq!(*wire.borrow(), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any APDU the reader accepts, any number of time extensions: the reply comes back whole.
    #[test]
    fn every_short_apdu_comes_back_whole(
        apdu in prop::collection::vec(any::<u8>(), 1..=261),
        extensions in 0u8..5,
    ) {
        let (mut link, sim) = connected(TestCard::echo());
        sim.borrow_mut().set_time_extensions(extensions);
        prop_assert_eq!(block_on(link.transmit(&apdu)), Ok(echo_of(&apdu)));
    }
}
