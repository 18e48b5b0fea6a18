//! A simulated PN532 board in HSU mode (a serial line at 115 200 8N1 behind a USB-serial
//! adapter) around any [`Card`], written from the PN532 user manual and docs/readers.md §6.
//!
//! * It **sleeps** after power-up: bytes are ignored until a `55` arrives, and the next
//!   [`SimPn532Options::wake_up_bytes`] bytes are lost while its oscillator starts (Kiln's
//!   model of the manual's wake-up delay: a host that sends `55 55` and fourteen `00` loses
//!   only padding).
//! * It starts in **low-VBAT mode**: `InListPassiveTarget` is refused with the error frame until
//!   `SAMConfiguration` (`14`) selects normal mode (`01`).
//! * `GetFirmwareVersion` answers `IC 32`, firmware 1.6; the other commands behave as on the
//!   simulated PN533 (the same chip model).
//! * Its answers go out as a **byte stream**: every read returns a seeded-random number of
//!   bytes (1 to [`SimPn532Options::max_read`]), so frames are split across reads and an ACK
//!   and its response share one.
//!
//! Faults: unplug (also right after a command), noise bytes before the next answer, a response
//! that never comes (stall), NACK instead of ACK, a corrupted response, the card leaving.

mod stream;

use crate::card::Card;
use crate::pn533::SimPn533Options;
use crate::pn533::chip::{Chip, Field, Outcome, card_slot_methods};
use crate::pn533::frame::{self, HostFrame};
use crate::serial::SimSerialDevice;
use crate::usb::{SimIn, SimUsbError};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use stream::Received;

/// Bytes the noise fault puts on the line before the next answer: no start code in them.
pub const NOISE: [u8; 5] = [0xF0, 0xFF, 0x13, 0x37, 0xFE];

/// `GetFirmwareVersion` of the simulated board: PN532 (`32`), firmware 1.6, ISO 14443 A/B +
/// ISO 18092 (`07`).
pub const FIRMWARE: [u8; 4] = [0x32, 0x01, 0x06, 0x07];

/// How the simulated board behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimPn532Options {
    /// Most bytes one read returns (at least 1).
    pub max_read: usize,
    /// Seed of the read sizes.
    pub seed: u64,
    /// Bytes lost after the waking `55`.
    pub wake_up_bytes: usize,
}

