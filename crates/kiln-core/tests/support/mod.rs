//! Shared glue for the link tests (and the lead's Token2 burns over both links):
//!
//! * [`SimPipe`] turns any kiln-sim reader ([`SimUsbDevice`]) into a kiln-core [`BulkPipe`],
//!   sending the zero-length packet a real adapter must send, and recording the wire;
//! * [`serial::SerialSimPipe`] does the same for the serial PN532 board, counting bytes;
//! * [`TestCard`] is a small scripted ISO 14443-4 card (echo + `90 00` by default);
//! * [`run_scripted`] drives a sans-IO session against scripted reads, without any pipe;
//!   [`pn53x_script`] holds the scripted PN53x reads the exchange and session tests share.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

pub mod pn53x_script;
pub mod serial;

use kiln_core::link::machine::{Action, Machine};
use kiln_core::link::{BulkPipe, LinkError, PipeError};
use kiln_sim::pn533::{SimIn, SimUsbDevice};
use kiln_sim::{Card, CardReply};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// One thing that crossed the (simulated) USB cable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wire {
    /// Bytes written by the link (zero-length packets not included).
    Write(Vec<u8>),
    /// A read and how long the link was willing to wait.
    Read {
        /// The timeout the link asked for.
        timeout_ms: u32,
        /// What came back.
        result: Result<Vec<u8>, PipeError>,
    },
}

/// A value the test and the pipe both hold.
pub type Shared<T> = Rc<RefCell<T>>;
/// Everything that crossed the cable, in order.
pub type WireLog = Shared<Vec<Wire>>;

/// A [`BulkPipe`] over a shared simulated reader.
pub struct SimPipe<D> {
    device: Shared<D>,
    wire: WireLog,
}

impl<D: SimUsbDevice> SimPipe<D> {
    /// A pipe to `device`; keep the returned handles to inject faults and inspect the wire.
    pub fn new(device: D) -> (SimPipe<D>, Shared<D>, WireLog) {
        let device = Rc::new(RefCell::new(device));
        let wire = Rc::new(RefCell::new(Vec::new()));
        let pipe = SimPipe {
            device: device.clone(),
            wire: wire.clone(),
        };
        (pipe, device, wire)
    }
}

impl<D: SimUsbDevice> BulkPipe for SimPipe<D> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        self.wire.borrow_mut().push(Wire::Write(data.to_vec()));
        let mut device = self.device.borrow_mut();
        device.bulk_out(data).map_err(|_| PipeError::Disconnected)?;
        // What every real adapter must do: end a transfer that fills whole packets.
        if !data.is_empty() && data.len().is_multiple_of(device.bulk_packet()) {
            device.bulk_out(&[]).map_err(|_| PipeError::Disconnected)?;
        }
        Ok(())
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        let result = match self.device.borrow_mut().bulk_in() {
            SimIn::Data(data) => Ok(data),
            SimIn::Nothing => Err(PipeError::Timeout),
            SimIn::Disconnected => Err(PipeError::Disconnected),
        };
        self.wire.borrow_mut().push(Wire::Read {
            timeout_ms,
            result: result.clone(),
        });
        result
    }
}

/// The conformance suite holds every reader's pipe as both kinds; USB bulk endpoints driven as a
/// serial line are the same transfers (only the PN532 link speaks `SerialPipe`).
impl<D: SimUsbDevice> kiln_core::link::pn532::SerialPipe for SimPipe<D> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        BulkPipe::write(self, data).await
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        BulkPipe::read(self, timeout_ms).await
    }
}

/// The bytes the link wrote, in order.
pub fn writes(wire: &WireLog) -> Vec<Vec<u8>> {
    wire.borrow()
        .iter()
        .filter_map(|event| match event {
            Wire::Write(bytes) => Some(bytes.clone()),
            Wire::Read { .. } => None,
        })
        .collect()
}

/// A contactless test card. By default an ISO 14443-4 card that answers every APDU with the APDU
/// itself followed by `90 00`; scripted replies take precedence.
#[derive(Debug, Clone)]
pub struct TestCard {
    pub present: bool,
    pub atqa: [u8; 2],
    pub sak: u8,
    pub uid: Vec<u8>,
    pub ats: Vec<u8>,
    /// Every APDU the card received.
    pub received: Vec<Vec<u8>>,
    /// Replies to use before falling back to the echo.
    pub script: VecDeque<CardReply>,
}

