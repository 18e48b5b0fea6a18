//! Misbehaviour on demand, and the token as the reader sees it: scheduled faults are applied to
//! the next command with their instruction.

use super::SimToken;
use super::commands::{Ins, sw};
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

    fn take_fault(&mut self, ins: Ins) -> Option<Fault> {
        let index = self.faults.iter().position(|(i, _)| *i == ins)?;
        Some(self.faults.remove(index).1)
    }
}

impl Card for SimToken {
    fn present(&self) -> bool {
        self.present
    }

    fn atqa(&self) -> [u8; 2] {
        [0x44, 0x00]
    }

    fn sak(&self) -> u8 {
        0x20
    }

    fn uid(&self) -> Vec<u8> {
        let mut uid = vec![0x04];
        uid.extend(self.serial.bytes().rev().take(6));
        uid
    }

    fn ats(&self) -> Vec<u8> {
        vec![0x05, 0x78, 0x80, 0x70, 0x02]
    }

    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        if !self.present {
            return CardReply::Removed;
        }
        self.received.push(apdu.to_vec());
        let fault = apdu
            .get(1)
            .and_then(|&b| Ins::from_byte(b))
            .and_then(|ins| self.take_fault(ins));
        match fault {
            None => CardReply::Reply(self.execute(apdu)),
            Some(Fault::MuteBeforeExecuting) => CardReply::Mute,
            Some(Fault::MuteAfterExecuting) => {
                self.execute(apdu);
                CardReply::Mute
            }
            Some(Fault::RemovedBeforeExecuting) => {
                self.remove();
                CardReply::Removed
            }
            Some(Fault::RemovedAfterExecuting) => {
                self.execute(apdu);
                self.remove();
                CardReply::Removed
            }
            Some(Fault::Status(status)) => CardReply::Reply(sw(status)),
            Some(Fault::StatusAfterExecuting(status)) => {
                self.execute(apdu);
                CardReply::Reply(sw(status))
            }
            Some(Fault::GarbageBeforeExecuting(bytes)) => CardReply::Reply(bytes),
            Some(Fault::GarbageAfterExecuting(bytes)) => {
                self.execute(apdu);
                CardReply::Reply(bytes)
            }
        }
    }
}
