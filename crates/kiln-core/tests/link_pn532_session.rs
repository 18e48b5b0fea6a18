//! The PN532 serial link as sans-IO sessions, fed scripted board bytes: the worked connect
//! (wake-up, SAMConfiguration, the PN533 connect) and GET INFO, answers split across reads and
//! joined in one, NACK resend, line noise, and the "not sent"/"no reply" outcomes. The expected
//! bytes are written out from the PN532 user manual's frame rules (docs/readers.md §3, §6).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use kiln_core::link::machine::{Action, Machine};
use kiln_core::link::pn53x::frame::MAX_FRAME_LEN;
use kiln_core::link::pn53x::line::{SERIAL_GAP_MS, SERIAL_MAX_BYTES};
use kiln_core::link::pn53x::{Close, Line, Transmit};
use kiln_core::link::pn532::Connect;
use kiln_core::link::{LinkError, LinkFault, PipeError};
use std::collections::VecDeque;
use support::{hex, pn53x_response};

const WAKE_UP: &str = "55 55 00 00 00 00 00 00 00 00 00 00 00 00 00 00";
/// SAMConfiguration 01 14 01: LEN 05, LCS FB, DCS = -(D4+14+01+14+01) = 02.
const SAM: &str = "00 00 FF 05 FB D4 14 01 14 01 02 00";
const ACK: &str = "00 00 FF 00 FF 00";
const NACK: &str = "00 00 FF FF 00 00";
/// D5 15: DCS = -(D5+15) = 16.
const SAM_RESPONSE: &str = "00 00 FF 02 FE D5 15 16 00";
const GET_FIRMWARE: &str = "00 00 FF 02 FE D4 02 2A 00";
/// D5 03 32 01 06 07 (PN532 v1.6): DCS = -(D5+03+32+01+06+07) = E8.
const FIRMWARE_RESPONSE: &str = "00 00 FF 06 FA D5 03 32 01 06 07 E8 00";
const SET_PARAMETERS: &str = "00 00 FF 03 FD D4 12 14 06 00";
/// D5 13: DCS 18.
const SET_PARAMETERS_RESPONSE: &str = "00 00 FF 02 FE D5 13 18 00";
const RF_ON: &str = "00 00 FF 04 FC D4 32 01 01 F8 00";
const RETRIES: &str = "00 00 FF 06 FA D4 32 05 FF 01 02 F3 00";
/// D5 33: DCS F8.
const RF_RESPONSE: &str = "00 00 FF 02 FE D5 33 F8 00";
const LIST: &str = "00 00 FF 04 FC D4 4A 01 00 E1 00";
/// One target: Tg 01, ATQA 00 44, SAK 20, 7-byte UID, ATS 06 75 77 81 02 80 (TA, TB, TC, one
/// historical byte 80).
const LIST_PD: &str = "4B 01 01 00 44 20 07 04 11 22 33 44 55 66 06 75 77 81 02 80";
/// GET INFO through InDataExchange, docs/readers.md §5.1.
const GET_INFO: &str = "80 41 00 00 02 02 11";
const GET_INFO_FRAME: &str = "00 00 FF 0A F6 D4 40 01 80 41 00 00 02 02 11 15 00";
const GET_INFO_RESPONSE: &str = "00 00 FF 1C E4 D5 41 00 95 15 02 0D 38 36 35 39 36 32 32 30 30 \
                                 30 31 32 33 11 04 65 53 F0 F0 90 00 58 00";
const GET_INFO_REPLY: &str = "95 15 02 0D 38 36 35 39 36 32 32 30 30 30 31 32 33 11 04 65 53 F0 \
                              F0 90 00";

/// What the scripted board sends after each frame the host writes (in order), as one stream.
fn connect_answers() -> Vec<Vec<u8>> {
    vec![
        hex(&format!("{ACK} {SAM_RESPONSE}")),
        hex(&format!("{ACK} {FIRMWARE_RESPONSE}")),
        hex(&format!("{ACK} {SET_PARAMETERS_RESPONSE}")),
        hex(&format!("{ACK} {RF_RESPONSE}")),
        hex(&format!("{ACK} {RF_RESPONSE}")),
        [hex(ACK), pn53x_response(&hex(LIST_PD))].concat(),
    ]
}

fn connect_frames() -> Vec<Vec<u8>> {
    [
        WAKE_UP,
        SAM,
        GET_FIRMWARE,
        SET_PARAMETERS,
        RF_ON,
        RETRIES,
        LIST,
    ]
    .iter()
    .map(|frame| hex(frame))
    .collect()
}

