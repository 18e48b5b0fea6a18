//! `CcidLink` driven natively against kiln-sim's CCID reader, with its faults: unplug, card
//! removal, mute card, late, lost and garbled replies, time extensions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::ccid::CcidLink;
use kiln_core::link::pn53x::Pn533Link;
use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_sim::CardReply;
use kiln_sim::ccid::SimCcid;
use kiln_sim::pn533::SimPn533;
use pollster::block_on;
use proptest::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use support::{SimPipe, TEST_HISTORICAL, TestCard, WireLog, echo_of, hex};

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
fn both_readers_see_the_same_historical_bytes() {
    let (ccid, _) = connected(TestCard::echo());
    let (pipe, _, _) = SimPipe::new(SimPn533::new(TestCard::echo()));
    let pn533 = block_on(Pn533Link::connect(pipe)).unwrap();
    assert_eq!(ccid.historical_bytes(), pn533.target().historical_bytes());
}

#[test]
fn transmit_returns_the_token_reply_and_sequence_numbers_advance() {
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
fn empty_slot_is_no_token() {
    let (pipe, sim, _) = setup(TestCard::echo());
    sim.borrow_mut().remove_card();
    let result = block_on(CcidLink::connect(pipe)).map(|_| ());
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::NoToken)));
}

#[test]
fn storage_card_is_not_a_token_and_is_powered_off_again() {
    let (pipe, sim, _) = setup(TestCard::mifare_classic());
    match block_on(CcidLink::connect(pipe)).map(|_| ()) {
        Err(LinkError::NotSent(LinkFault::NotAToken { seen })) => {
            assert!(seen.contains("MIFARE Classic 1K"), "{seen}")
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!sim.borrow().card_powered());
}

#[test]
fn mute_token_is_no_reply_token_mute() {
    let (mut link, _) = connected(TestCard::echo().then(CardReply::Mute));
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenMute))
    );
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
}

#[test]
fn token_leaving_during_the_exchange_is_no_reply_token_removed() {
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
fn late_reply_is_dropped_by_its_sequence_number() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().delay_next_reply();
    assert_eq!(
        block_on(link.transmit(&[0x80, 0x01])),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    // The late answer to 80 01 arrives first; the link must not take it for this one.
    assert_eq!(
        block_on(link.transmit(&[0x80, 0x02])),
        Ok(echo_of(&[0x80, 0x02]))
    );
}

#[test]
fn lost_reply_is_no_reply_and_the_token_did_get_the_command() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().stall_next_reply();
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
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
fn unplugged_reader_means_not_sent() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().unplug();
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NotSent(LinkFault::ReaderGone))
    );
    assert!(sim.borrow().card().received.is_empty());
}

#[test]
fn unplug_after_the_command_means_no_reply() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().unplug_after_next_command();
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    assert_eq!(sim.borrow().card().received.len(), 1);
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

#[test]
fn close_powers_the_card_off_and_gives_the_pipe_back() {
    let (link, sim) = connected(TestCard::echo());
    let pipe = block_on(link.close());
    assert!(!sim.borrow().card_powered());
    let mut link = block_on(CcidLink::connect(pipe)).unwrap();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
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

#[test]
fn a_failed_connect_through_a_borrowed_pipe_leaves_the_pipe_with_the_caller() {
    let (mut pipe, sim, _) = setup(TestCard::echo());
    sim.borrow_mut().remove_card();
    let first = block_on(CcidLink::connect(&mut pipe)).map(|_| ());
    assert_eq!(first, Err(LinkError::NotSent(LinkFault::NoToken)));
    sim.borrow_mut().insert_card();
    let mut link = block_on(CcidLink::connect(&mut pipe)).unwrap();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
}
