//! The shared tests, generic over the reader. Each gets a fresh simulated reader with a test
//! token on it, arms at most a fault or two, and checks what the link reports against what the
//! simulated token actually received.

use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_sim::CardReply;
use pollster::block_on;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::RefCell;
use std::rc::Rc;

use crate::readers::{Fault, SimReader};
use crate::support::{TEST_HISTORICAL, TestCard, echo_of};

/// The simulated reader, shared with the pipe.
pub type Sim<R> = Rc<RefCell<<R as SimReader>::Sim>>;
/// A pipe to the simulated reader.
pub type Pipe<R> = <R as SimReader>::Pipe;
/// The link under test.
pub type LinkOf<R> = <R as SimReader>::Link<Pipe<R>>;

const APDU: [u8; 5] = [0x80, 0x41, 0x00, 0x00, 0x00];

/// A fresh reader with `card` on it, not yet connected.
pub fn reader<R: SimReader>(card: TestCard) -> (Pipe<R>, Sim<R>) {
    R::new_sim(card)
}

/// A fresh reader with `card` on it, linked.
pub fn connected<R: SimReader>(card: TestCard) -> (LinkOf<R>, Sim<R>) {
    let (pipe, sim) = reader::<R>(card);
    let link = block_on(R::connect(pipe)).expect("connect");
    (link, sim)
}

/// A fresh linked reader with the echo token on it, `fault` armed.
fn connected_with_fault<R: SimReader>(fault: Fault) -> (LinkOf<R>, Sim<R>) {
    let (link, sim) = connected::<R>(TestCard::echo());
    arm::<R>(&sim, fault);
    (link, sim)
}

fn arm<R: SimReader>(sim: &Sim<R>, fault: Fault) {
    R::arm(&mut sim.borrow_mut(), fault);
}

fn received<R: SimReader>(sim: &Sim<R>) -> Vec<Vec<u8>> {
    R::received(&sim.borrow())
}

fn energised<R: SimReader>(sim: &Sim<R>) -> bool {
    R::energised(&sim.borrow())
}

pub fn connect_exposes_the_tokens_historical_bytes<R: SimReader>() {
    let (link, sim) = connected::<R>(TestCard::echo());
    assert_eq!(R::historical_bytes(&link), Some(TEST_HISTORICAL.to_vec()));
    assert!(energised::<R>(&sim));
}

pub fn transmit_returns_the_token_reply<R: SimReader>() {
    let (mut link, sim) = connected::<R>(TestCard::echo());
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert_eq!(received::<R>(&sim), vec![APDU.to_vec()]);
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert_eq!(received::<R>(&sim), vec![APDU.to_vec(), APDU.to_vec()]);
}

pub fn no_token_on_the_reader_is_not_sent_and_leaves_it_idle<R: SimReader>() {
    let (pipe, sim) = reader::<R>(TestCard::echo());
    arm::<R>(&sim, Fault::RemoveToken);
    let result = block_on(R::connect(pipe)).map(|_| ());
    assert_eq!(result, Err(LinkError::NotSent(LinkFault::NoToken)));
    assert!(!energised::<R>(&sim));
}

pub fn a_mifare_classic_is_not_a_token_and_leaves_the_reader_idle<R: SimReader>() {
    let (pipe, sim) = reader::<R>(TestCard::mifare_classic());
    match block_on(R::connect(pipe)).map(|_| ()) {
        Err(LinkError::NotSent(LinkFault::NotAToken { seen })) => {
            assert!(seen.contains("MIFARE Classic 1K"), "{seen}")
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(!energised::<R>(&sim));
}

pub fn mute_token_is_no_reply_token_mute_and_the_next_apdu_works<R: SimReader>() {
    let (mut link, _sim) = connected::<R>(TestCard::echo().then(CardReply::Mute));
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenMute))
    );
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
}

