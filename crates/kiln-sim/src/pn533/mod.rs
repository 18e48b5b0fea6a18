//! A simulated PN533 USB reader (StickID, SCL3711) around any [`Card`], speaking the bulk byte
//! stream of docs/readers.md §3.3: the host writes a command frame, the chip answers ACK,
//! then the response.
//!
//! Like the chip it checks checksums (a damaged frame gets a NACK), resends its last response on
//! NACK, aborts on ACK, and needs a zero-length packet after a write that fills whole 64-byte
//! packets. Faults: unplug (also right after a command), the card leaving the field, NACK
//! instead of ACK, a garbled or corrupted response, a response that never comes, and the
//! dropped first command after plug-in. See [`chip`](self) for the status codes it reports.

pub(crate) mod chip;
pub(crate) mod frame;

pub use crate::usb::{SimIn, SimUsbDevice, SimUsbError};
pub use frame::HostFrame;

use crate::card::Card;
use crate::usb::OutTransfer;
use chip::{Chip, Field, Outcome, card_slot_methods};
use std::collections::VecDeque;

/// wMaxPacketSize of the PN533's bulk endpoints.
pub const BULK_PACKET: usize = 64;

/// Bytes the garbling fault sends instead of a response.
pub const GARBAGE: [u8; 9] = [0x13, 0x37, 0xFA, 0xCE, 0x00, 0xFF, 0x07, 0xBA, 0xD0];

/// How the simulated chip behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimPn533Options {
    /// Ignore the first command frame after plug-in (no ACK, no response), as some PN533s do.
    pub drop_first_command: bool,
    /// Most reply bytes per `InDataExchange` response (1..=262); smaller values force MI
    /// chaining of short replies.
    pub reply_chunk: usize,
}

impl Default for SimPn533Options {
    fn default() -> Self {
        SimPn533Options {
            drop_first_command: false,
            reply_chunk: 262,
        }
    }
}

/// Faults armed for the next command or response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Faults {
    nack_next_command: bool,
    garble_next_response: bool,
    corrupt_next_response: bool,
    stall_next_response: bool,
    unplug_after_next_command: bool,
}

/// Everything the host sent, in order, as the chip saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// A frame, parsed.
    Frame(HostFrame),
    /// The first command after plug-in, ignored ([`SimPn533Options::drop_first_command`]).
    Dropped(HostFrame),
}

/// A simulated PN533 reader.
pub struct SimPn533<C: Card> {
    field: Field<C>,
    chip: Chip,
    options: SimPn533Options,
    plugged: bool,
    first_command_pending: bool,
    transfer: OutTransfer,
    to_host: VecDeque<Vec<u8>>,
    last_response: Option<Vec<u8>>,
    polling: bool,
    faults: Faults,
    log: Vec<HostEvent>,
}

impl<C: Card> SimPn533<C> {
    /// A plugged-in reader with `card` in its field.
    pub fn new(card: C) -> Self {
        SimPn533::with_options(card, SimPn533Options::default())
    }

    /// A plugged-in reader with `card` in its field, behaving as `options` say.
    pub fn with_options(card: C, options: SimPn533Options) -> Self {
        SimPn533 {
            field: Field {
                card,
                in_field: true,
            },
            chip: Chip::new(&options),
            first_command_pending: options.drop_first_command,
            options,
            plugged: true,
            transfer: OutTransfer::default(),
            to_host: VecDeque::new(),
            last_response: None,
            polling: false,
            faults: Faults::default(),
            log: Vec::new(),
        }
    }

    card_slot_methods!();

    /// Unplugs the reader: writes fail and reads report the disconnection.
    pub fn unplug(&mut self) {
        self.plugged = false;
        self.transfer.clear();
        self.to_host.clear();
    }

    /// Plugs the reader back in: the chip starts from power-up state.
    pub fn plug_in(&mut self) {
        self.plugged = true;
        self.chip = Chip::new(&self.options);
        self.first_command_pending = self.options.drop_first_command;
        self.last_response = None;
        self.polling = false;
    }

    /// The next command is answered with NACK instead of ACK and is not executed.
    pub fn nack_next_command(&mut self) {
        self.faults.nack_next_command = true;
    }