/// A run of a session: the result, every write, and the timeout of every read.
struct Run<T> {
    result: Result<T, LinkError>,
    written: Vec<Vec<u8>>,
    timeouts: Vec<u32>,
}

/// Drives `machine` against a board that answers each write (after the wake-up) with the next
/// entry of `answers`, handed over in reads of `chunk` bytes. Writes succeed; reads on an empty
/// line time out.
fn drive<M: Machine>(machine: &mut M, answers: Vec<Vec<u8>>, chunk: usize) -> Run<M::Output> {
    drive_with(machine, answers, chunk, |_| true)
}

/// Like [`drive`], with `answers_write(i)` saying whether the i-th write gets the next answer.
fn drive_with<M: Machine>(
    machine: &mut M,
    answers: Vec<Vec<u8>>,
    chunk: usize,
    mut answers_write: impl FnMut(&[u8]) -> bool,
) -> Run<M::Output> {
    let mut answers = VecDeque::from(answers);
    let mut line: VecDeque<u8> = VecDeque::new();
    let (mut written, mut timeouts) = (Vec::new(), Vec::new());
    let mut action = machine.start();
    for _ in 0..100_000 {
        action = match action {
            Action::Write(bytes) => {
                let is_wake_up = bytes.first() == Some(&0x55);
                if !is_wake_up && answers_write(&bytes) {
                    line.extend(answers.pop_front().unwrap_or_default());
                }
                written.push(bytes.to_vec());
                machine.on_written(Ok(()))
            }
            Action::Read { timeout_ms } => {
                timeouts.push(timeout_ms);
                let take = chunk.min(line.len());
                if take == 0 {
                    machine.on_read(Err(PipeError::Timeout))
                } else {
                    machine.on_read(Ok(line.drain(..take).collect()))
                }
            }
            Action::Done(result) => {
                return Run {
                    result,
                    written,
                    timeouts,
                };
            }
        };
    }
    panic!("session did not finish");
}

#[test]
fn connect_wakes_the_board_configures_the_sam_then_connects_like_a_pn533() {
    let run = drive(&mut Connect::new(), connect_answers(), usize::MAX);
    let connected = run.result.unwrap();
    assert_eq!(run.written, connect_frames());
    assert_eq!(connected.firmware.ic, 0x32);
    assert_eq!(connected.firmware.describe(), "PN532 v1.6");
    assert_eq!(connected.target.number, 1);
    assert_eq!(connected.target.uid, hex("04 11 22 33 44 55 66"));
    assert_eq!(connected.target.historical_bytes(), Some(&[0x80][..]));
    // Each command's ACK and response arrive in one read, waited for with the ACK timeout.
    assert_eq!(run.timeouts, vec![1_000; 6]);
}

#[test]
fn answers_split_into_single_bytes_and_three_byte_reads_give_the_same_connect() {
    let whole = drive(&mut Connect::new(), connect_answers(), usize::MAX);
    for chunk in [1, 2, 3, 7] {
        let run = drive(&mut Connect::new(), connect_answers(), chunk);
        assert_eq!(run.result, whole.result, "reads of {chunk}");
        assert_eq!(run.written, connect_frames(), "reads of {chunk}");
        // Once part of a frame is in, the rest is waited for with the short serial gap.
        assert!(run.timeouts.contains(&SERIAL_GAP_MS), "reads of {chunk}");
        let bytes: usize = connect_answers().iter().map(Vec::len).sum();
        assert!(run.timeouts.len() >= bytes / chunk, "reads of {chunk}");
    }
}

#[test]
fn get_info_is_the_worked_example_over_serial_split_and_joined() {
    let answer = hex(&format!("{ACK} {GET_INFO_RESPONSE}"));
    for chunk in [1, 5, 6, 40, usize::MAX] {
        let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
        let run = drive(&mut transmit, vec![answer.clone()], chunk);
        assert_eq!(run.result, Ok(hex(GET_INFO_REPLY)), "reads of {chunk}");
        assert_eq!(run.written, vec![hex(GET_INFO_FRAME)], "reads of {chunk}");
    }
}

#[test]
fn a_nack_makes_the_link_write_the_same_sam_configuration_again() {
    let mut answers = connect_answers();
    answers.insert(0, hex(NACK));
    let run = drive(&mut Connect::new(), answers, 4);
    assert!(run.result.is_ok());
    let mut expected = connect_frames();
    expected.insert(2, hex(SAM));
    assert_eq!(run.written, expected);
}