/// The token may have acted on the APDU before leaving: `NoReply`. What the next APDU gets
/// differs per reader (see the reader-specific tests); it never reaches the token.
pub fn token_leaving_during_the_exchange_is_no_reply_token_removed<R: SimReader>() {
    let (mut link, sim) = connected::<R>(TestCard::echo().then(CardReply::Removed));
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenRemoved))
    );
    assert_eq!(received::<R>(&sim).len(), 1);
    assert!(block_on(link.transmit(&APDU)).is_err());
    assert_eq!(received::<R>(&sim).len(), 1);
}

pub fn token_gone_before_the_exchange_is_reported_as_removed<R: SimReader>() {
    let (mut link, sim) = connected_with_fault::<R>(Fault::RemoveToken);
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::TokenRemoved))
    );
    assert!(received::<R>(&sim).is_empty());
}

pub fn unplugged_reader_means_not_sent<R: SimReader>() {
    let (mut link, sim) = connected_with_fault::<R>(Fault::Unplug);
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NotSent(LinkFault::ReaderGone))
    );
    assert!(received::<R>(&sim).is_empty());
}

pub fn unplug_after_the_command_means_no_reply<R: SimReader>() {
    let (mut link, sim) = connected_with_fault::<R>(Fault::UnplugAfterNextCommand);
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    assert_eq!(received::<R>(&sim).len(), 1);
}

pub fn stalled_reply_is_no_reply_and_no_later_command_gets_the_late_answer<R: SimReader>() {
    let (mut link, sim) = connected_with_fault::<R>(Fault::StallNextReply);
    assert_eq!(
        block_on(link.transmit(&APDU)),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    // The token did get the command: NoReply is the truth.
    assert_eq!(received::<R>(&sim).len(), 1);
    let second = [0x80, 0x02, 0x00, 0x00];
    let next = block_on(link.transmit(&second));
    if R::RESUMES_AFTER_NO_REPLY {
        // The reader can cancel the command (PN533: an ACK), so the link goes on.
        assert_eq!(next, Ok(echo_of(&second)));
        assert_eq!(received::<R>(&sim).len(), 2);
    } else {
        // The late answer may still come (CCID over bulk endpoints has no abort): the link
        // sends nothing more rather than risk taking it for the next command's.
        assert_eq!(next, Err(LinkError::NotSent(LinkFault::ReaderGone)));
        assert_eq!(received::<R>(&sim).len(), 1);
    }
}

pub fn close_leaves_the_reader_idle_and_gives_the_pipe_back<R: SimReader>() {
    let (link, sim) = connected::<R>(TestCard::echo());
    let pipe = block_on(R::close(link));
    assert!(!energised::<R>(&sim));
    let mut link = block_on(R::connect(pipe)).unwrap();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
    assert!(energised::<R>(&sim));
}

pub fn a_failed_connect_through_a_borrowed_pipe_leaves_the_pipe_with_the_caller<R: SimReader>() {
    let (mut pipe, sim) = reader::<R>(TestCard::echo());
    arm::<R>(&sim, Fault::RemoveToken);
    let first = block_on(R::connect(&mut pipe)).map(|_| ());
    assert_eq!(first, Err(LinkError::NotSent(LinkFault::NoToken)));
    // The user lays the token on the reader and tries again with the same open device.
    arm::<R>(&sim, Fault::InsertToken);
    let mut link = block_on(R::connect(&mut pipe)).unwrap();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
}

/// Any APDU the reader accepts comes back whole, and the token sees it exactly once.
pub fn every_apdu_up_to_the_reader_limit_comes_back_whole_once<R: SimReader>() {
    let mut runner = TestRunner::new(Config::with_cases(32));
    let apdus = prop::collection::vec(any::<u8>(), 1..=R::MAX_APDU);
    runner
        .run(&apdus, |apdu| {
            let (mut link, sim) = connected::<R>(TestCard::echo());
            prop_assert_eq!(block_on(link.transmit(&apdu)), Ok(echo_of(&apdu)));
            prop_assert_eq!(received::<R>(&sim), vec![apdu]);
            Ok(())
        })
        .unwrap();
}