    /// The next response is replaced by [`GARBAGE`]; a NACK gets the real one.
    pub fn garble_next_response(&mut self) {
        self.faults.garble_next_response = true;
    }

    /// The next response arrives with a wrong data checksum; a NACK gets the real one.
    pub fn corrupt_next_response(&mut self) {
        self.faults.corrupt_next_response = true;
    }

    /// The next command is ACKed and executed, but its response never arrives.
    pub fn stall_next_response(&mut self) {
        self.faults.stall_next_response = true;
    }

    /// The reader is unplugged right after it executes the next command (before the host can
    /// read anything).
    pub fn unplug_after_next_command(&mut self) {
        self.faults.unplug_after_next_command = true;
    }

    /// True while the RF field is on.
    pub fn rf_on(&self) -> bool {
        self.chip.rf_on
    }

    /// True while a target is listed (selected).
    pub fn target_selected(&self) -> bool {
        self.chip.target.is_some()
    }

    /// Everything the host sent so far.
    pub fn log(&self) -> &[HostEvent] {
        &self.log
    }

    /// The command codes (PD0) of the commands the chip executed or NACKed, in order.
    pub fn command_codes(&self) -> Vec<u8> {
        self.log
            .iter()
            .filter_map(|event| match event {
                HostEvent::Frame(HostFrame::Information { data, .. }) => data.first().copied(),
                _ => None,
            })
            .collect()
    }

    fn on_transfer(&mut self, transfer: &[u8]) {
        let parsed = frame::parse_host(transfer);
        if matches!(parsed, HostFrame::Information { .. })
            && core::mem::take(&mut self.first_command_pending)
        {
            self.log.push(HostEvent::Dropped(parsed));
            return;
        }
        self.log.push(HostEvent::Frame(parsed.clone()));
        match parsed {
            HostFrame::Ack => {
                // Abort: whatever the chip was doing or about to say is dropped.
                self.polling = false;
                self.to_host.clear();
            }
            HostFrame::Nack => {
                if let Some(response) = &self.last_response {
                    self.to_host.push_back(response.clone());
                }
            }
            HostFrame::Damaged => self.to_host.push_back(frame::NACK.to_vec()),
            HostFrame::Information { tfi, data } => {
                if core::mem::take(&mut self.faults.nack_next_command) {
                    self.to_host.push_back(frame::NACK.to_vec());
                    return;
                }
                self.to_host.push_back(frame::ACK.to_vec());
                let outcome = if tfi == 0xD4 {
                    self.chip.execute(&mut self.field, &data)
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

    fn answer(&mut self, outcome: Outcome) {
        let Some(response) = outcome.frame() else {
            self.polling = true;
            return;
        };
        self.last_response = Some(response.clone());
        if core::mem::take(&mut self.faults.stall_next_response) {
            return;
        }
        if core::mem::take(&mut self.faults.garble_next_response) {
            self.to_host.push_back(GARBAGE.to_vec());
        } else if core::mem::take(&mut self.faults.corrupt_next_response) {
            self.to_host.push_back(frame::with_bad_checksum(response));
        } else {
            self.to_host.push_back(response);
        }
    }
}

impl<C: Card> SimUsbDevice for SimPn533<C> {
    fn bulk_packet(&self) -> usize {
        BULK_PACKET
    }

    fn bulk_out(&mut self, data: &[u8]) -> Result<(), SimUsbError> {
        if !self.plugged {
            return Err(SimUsbError::Disconnected);
        }
        if let Some(transfer) = self.transfer.push(data, BULK_PACKET) {
            self.on_transfer(&transfer);
        }
        Ok(())
    }

    fn bulk_in(&mut self) -> SimIn {
        if !self.plugged {
            return SimIn::Disconnected;
        }
        if self.polling && self.field.present() {
            // A card arrived while the chip was polling forever: it answers now.
            self.polling = false;
            let outcome = self.chip.list(&mut self.field, 0x00);
            self.answer(outcome);
        }
        match self.to_host.pop_front() {
            Some(data) => SimIn::Data(data),
            None => SimIn::Nothing,
        }
    }
}

#[cfg(test)]
mod tests;
