//! Misbehaviour on demand, and the token as the reader sees it: scheduled faults are applied to
//! the next command with their instruction.

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

/// What a scheduled fault needs from a simulated Token2 device (single-profile or Molto2).
pub(crate) trait Executes {
    /// Processes one APDU; returns data ‖ SW.
    fn execute(&mut self, apdu: &[u8]) -> Vec<u8>;
    /// Leaves the reader's field.
    fn remove(&mut self);
}

/// What the reader sees of `apdu` sent to `device` with `fault` (none: the real reply).
pub(crate) fn reply_under_fault<D: Executes>(
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

/// ATQA of a Token2 device (single-profile and Molto2 answer anticollision alike).
pub(crate) const TOKEN2_ATQA: [u8; 2] = [0x44, 0x00];
/// SAK of a Token2 device: ISO 14443-4.
pub(crate) const TOKEN2_SAK: u8 = 0x20;
/// ATS of a Token2 device, length byte included.
pub(crate) const TOKEN2_ATS: [u8; 5] = [0x05, 0x78, 0x80, 0x70, 0x02];

/// The 7-byte UID of a Token2 device: `04`, then the serial's last six characters reversed.
pub(crate) fn token2_uid(serial: &str) -> Vec<u8> {
    let mut uid = vec![0x04];
    uid.extend(serial.bytes().rev().take(6));
    uid
}

impl Executes for SimToken {
    fn execute(&mut self, apdu: &[u8]) -> Vec<u8> {
        SimToken::execute(self, apdu)
    }

    fn remove(&mut self) {
        SimToken::remove(self)
    }
}

impl Card for SimToken {
    fn present(&self) -> bool {
        self.present
    }

    fn atqa(&self) -> [u8; 2] {
        TOKEN2_ATQA
    }

    fn sak(&self) -> u8 {
        TOKEN2_SAK
    }

    fn uid(&self) -> Vec<u8> {
        token2_uid(&self.serial)
    }

    fn ats(&self) -> Vec<u8> {
        TOKEN2_ATS.to_vec()
    }

    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        if !self.present {
            return CardReply::Removed;
        }
        self.received.push(apdu.to_vec());
        let fault = apdu
            .get(1)
            .and_then(|&b| Ins::from_byte(b))
            .and_then(|ins| take_fault(&mut self.faults, ins));
        reply_under_fault(self, apdu, fault)
    }
}
