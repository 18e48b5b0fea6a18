//! `Pn532Link` against kiln-sim's PN532 board: what only the serial board has (wake-up,
//! SAMConfiguration, the board's byte stream split and joined at any size, line noise, a serial
//! device that is not a PN532). The promises every link keeps are in `link_conformance/`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::pn53x::Pn533Link;
use kiln_core::link::pn532::{Pn532Link, SerialPipe};
use kiln_core::link::{Link, LinkError, LinkFault, PipeError};
use kiln_sim::pn532::{SimPn532, SimPn532Options};
use kiln_sim::pn533::SimPn533;
use pollster::block_on;
use support::serial::SerialSimPipe;
use support::{SimPipe, TEST_HISTORICAL, TestCard, echo_of};

const APDU: [u8; 7] = [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11];

/// Command codes of the PN533 connect (§3.7), after which the PN532 adds nothing.
const PN533_CONNECT: [u8; 5] = [0x02, 0x12, 0x32, 0x32, 0x4A];

#[test]
fn the_pn532_gets_sam_configuration_first_and_the_pn533_never() {
    let (pipe, board, _) = SerialSimPipe::new(SimPn532::new(TestCard::echo()));
    let link = block_on(Pn532Link::connect(pipe)).unwrap();
    assert_eq!(link.firmware().describe(), "PN532 v1.6");
    assert_eq!(link.target().historical_bytes(), Some(&TEST_HISTORICAL[..]));
    let codes = board.borrow().command_codes();
    assert_eq!(codes, [&[0x14][..], &PN533_CONNECT].concat());
    assert!(board.borrow().awake() && board.borrow().normal_mode());

    let (pipe, reader, _) = SimPipe::new(SimPn533::new(TestCard::echo()));
    block_on(Pn533Link::connect(pipe)).unwrap();
    assert_eq!(reader.borrow().command_codes(), PN533_CONNECT);
}

#[test]
fn any_split_of_the_boards_answers_gives_the_same_replies() {
    for max_read in [1, 2, 3, 5, 8, 64, 300] {
        for seed in 0..4 {
            let options = SimPn532Options {
                max_read,
                seed,
                ..SimPn532Options::default()
            };
            let (pipe, board, count) =
                SerialSimPipe::new(SimPn532::with_options(TestCard::echo(), options));
            let mut link = block_on(Pn532Link::connect(pipe)).unwrap();
            let long: Vec<u8> = (0..400).map(|i| i as u8).collect();
            for apdu in [&APDU[..], &long] {
                assert_eq!(
                    block_on(link.transmit(apdu)),
                    Ok(echo_of(apdu)),
                    "{max_read}"
                );
            }
            assert_eq!(board.borrow().card().received.len(), 2);
            if max_read == 1 {
                let count = *count.borrow();
                assert_eq!(count.reads, count.read, "one byte per read");
            }
        }
    }
}

#[test]
fn noise_nack_and_a_corrupted_response_are_recovered_and_the_token_sees_each_apdu_once() {
    let (pipe, board, _) = SerialSimPipe::new(SimPn532::new(TestCard::echo()));
    let mut link = block_on(Pn532Link::connect(pipe)).unwrap();
    type Arm = fn(&mut SimPn532<TestCard>);
    let faults: [Arm; 3] = [
        SimPn532::noise_before_next_answer,
        SimPn532::nack_next_command,
        SimPn532::corrupt_next_response,
    ];
    for (i, arm) in faults.iter().enumerate() {
        arm(&mut board.borrow_mut());
        assert_eq!(
            block_on(link.transmit(&APDU)),
            Ok(echo_of(&APDU)),
            "fault {i}"
        );
        assert_eq!(board.borrow().card().received.len(), i + 1, "fault {i}");
    }
}

#[test]
fn each_connect_wakes_the_board_again_after_a_power_cycle() {
    let (pipe, board, _) = SerialSimPipe::new(SimPn532::new(TestCard::echo()));
    let link = block_on(Pn532Link::connect(pipe)).unwrap();
    let pipe = block_on(link.close());
    assert!(!board.borrow().rf_on());
    board.borrow_mut().unplug();
    board.borrow_mut().plug_in();
    let mut link = block_on(Pn532Link::connect(pipe)).unwrap();
    assert_eq!(block_on(link.transmit(&APDU)), Ok(echo_of(&APDU)));
}

/// A serial device that is not a PN532 board.
enum NotABoard {
    /// Takes every byte and never answers (another device, or a board not in HSU mode).
    Silent,
    /// TX wired to RX: the host reads back what it wrote.
    Loopback(Vec<u8>),
}

impl SerialPipe for NotABoard {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        if let NotABoard::Loopback(echo) = self {
            echo.extend_from_slice(data);
        }
        Ok(())
    }
    async fn read(&mut self, _timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        match self {
            NotABoard::Loopback(echo) if !echo.is_empty() => Ok(std::mem::take(echo)),
            _ => Err(PipeError::Timeout),
        }
    }
}

#[test]
fn a_serial_device_that_is_not_a_pn532_fails_the_connect_without_hanging() {
    let silent = block_on(Pn532Link::connect(NotABoard::Silent)).map(|_| ());
    assert_eq!(silent, Err(LinkError::NoReply(LinkFault::ReaderGone)));
    // Our own frames coming back are not answers.
    let loopback = block_on(Pn532Link::connect(NotABoard::Loopback(Vec::new()))).map(|_| ());
    assert!(
        matches!(
            loopback,
            Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
        ),
        "{loopback:?}"
    );
}