#[test]
fn a_damaged_response_is_asked_for_again_with_a_nack() {
    let mut damaged = hex(GET_INFO_RESPONSE);
    let dcs = damaged.len() - 2;
    damaged[dcs] ^= 0x01;
    let answers = vec![
        [hex(ACK), damaged].concat(),
        hex(GET_INFO_RESPONSE), // the answer to the NACK
    ];
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let run = drive(&mut transmit, answers, 9);
    assert_eq!(run.result, Ok(hex(GET_INFO_REPLY)));
    assert_eq!(run.written, vec![hex(GET_INFO_FRAME), hex(NACK)]);
}

#[test]
fn line_noise_before_a_frame_is_skipped_over_serial_but_not_over_usb() {
    let noise = hex("F0 FF 13 37 FE");
    let answer = [noise.clone(), hex(ACK), noise, hex(GET_INFO_RESPONSE)].concat();
    let mut serial = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let run = drive(&mut serial, vec![answer.clone()], 3);
    assert_eq!(run.result, Ok(hex(GET_INFO_REPLY)));
    // Over USB a transfer starting with garbage is a broken reader: abort with an ACK.
    let mut usb = Transmit::over(Line::Usb, 1, &hex(GET_INFO));
    let run = drive(&mut usb, vec![answer], usize::MAX);
    assert!(matches!(
        run.result,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
    assert_eq!(run.written, vec![hex(GET_INFO_FRAME), hex(ACK)]);
}

#[test]
fn a_failed_wake_up_write_is_not_sent() {
    let mut connect = Connect::new();
    let Action::Write(bytes) = connect.start() else {
        panic!("the connect starts by writing");
    };
    assert_eq!(bytes.to_vec(), hex(WAKE_UP));
    match connect.on_written(Err(PipeError::Disconnected)) {
        Action::Done(result) => {
            assert_eq!(
                result.map(|_| ()),
                Err(LinkError::NotSent(LinkFault::ReaderGone))
            )
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_silent_line_after_the_wake_up_is_no_reply_and_the_sam_configuration_is_aborted() {
    let run = drive(&mut Connect::new(), vec![], usize::MAX);
    assert_eq!(
        run.result.map(|_| ()),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    assert_eq!(run.written, vec![hex(WAKE_UP), hex(SAM), hex(ACK)]);
    assert_eq!(run.timeouts, vec![1_000]);
}

#[test]
fn transmit_outcomes_match_the_usb_link() {
    // The command frame could not be written: not sent.
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let _ = transmit.start();
    match transmit.on_written(Err(PipeError::Disconnected)) {
        Action::Done(result) => {
            assert_eq!(result, Err(LinkError::NotSent(LinkFault::ReaderGone)))
        }
        other => panic!("unexpected {other:?}"),
    }
    // ACKed, then silence: the token may have the APDU. The command is aborted with an ACK.
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let run = drive(&mut transmit, vec![hex(ACK)], usize::MAX);
    assert_eq!(run.result, Err(LinkError::NoReply(LinkFault::ReaderGone)));
    assert_eq!(run.written, vec![hex(GET_INFO_FRAME), hex(ACK)]);
    assert_eq!(run.timeouts, vec![1_000, 3_000]);
    // The response begins, then the line goes quiet: no reply, after one short gap.
    let cut = hex(&format!("{ACK} {}", &GET_INFO_RESPONSE[..30]));
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let run = drive(&mut transmit, vec![cut], usize::MAX);
    assert!(matches!(
        run.result,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
    assert_eq!(run.timeouts, vec![1_000, SERIAL_GAP_MS]);
}

/// A board whose every read returns `read` until the session gives up.
fn endless<M: Machine>(machine: &mut M, read: &[u8]) -> (Result<M::Output, LinkError>, usize) {
    let (mut reads, mut action) = (0, machine.start());
    loop {
        action = match action {
            Action::Write(_) => machine.on_written(Ok(())),
            Action::Read { .. } => {
                reads += 1;
                assert!(reads < 10_000, "unbounded");
                machine.on_read(Ok(read.to_vec()))
            }
            Action::Done(result) => return (result, reads),
        };
    }
}

#[test]
fn a_board_streaming_frames_or_zeros_is_cut_off_by_bytes() {
    // Ten ACKs per read (whole frames, never the response): stopped once the bytes exceed the
    // bound, whatever the number of reads.
    let acks = hex(&[ACK; 10].join(" "));
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let (result, reads) = endless(&mut transmit, &acks);
    assert!(matches!(
        result,
        Err(LinkError::NoReply(LinkFault::ReaderProtocol(_)))
    ));
    assert_eq!(reads, SERIAL_MAX_BYTES / 60 + 1);
    // 100 zeros per read (preamble, never a start code): more than the longest frame is broken.
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let (result, reads) = endless(&mut transmit, &[0x00; 100]);
    assert!(result.is_err());
    assert_eq!(reads, MAX_FRAME_LEN / 100 + 1);
    // One ACK byte per read: still bounded by bytes, each read waiting at most the short gap.
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let mut line = acks.iter().cycle();
    let (mut action, mut reads, mut longest_gap) = (transmit.start(), 0, 0);
    let result = loop {
        action = match action {
            Action::Write(_) => transmit.on_written(Ok(())),
            Action::Read { timeout_ms } => {
                reads += 1;
                if reads > 1 && timeout_ms < 1_000 {
                    longest_gap = longest_gap.max(timeout_ms);
                }
                transmit.on_read(Ok(vec![*line.next().unwrap()]))
            }
            Action::Done(result) => break result,
        };
    };
    assert!(result.is_err());
    assert_eq!(reads, SERIAL_MAX_BYTES + 1);
    assert_eq!(longest_gap, SERIAL_GAP_MS);
    // Empty reads are timeouts on a serial line, so they cannot keep a session alive either.
    let mut transmit = Transmit::over(Line::Serial, 1, &hex(GET_INFO));
    let (result, reads) = endless(&mut transmit, &[]);
    assert_eq!(result, Err(LinkError::NoReply(LinkFault::ReaderGone)));
    assert_eq!(reads, 1);
}

#[test]
fn close_releases_and_switches_the_field_off_over_serial() {
    // InRelease 00: DCS = -(D4+52+00) = DA; answered D5 53 00 (DCS D8).
    let answers = vec![
        hex(&format!("{ACK} 00 00 FF 03 FD D5 53 00 D8 00")),
        hex(&format!("{ACK} {RF_RESPONSE}")),
    ];
    let run = drive(&mut Close::over(Line::Serial), answers, 2);
    assert_eq!(run.result, Ok(()));
    assert_eq!(
        run.written,
        vec![
            hex("00 00 FF 03 FD D4 52 00 DA 00"),
            hex("00 00 FF 04 FC D4 32 01 00 F9 00")
        ]
    );
}

/// Drives `machine` like [`drive`], with the reads cut at `sizes` (cycled).
fn drive_cut<M: Machine>(
    machine: &mut M,
    answers: Vec<Vec<u8>>,
    sizes: &[usize],
) -> Run<M::Output> {
    let mut answers = VecDeque::from(answers);
    let mut line: VecDeque<u8> = VecDeque::new();
    let mut sizes = sizes.iter().cycle();
    let (mut written, mut timeouts) = (Vec::new(), Vec::new());
    let mut action = machine.start();
    loop {
        action = match action {
            Action::Write(bytes) => {
                if bytes.first() != Some(&0x55) {
                    line.extend(answers.pop_front().unwrap_or_default());
                }
                written.push(bytes.to_vec());
                machine.on_written(Ok(()))
            }
            Action::Read { timeout_ms } => {
                timeouts.push(timeout_ms);
                let take = sizes.next().copied().unwrap_or(1).min(line.len());
                if take == 0 {
                    machine.on_read(Err(PipeError::Timeout))
                } else {
                    machine.on_read(Ok(line.drain(..take).collect()))
                }
            }
            Action::Done(result) => {
                return Run {
                    result,
                    written,
                    timeouts,
                };
            }
        };
    }
}

proptest::proptest! {
    /// However the board's bytes fall into reads, and whatever noise precedes each answer, the
    /// connect writes the same frames and finds the same token.
    #[test]
    fn any_cut_of_the_boards_answers_gives_the_same_connect(
        sizes in proptest::collection::vec(1usize..=40, 1..16),
        noise in proptest::collection::vec(0x01u8..=0xFF, 0..6),
    ) {
        let whole = drive(&mut Connect::new(), connect_answers(), usize::MAX);
        let answers = connect_answers()
            .into_iter()
            .map(|answer| [noise.clone(), answer].concat())
            .collect();
        let run = drive_cut(&mut Connect::new(), answers, &sizes);
        proptest::prop_assert_eq!(run.result, whole.result);
        proptest::prop_assert_eq!(run.written, connect_frames());
    }
}
