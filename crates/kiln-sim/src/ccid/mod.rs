//! A simulated CCID (class 0x0B) contactless reader with one slot, around any [`Card`], speaking
//! the bulk messages of docs/readers.md §4.2 at short-APDU level (like an ACR122U:
//! `dwMaxCCIDMessageLength` 271).
//!
//! Answers: `bSeq` and `bSlot` echoed; `bStatus` bits 0–1 = card present and powered (0), present
//! (1), absent (2); failures set bit 6 with `bError`:
//! * `0xFE` ICC_MUTE — no card (status 0x42), card not powered (0x41), card silent
//!   ([`CardReply::Mute`], 0x40), card left the field during the exchange
//!   ([`CardReply::Removed`], 0x42);
//! * `0x05` — a slot other than 0; `0x01` — `dwLength` above the reader's maximum;
//!   `0x08` — an empty XfrBlock (this reader does not chain); `0x00` — unsupported command.
//!
//! Optionally each XfrBlock is preceded by time-extension answers (`bStatus` 0x80, `bError` =
//! BWT multiplier 1). The ATR is synthesised per PC/SC part 3 from the ATS historical bytes.
//! Faults: unplug (also right after a command), card removal, a reply that never comes, a reply
//! that comes late (just before the next one, or after the host's read timed out), garbage
//! instead of a reply.

/// Shared with [`crate::vpcd`]: pcscd builds the same ATR for the virtual reader.
pub(crate) mod atr;
mod message;

pub use crate::usb::{SimIn, SimUsbDevice, SimUsbError};
pub use message::Command;

use crate::card::{Card, CardReply};
use message::Parsed;
use std::collections::VecDeque;

/// wMaxPacketSize of the simulated reader's bulk endpoints.
pub const BULK_PACKET: usize = 64;
/// `dwMaxCCIDMessageLength` of the simulated reader (header included).
pub const MAX_MESSAGE_LEN: usize = 271;
/// Bytes the garbling fault sends instead of a reply.
pub const GARBAGE: [u8; 7] = [0x99, 0x01, 0x00, 0x00, 0x00, 0x00, 0x42];

const DATA_BLOCK: u8 = 0x80;
const SLOT_STATUS: u8 = 0x81;
const FAILED: u8 = 0x40;
const TIME_EXTENSION: u8 = 0x80;
const ICC_MUTE: u8 = 0xFE;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Faults {
    stall_next_reply: bool,
    delay_next_reply: bool,
    late_next_reply: bool,
    garble_next_reply: bool,
    unplug_after_next_command: bool,
}

/// A reply held back until the host has given up on it once.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LateReply {
    reply: Vec<u8>,
    /// True once a bulk IN read found nothing (the host's read timed out).
    missed: bool,
}

/// A simulated CCID reader.
pub struct SimCcid<C: Card> {
    card: C,
    in_field: bool,
    powered: bool,
    plugged: bool,
    stream: Vec<u8>,
    to_host: VecDeque<Vec<u8>>,
    delayed: Option<Vec<u8>>,
    late: Option<LateReply>,
    time_extensions: u8,
    faults: Faults,
    log: Vec<Command>,
}

impl<C: Card> SimCcid<C> {
    /// A plugged-in reader with `card` on it (not yet powered).
    pub fn new(card: C) -> Self {
        SimCcid {
            card,
            in_field: true,
            powered: false,
            plugged: true,
            stream: Vec::new(),
            to_host: VecDeque::new(),
            delayed: None,
            late: None,
            time_extensions: 0,
            faults: Faults::default(),
            log: Vec::new(),
        }
    }

    /// The card (whether or not it is on the reader).
    pub fn card(&self) -> &C {
        &self.card
    }

    /// The card, mutably.
    pub fn card_mut(&mut self) -> &mut C {
        &mut self.card
    }