/// TL=09, T0=78 (TA1, TB1, TC1 present, FSCI 8), TA1=80, TB1=70, TC1=02, historical "KILN".
pub const TEST_ATS: [u8; 9] = [0x09, 0x78, 0x80, 0x70, 0x02, 0x4B, 0x49, 0x4C, 0x4E];
pub const TEST_HISTORICAL: [u8; 4] = [0x4B, 0x49, 0x4C, 0x4E];
pub const TEST_UID: [u8; 7] = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66];

impl TestCard {
    /// The echo card: ATQA 0044, SAK 20, a 7-byte UID, [`TEST_ATS`].
    pub fn echo() -> TestCard {
        TestCard {
            present: true,
            atqa: [0x00, 0x44],
            sak: 0x20,
            uid: TEST_UID.to_vec(),
            ats: TEST_ATS.to_vec(),
            received: Vec::new(),
            script: VecDeque::new(),
        }
    }

    /// A MIFARE Classic 1K: SAK 08, 4-byte UID, no ATS.
    pub fn mifare_classic() -> TestCard {
        TestCard {
            atqa: [0x00, 0x04],
            sak: 0x08,
            uid: vec![0xDE, 0xAD, 0xBE, 0xEF],
            ats: Vec::new(),
            ..TestCard::echo()
        }
    }

    /// The next APDU gets `reply` instead of the echo.
    pub fn then(mut self, reply: CardReply) -> TestCard {
        self.script.push_back(reply);
        self
    }
}

/// What the echo card answers to `apdu`.
pub fn echo_of(apdu: &[u8]) -> Vec<u8> {
    let mut reply = apdu.to_vec();
    reply.extend_from_slice(&[0x90, 0x00]);
    reply
}

impl Card for TestCard {
    fn present(&self) -> bool {
        self.present
    }
    fn atqa(&self) -> [u8; 2] {
        self.atqa
    }
    fn sak(&self) -> u8 {
        self.sak
    }
    fn uid(&self) -> Vec<u8> {
        self.uid.clone()
    }
    fn ats(&self) -> Vec<u8> {
        self.ats.clone()
    }
    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        self.received.push(apdu.to_vec());
        self.script
            .pop_front()
            .unwrap_or_else(|| CardReply::Reply(echo_of(apdu)))
    }
}

/// Drives `machine` with every write succeeding and reads taken from `reads` (a timeout once
/// they run out). Returns the result and every byte string written.
pub fn run_scripted<M: Machine>(
    machine: &mut M,
    reads: Vec<Result<Vec<u8>, PipeError>>,
) -> (Result<M::Output, LinkError>, Vec<Vec<u8>>) {
    run_scripted_with(machine, reads, |_| Ok(()))
}

/// Like [`run_scripted`], with `write_result` deciding the outcome of each write (by index).
pub fn run_scripted_with<M: Machine>(
    machine: &mut M,
    reads: Vec<Result<Vec<u8>, PipeError>>,
    mut write_result: impl FnMut(usize) -> Result<(), PipeError>,
) -> (Result<M::Output, LinkError>, Vec<Vec<u8>>) {
    let mut reads = VecDeque::from(reads);
    let mut written = Vec::new();
    let mut action = machine.start();
    for _ in 0..10_000 {
        action = match action {
            Action::Write(bytes) => {
                let result = write_result(written.len());
                written.push(bytes.to_vec());
                machine.on_written(result)
            }
            Action::Read { .. } => {
                let read = reads.pop_front().unwrap_or(Err(PipeError::Timeout));
                machine.on_read(read)
            }
            Action::Done(result) => return (result, written),
        };
    }
    panic!("session did not finish within 10 000 steps");
}

/// A PN53x response frame (TFI D5) around `pd`, normal format, computed here independently of
/// both codecs.
pub fn pn53x_response(pd: &[u8]) -> Vec<u8> {
    let len = (pd.len() + 1) as u8;
    let mut sum = 0xD5u8;
    for byte in pd {
        sum = sum.wrapping_add(*byte);
    }
    let mut frame = vec![0x00, 0x00, 0xFF, len, 0u8.wrapping_sub(len), 0xD5];
    frame.extend_from_slice(pd);
    frame.extend_from_slice(&[0u8.wrapping_sub(sum), 0x00]);
    frame
}

/// Parses hex with optional spaces (test vectors copied from docs/readers.md).
pub fn hex(text: &str) -> Vec<u8> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ::hex::decode(compact).expect("valid hex in test vector")
}
