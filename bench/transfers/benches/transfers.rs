//! USB transfers per burn over the simulated PN533 and CCID readers, bytes on the serial line
//! per burn over the simulated PN532 board and the time they take at 115 200 baud, and the
//! native host-side time of a burn including the reader codec (connect, five APDUs, close).
//!
//! Run: `cargo bench -p kiln-bench-transfers --bench transfers` (bench/run.sh does). Prints one
//! JSON line per reader.
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic fails the bench

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use kiln_core::Secret;
use kiln_core::link::ccid::CcidLink;
use kiln_core::link::pn53x::Pn533Link;
use kiln_core::link::pn532::{PN532_BAUD, Pn532Link, SerialPipe};
use kiln_core::link::{BulkPipe, PipeError};
use kiln_core::session_runner::run_session;
use kiln_core::token::{Outcome, Session, TokenSettings};
use kiln_sim::SimSerialDevice;
use kiln_sim::ccid::SimCcid;
use kiln_sim::pn532::SimPn532;
use kiln_sim::pn533::SimPn533;
use kiln_sim::token::SimToken;
use kiln_sim::{SimIn, SimUsbDevice};

#[derive(Default, Clone, Copy)]
struct Counts {
    out: u32,
    zlp: u32,
    r#in: u32,
    bytes_out: usize,
    bytes_in: usize,
}

/// A pipe over a simulated reader that counts bulk transfers (a zero-length packet is a transfer
/// of its own on the wire).
struct CountingPipe<D> {
    device: Rc<RefCell<D>>,
    counts: Rc<RefCell<Counts>>,
}

impl<D: SimUsbDevice> BulkPipe for CountingPipe<D> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        let mut device = self.device.borrow_mut();
        self.counts.borrow_mut().out += 1;
        self.counts.borrow_mut().bytes_out += data.len();
        device.bulk_out(data).map_err(|_| PipeError::Disconnected)?;
        if !data.is_empty() && data.len().is_multiple_of(device.bulk_packet()) {
            self.counts.borrow_mut().zlp += 1;
            device.bulk_out(&[]).map_err(|_| PipeError::Disconnected)?;
        }
        Ok(())
    }

    async fn read(&mut self, _timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        self.counts.borrow_mut().r#in += 1;
        match self.device.borrow_mut().bulk_in() {
            SimIn::Data(data) => {
                self.counts.borrow_mut().bytes_in += data.len();
                Ok(data)
            }
            SimIn::Nothing => Err(PipeError::Timeout),
            SimIn::Disconnected => Err(PipeError::Disconnected),
        }
    }
}

/// A serial line to the simulated PN532 board that counts bytes each way and reads.
struct CountingLine<D> {
    device: Rc<RefCell<D>>,
    counts: Rc<RefCell<Counts>>,
}

impl<D: SimSerialDevice> SerialPipe for CountingLine<D> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        let mut counts = self.counts.borrow_mut();
        counts.out += 1;
        counts.bytes_out += data.len();
        self.device
            .borrow_mut()
            .write(data)
            .map_err(|_| PipeError::Disconnected)
    }

    async fn read(&mut self, _timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        self.counts.borrow_mut().r#in += 1;
        match self.device.borrow_mut().read() {
            SimIn::Data(data) => {
                self.counts.borrow_mut().bytes_in += data.len();
                Ok(data)
            }
            SimIn::Nothing => Err(PipeError::Timeout),
            SimIn::Disconnected => Err(PipeError::Disconnected),
        }
    }
}

/// A whole burn (connect, five APDUs, close) over the simulated PN532 board.
fn burn_pn532(secret: &Secret) -> Counts {
    let counts = Rc::new(RefCell::new(Counts::default()));
    let line = CountingLine {
        device: Rc::new(RefCell::new(SimPn532::new(token()))),
        counts: counts.clone(),
    };
    let session = Session::burn(secret, TokenSettings::default()).expect("valid seed");
    let report = pollster::block_on(async move {
        let clock = || 1_700_000_000u64;
        let mut link = Pn532Link::connect(line).await.expect("connect");
        let report = run_session(session, &mut link, &clock, |_| {}).await;
        link.close().await;
        report
    });
    assert_eq!(report.outcome(), Outcome::Success);
    *counts.borrow()
}

/// Each byte on an 8N1 line is 10 bits: start, 8 data, stop.
fn line_ms(bytes: usize) -> f64 {
    bytes as f64 * 10.0 * 1_000.0 / f64::from(PN532_BAUD)
}

fn token() -> SimToken {
    SimToken::new("8659622000123", 1_700_000_000)
}

fn burn<D: SimUsbDevice>(device: D, pn533: bool, secret: &Secret) -> Counts {
    let counts = Rc::new(RefCell::new(Counts::default()));
    let pipe = CountingPipe {
        device: Rc::new(RefCell::new(device)),
        counts: counts.clone(),
    };
    let session = Session::burn(secret, TokenSettings::default()).expect("valid seed");
    let report = pollster::block_on(async move {
        let clock = || 1_700_000_000u64;
        if pn533 {
            let mut link = Pn533Link::connect(pipe).await.expect("connect");
            let report = run_session(session, &mut link, &clock, |_| {}).await;
            link.close().await;
            report
        } else {
            let mut link = CcidLink::connect(pipe).await.expect("connect");
            let report = run_session(session, &mut link, &clock, |_| {}).await;
            link.close().await;
            report
        }
    });
    assert_eq!(report.outcome(), Outcome::Success);
    *counts.borrow()
}

fn main() {
    let secret = Secret::new((0u8..20).collect());
    for (name, pn533) in [("pn533", true), ("ccid", false)] {
        let run = || {
            if pn533 {
                burn(SimPn533::new(token()), true, &secret)
            } else {
                burn(SimCcid::new(token()), false, &secret)
            }
        };
        let counts = run();
        // Time whole burns including the simulated device (an upper bound on host cost).
        let iterations = 300;
        let mut samples = Vec::new();
        for _ in 0..9 {
            let start = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(run());
            }
            samples.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations));
        }
        samples.sort_by(f64::total_cmp);
        println!(
            "{{\"reader\":\"{name}\",\"bulk_out\":{},\"zero_length_packets\":{},\"bulk_in\":{},\"transfers\":{},\"bytes_out\":{},\"bytes_in\":{},\"burn_with_sim_us_median\":{:.1}}}",
            counts.out,
            counts.zlp,
            counts.r#in,
            counts.out + counts.zlp + counts.r#in,
            counts.bytes_out,
            counts.bytes_in,
            samples[samples.len() / 2]
        );
    }
    // The PN532 board: bytes on the serial line and the time they take at 115 200 baud (the
    // line is the bottleneck; the board's own processing and the radio are not modelled).
    let counts = burn_pn532(&secret);
    let bytes = counts.bytes_out + counts.bytes_in;
    println!(
        "{{\"reader\":\"pn532\",\"baud\":{PN532_BAUD},\"writes\":{},\"reads\":{},\"bytes_out\":{},\"bytes_in\":{},\"bytes\":{bytes},\"line_ms\":{:.1}}}",
        counts.out,
        counts.r#in,
        counts.bytes_out,
        counts.bytes_in,
        line_ms(bytes)
    );
}