    /// Replaces the card (the new one is on the reader, unpowered) and returns the old one.
    pub fn replace_card(&mut self, card: C) -> C {
        self.in_field = true;
        self.powered = false;
        core::mem::replace(&mut self.card, card)
    }

    /// The card leaves the reader; it loses power.
    pub fn remove_card(&mut self) {
        self.in_field = false;
        self.powered = false;
    }

    /// The card is put back on the reader (unpowered until IccPowerOn).
    pub fn insert_card(&mut self) {
        self.in_field = true;
    }

    /// True while the card is on the reader and able to answer.
    pub fn card_present(&self) -> bool {
        self.in_field && self.card.present()
    }

    /// True while the card is powered.
    pub fn card_powered(&self) -> bool {
        self.powered && self.card_present()
    }

    /// Each XfrBlock answer is preceded by `count` time-extension answers.
    pub fn set_time_extensions(&mut self, count: u8) {
        self.time_extensions = count;
    }

    /// Unplugs the reader.
    pub fn unplug(&mut self) {
        self.plugged = false;
        self.stream.clear();
        self.to_host.clear();
        self.delayed = None;
        self.late = None;
        self.powered = false;
    }

    /// Plugs the reader back in.
    pub fn plug_in(&mut self) {
        self.plugged = true;
    }

    /// The next reply never arrives (the command is executed).
    pub fn stall_next_reply(&mut self) {
        self.faults.stall_next_reply = true;
    }

    /// The next reply is held back and arrives just before the reply after it.
    pub fn delay_next_reply(&mut self) {
        self.faults.delay_next_reply = true;
    }

    /// The next reply comes after the timeout: the first bulk IN read after the command finds
    /// nothing (the host's read times out), the one after that gets the reply, with the old
    /// command's `bSeq`. A command sent in between is answered after it.
    pub fn late_next_reply(&mut self) {
        self.faults.late_next_reply = true;
    }

    /// The next reply is replaced by [`GARBAGE`].
    pub fn garble_next_reply(&mut self) {
        self.faults.garble_next_reply = true;
    }

    /// The reader is unplugged right after it executes the next command.
    pub fn unplug_after_next_command(&mut self) {
        self.faults.unplug_after_next_command = true;
    }

    /// Every command received, in order.
    pub fn log(&self) -> &[Command] {
        &self.log
    }

    /// `bmICCStatus`.
    fn icc_status(&self) -> u8 {
        match (self.card_present(), self.powered) {
            (false, _) => 2,
            (true, false) => 1,
            (true, true) => 0,
        }
    }

    fn execute(&mut self, command: &Command) -> Vec<Vec<u8>> {
        let reply_type = match command.message_type {
            0x62 | 0x6F | 0x69 => DATA_BLOCK,
            0x61 | 0x6C | 0x6D => 0x82,
            0x6B => 0x83,
            0x73 => 0x84,
            _ => SLOT_STATUS,
        };
        let answer = |status: u8, error: u8, data: &[u8]| {
            message::answer(
                reply_type,
                command.slot,
                command.seq,
                [status, error, 0x00],
                data,
            )
        };
        if command.slot != 0 {
            return vec![answer(FAILED | 2, 0x05, &[])];
        }
        if 10 + command.data.len() > MAX_MESSAGE_LEN {
            return vec![answer(FAILED | self.icc_status(), 0x01, &[])];
        }
        if !self.card_present() {
            self.powered = false;
        }
        match command.message_type {
            // GetSlotStatus
            0x65 => vec![answer(self.icc_status(), 0x00, &[])],
            // IccPowerOn
            0x62 if !self.card_present() => vec![answer(FAILED | 2, ICC_MUTE, &[])],
            0x62 => {
                self.powered = true;
                let atr = if self.card.sak() & 0x20 != 0 {
                    atr::iso14443_4(&self.card.ats())
                } else {
                    atr::storage_card(self.card.sak())
                };
                vec![answer(0x00, 0x00, &atr)]
            }
            // IccPowerOff
            0x63 => {
                self.powered = false;
                vec![answer(self.icc_status(), 0x00, &[])]
            }
            // XfrBlock
            0x6F => self.xfr_block(command, answer),
            _ => vec![answer(FAILED | self.icc_status(), 0x00, &[])],
        }
    }