impl Default for SimPn532Options {
    fn default() -> Self {
        SimPn532Options {
            max_read: 24,
            seed: 0x5032,
            wake_up_bytes: 8,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Faults {
    nack_next_command: bool,
    noise_before_next_answer: bool,
    corrupt_next_response: bool,
    stall_next_response: bool,
    unplug_after_next_command: bool,
}

/// The interface's power state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Power {
    /// Asleep: waiting for a `55`.
    Asleep,
    /// Woken: this many more bytes are lost.
    Waking(usize),
    Awake,
}

/// A simulated PN532 board.
pub struct SimPn532<C: Card> {
    field: Field<C>,
    chip: Chip,
    options: SimPn532Options,
    rng: SmallRng,
    plugged: bool,
    power: Power,
    normal_mode: bool,
    from_host: Vec<u8>,
    to_host: VecDeque<u8>,
    last_response: Option<Vec<u8>>,
    polling: bool,
    faults: Faults,
    log: Vec<HostFrame>,
    bytes_in: usize,
    bytes_out: usize,
}

impl<C: Card> SimPn532<C> {
    /// A plugged-in, sleeping board with `card` in its field.
    pub fn new(card: C) -> Self {
        SimPn532::with_options(card, SimPn532Options::default())
    }

    /// A plugged-in, sleeping board with `card` in its field, behaving as `options` say.
    pub fn with_options(card: C, options: SimPn532Options) -> Self {
        SimPn532 {
            field: Field {
                card,
                in_field: true,
            },
            chip: Chip::new(&SimPn533Options::default()),
            rng: SmallRng::seed_from_u64(options.seed),
            options,
            plugged: true,
            power: Power::Asleep,
            normal_mode: false,
            from_host: Vec::new(),
            to_host: VecDeque::new(),
            last_response: None,
            polling: false,
            faults: Faults::default(),
            log: Vec::new(),
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    card_slot_methods!();

    /// Unplugs the board: writes fail and reads report the disconnection.
    pub fn unplug(&mut self) {
        self.plugged = false;
        self.from_host.clear();
        self.to_host.clear();
    }

    /// Plugs the board back in: it powers up asleep and in low-VBAT mode.
    pub fn plug_in(&mut self) {
        self.plugged = true;
        self.chip = Chip::new(&SimPn533Options::default());
        self.power = Power::Asleep;
        self.normal_mode = false;
        self.last_response = None;
        self.polling = false;
    }

    /// The next command is answered with NACK instead of ACK and is not executed.
    pub fn nack_next_command(&mut self) {
        self.faults.nack_next_command = true;
    }

    /// [`NOISE`] goes on the line right before the next response.
    pub fn noise_before_next_answer(&mut self) {
        self.faults.noise_before_next_answer = true;
    }

    /// The next response has a wrong data checksum; a NACK gets the real one.
    pub fn corrupt_next_response(&mut self) {
        self.faults.corrupt_next_response = true;
    }

    /// The next command is ACKed and executed, but its response never comes.
    pub fn stall_next_response(&mut self) {
        self.faults.stall_next_response = true;
    }

    /// The board is unplugged right after it executes the next command.
    pub fn unplug_after_next_command(&mut self) {
        self.faults.unplug_after_next_command = true;
    }

    /// True once a `55` woke the serial interface (until the next power-up).
    pub fn awake(&self) -> bool {
        self.power != Power::Asleep
    }

    /// True once `SAMConfiguration` selected normal mode.
    pub fn normal_mode(&self) -> bool {
        self.normal_mode
    }

    /// True while the RF field is on.
    pub fn rf_on(&self) -> bool {
        self.chip.rf_on
    }

    /// Every frame the board received, in order.
    pub fn log(&self) -> &[HostFrame] {
        &self.log
    }

    /// The command codes (PD0) the board received, in order.
    pub fn command_codes(&self) -> Vec<u8> {
        self.log
            .iter()
            .filter_map(|frame| match frame {
                HostFrame::Information { data, .. } => data.first().copied(),
                _ => None,
            })
            .collect()
    }

    /// Bytes received from the host and sent to it so far (what crossed the line).
    pub fn bytes_on_the_line(&self) -> (usize, usize) {
        (self.bytes_in, self.bytes_out)
    }

    fn receive_byte(&mut self, byte: u8) {
        match self.power {
            Power::Asleep if byte == 0x55 => {
                self.power = match self.options.wake_up_bytes {
                    0 => Power::Awake,
                    n => Power::Waking(n),
                }
            }
            Power::Asleep => {}
            Power::Waking(left) => {
                self.power = if left <= 1 {
                    Power::Awake
                } else {
                    Power::Waking(left - 1)
                }
            }
            Power::Awake => self.from_host.push(byte),
        }
    }

    fn receive_frames(&mut self) {
        loop {
            match stream::receive(&self.from_host) {
                Received::Incomplete => return,
                Received::Skip(n) => {
                    self.from_host.drain(..n.min(self.from_host.len()));
                }
                Received::Frame(frame, used) => {
                    self.from_host.drain(..used.min(self.from_host.len()));
                    self.on_frame(frame);
                    if !self.plugged {
                        return;
                    }
                }
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.to_host.extend(bytes);
    }

    fn on_frame(&mut self, frame: HostFrame) {
        self.log.push(frame.clone());
        match frame {
            HostFrame::Ack => {
                self.polling = false;
                self.to_host.clear();
            }
            HostFrame::Nack => {
                if let Some(response) = self.last_response.clone() {
                    self.send(&response);
                }
            }
            HostFrame::Damaged => self.send(&frame::NACK),
            HostFrame::Information { tfi, data } => {
                if core::mem::take(&mut self.faults.nack_next_command) {
                    self.send(&frame::NACK);
                    return;
                }
                self.send(&frame::ACK);
                let outcome = if tfi == 0xD4 {
                    self.execute(&data)
                } else {
                    Outcome::SyntaxError
                };
                self.answer(outcome);
                if core::mem::take(&mut self.faults.unplug_after_next_command) {
                    self.unplug();
                }
            }
        }
    }

    /// The PN532's own commands, then the chip model shared with the PN533.
    fn execute(&mut self, pd: &[u8]) -> Outcome {
        match pd {
            [0x02] => Outcome::Respond([&[0x03][..], &FIRMWARE].concat()),
            // SAMConfiguration: mode 01 normal (timeout and IRQ optional); other modes need a
            // SAM this board does not have.
            [0x14, 0x01, ..] if pd.len() <= 4 => {
                self.normal_mode = true;
                Outcome::Respond(vec![0x15])
            }
            [0x14, ..] => Outcome::SyntaxError,
            [0x4A, ..] if !self.normal_mode => Outcome::SyntaxError,
            _ => self.chip.execute(&mut self.field, pd),
        }
    }

    fn answer(&mut self, outcome: Outcome) {
        let Some(response) = outcome.frame() else {
            self.polling = true;
            return;
        };
        self.last_response = Some(response.clone());
        if core::mem::take(&mut self.faults.stall_next_response) {
            return;
        }
        if core::mem::take(&mut self.faults.noise_before_next_answer) {
            self.send(&NOISE);
        }
        if core::mem::take(&mut self.faults.corrupt_next_response) {
            self.send(&frame::with_bad_checksum(response));
        } else {
            self.send(&response);
        }
    }
}

impl<C: Card> SimSerialDevice for SimPn532<C> {
    fn write(&mut self, data: &[u8]) -> Result<(), SimUsbError> {
        if !self.plugged {
            return Err(SimUsbError::Disconnected);
        }
        self.bytes_in += data.len();
        for &byte in data {
            self.receive_byte(byte);
        }
        self.receive_frames();
        Ok(())
    }

    fn read(&mut self) -> SimIn {
        if !self.plugged {
            return SimIn::Disconnected;
        }
        if self.polling && self.field.present() {
            self.polling = false;
            let outcome = self.chip.list(&mut self.field, 0x00);
            self.answer(outcome);
        }
        if self.to_host.is_empty() {
            return SimIn::Nothing;
        }
        let most = self.options.max_read.max(1).min(self.to_host.len());
        let take = self.rng.gen_range(1..=most);
        let chunk: Vec<u8> = self.to_host.drain(..take).collect();
        self.bytes_out += chunk.len();
        SimIn::Data(chunk)
    }
}

#[cfg(test)]
mod tests;
