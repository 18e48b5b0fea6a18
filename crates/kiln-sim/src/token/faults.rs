//! Misbehaviour on demand, and a Token2 device (single-profile or Molto2) as the reader sees
//! it: scheduled faults are applied to the next command with their instruction.

use super::SimToken;
use super::commands::Ins;
use crate::apdu::sw;
use crate::card::{Card, CardReply};

/// A misbehaviour to inject on the next command with a given instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Stay silent without executing.
    MuteBeforeExecuting,
    /// Execute, then stay silent (the reply is lost).
    MuteAfterExecuting,
    /// Leave the field before executing.
    RemovedBeforeExecuting,
    /// Execute, then leave the field before replying.
    RemovedAfterExecuting,
    /// Answer this status word without executing.
    Status(u16),
    /// Execute, then answer this status word instead of the real reply (a firmware that
    /// reports a warning or error after writing, as ISO 7816-4 allows for `63 xx`/`65 xx`).
    StatusAfterExecuting(u16),
    /// Answer these bytes without executing.
    GarbageBeforeExecuting(Vec<u8>),
    /// Execute, then answer these bytes instead of the real reply.
    GarbageAfterExecuting(Vec<u8>),
}

impl SimToken {
    /// Schedules `fault` on the next command with instruction `ins` (one-shot).
    pub fn inject(&mut self, ins: Ins, fault: Fault) {
        self.faults.push((ins, fault));
    }
}

/// Takes the first fault scheduled for `ins`, if any (faults are one-shot).
pub(crate) fn take_fault<I: PartialEq>(faults: &mut Vec<(I, Fault)>, ins: I) -> Option<Fault> {
    let index = faults.iter().position(|(i, _)| *i == ins)?;
    Some(faults.remove(index).1)
}

/// A simulated Token2 device (single-profile or Molto2) as the reader and the scheduled faults
/// see it; its [`Card`] face follows. (Public in a private module: only kiln-sim implements it.)
pub trait Token2Device {
    /// True while in the reader's field.
    fn in_field(&self) -> bool;
    /// The serial number, whose last characters make the UID.
    fn serial_number(&self) -> &str;
    /// Records `apdu` as received and takes the fault scheduled on its instruction.
    fn receive(&mut self, apdu: &[u8]) -> Option<Fault>;
    /// Processes one APDU; returns data ‖ SW.
    fn execute(&mut self, apdu: &[u8]) -> Vec<u8>;
    /// Leaves the reader's field.
    fn remove(&mut self);
}

/// What the reader sees of `apdu` sent to `device` with `fault` (none: the real reply).
fn reply_under_fault<D: Token2Device>(
    device: &mut D,
    apdu: &[u8],
    fault: Option<Fault>,
) -> CardReply {
    match fault {
        None => CardReply::Reply(device.execute(apdu)),
        Some(Fault::MuteBeforeExecuting) => CardReply::Mute,
        Some(Fault::MuteAfterExecuting) => {
            device.execute(apdu);
            CardReply::Mute
        }
        Some(Fault::RemovedBeforeExecuting) => {
            device.remove();
            CardReply::Removed
        }
        Some(Fault::RemovedAfterExecuting) => {
            device.execute(apdu);
            device.remove();
            CardReply::Removed
        }
        Some(Fault::Status(status)) => CardReply::Reply(sw(status)),
        Some(Fault::StatusAfterExecuting(status)) => {
            device.execute(apdu);
            CardReply::Reply(sw(status))
        }
        Some(Fault::GarbageBeforeExecuting(bytes)) => CardReply::Reply(bytes),
        Some(Fault::GarbageAfterExecuting(bytes)) => {
            device.execute(apdu);
            CardReply::Reply(bytes)
        }
    }
}

impl<D: Token2Device> Card for D {
    fn present(&self) -> bool {
        self.in_field()
    }

    /// Single-profile and Molto2 answer anticollision alike.
    fn atqa(&self) -> [u8; 2] {
        [0x44, 0x00]
    }

    fn sak(&self) -> u8 {
        0x20
    }

    /// `04`, then the serial's last six characters reversed.
    fn uid(&self) -> Vec<u8> {
        let mut uid = vec![0x04];
        uid.extend(self.serial_number().bytes().rev().take(6));
        uid
    }

    fn ats(&self) -> Vec<u8> {
        vec![0x05, 0x78, 0x80, 0x70, 0x02]
    }

    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        if !self.in_field() {
            return CardReply::Removed;
        }
        let fault = self.receive(apdu);
        reply_under_fault(self, apdu, fault)
    }
}

impl Token2Device for SimToken {
    fn in_field(&self) -> bool {
        self.present
    }

    fn serial_number(&self) -> &str {
        &self.serial
    }

    fn receive(&mut self, apdu: &[u8]) -> Option<Fault> {
        self.received.push(apdu.to_vec());
        let ins = apdu.get(1).and_then(|&b| Ins::from_byte(b))?;
        take_fault(&mut self.faults, ins)
    }

    fn execute(&mut self, apdu: &[u8]) -> Vec<u8> {
        SimToken::execute(self, apdu)
    }

    fn remove(&mut self) {
        SimToken::remove(self)
    }
}