    fn xfr_block(
        &mut self,
        command: &Command,
        answer: impl Fn(u8, u8, &[u8]) -> Vec<u8>,
    ) -> Vec<Vec<u8>> {
        if !self.powered {
            return vec![answer(FAILED | self.icc_status(), ICC_MUTE, &[])];
        }
        if command.data.is_empty() {
            return vec![answer(FAILED, 0x08, &[])];
        }
        if self.card.sak() & 0x20 == 0 {
            // A storage card: the reader does not know this APDU.
            return vec![answer(0x00, 0x00, &[0x6A, 0x81])];
        }
        let mut replies: Vec<Vec<u8>> = (0..self.time_extensions)
            .map(|_| answer(TIME_EXTENSION, 0x01, &[]))
            .collect();
        let last = match self.card.transmit(&command.data) {
            CardReply::Reply(data) => answer(0x00, 0x00, &data),
            CardReply::Mute => answer(FAILED, ICC_MUTE, &[]),
            CardReply::Removed => {
                self.remove_card();
                answer(FAILED | 2, ICC_MUTE, &[])
            }
        };
        replies.push(last);
        replies
    }

    fn on_command(&mut self, command: Command) {
        let mut replies = self.execute(&command);
        self.log.push(command);
        if let Some(late) = self.delayed.take() {
            self.to_host.push_back(late);
        }
        if let Some(late) = self.late.take() {
            // The reader finishes the old command before it answers the new one.
            self.to_host.push_back(late.reply);
        }
        let last = replies.pop();
        self.to_host.extend(replies);
        if let Some(last) = last {
            if core::mem::take(&mut self.faults.stall_next_reply) {
                // Lost for good.
            } else if core::mem::take(&mut self.faults.delay_next_reply) {
                self.delayed = Some(last);
            } else if core::mem::take(&mut self.faults.late_next_reply) {
                self.late = Some(LateReply {
                    reply: last,
                    missed: false,
                });
            } else if core::mem::take(&mut self.faults.garble_next_reply) {
                self.to_host.push_back(GARBAGE.to_vec());
            } else {
                self.to_host.push_back(last);
            }
        }
        if core::mem::take(&mut self.faults.unplug_after_next_command) {
            self.unplug();
        }
    }
}

impl<C: Card> SimUsbDevice for SimCcid<C> {
    fn bulk_packet(&self) -> usize {
        BULK_PACKET
    }

    /// Messages are framed by `dwLength`; zero-length packets are accepted and ignored.
    fn bulk_out(&mut self, data: &[u8]) -> Result<(), SimUsbError> {
        if !self.plugged {
            return Err(SimUsbError::Disconnected);
        }
        self.stream.extend_from_slice(data);
        loop {
            match message::parse(&self.stream) {
                Parsed::Command(command, used) => {
                    self.stream.drain(..used);
                    self.on_command(command);
                    if !self.plugged {
                        return Ok(());
                    }
                }
                Parsed::Partial => return Ok(()),
                Parsed::Oversized => {
                    // A real reader would stall the endpoint; the host must start over.
                    self.stream.clear();
                    return Ok(());
                }
            }
        }
    }

    fn bulk_in(&mut self) -> SimIn {
        if !self.plugged {
            return SimIn::Disconnected;
        }
        if let Some(data) = self.to_host.pop_front() {
            return SimIn::Data(data);
        }
        match self.late.take() {
            Some(late) if late.missed => SimIn::Data(late.reply),
            Some(late) => {
                self.late = Some(LateReply {
                    missed: true,
                    ..late
                });
                SimIn::Nothing
            }
            None => SimIn::Nothing,
        }
    }
}

#[cfg(test)]
mod tests;
