//! The card the bridge puts on its reader: the simulated token, plus the one fault that needs
//! both of them — pulling the reader's cable right after the token executed a given command.

use crate::card::{Card, CardReply};
use crate::token::{Ins, SimToken};

/// A [`SimToken`] that can ask its reader to be unplugged after a command.
pub struct BridgeCard {
    /// The token itself (faults, snapshot, clock).
    pub token: SimToken,
    unplug_after: Vec<Ins>,
    unplug_requested: bool,
}

impl BridgeCard {
    /// Wraps `token`.
    pub fn new(token: SimToken) -> BridgeCard {
        BridgeCard {
            token,
            unplug_after: Vec::new(),
            unplug_requested: false,
        }
    }

    /// Once the token has executed the next command with instruction `ins`, the reader is
    /// unplugged before it can pass the reply on (one-shot).
    pub fn unplug_reader_after(&mut self, ins: Ins) {
        self.unplug_after.push(ins);
    }

    /// True (once) when an armed command went through and the reader must be unplugged now.
    pub fn take_unplug_request(&mut self) -> bool {
        core::mem::take(&mut self.unplug_requested)
    }
}

impl Card for BridgeCard {
    fn present(&self) -> bool {
        self.token.present()
    }

    fn atqa(&self) -> [u8; 2] {
        self.token.atqa()
    }

    fn sak(&self) -> u8 {
        self.token.sak()
    }

    fn uid(&self) -> Vec<u8> {
        self.token.uid()
    }

    fn ats(&self) -> Vec<u8> {
        self.token.ats()
    }

    fn transmit(&mut self, apdu: &[u8]) -> CardReply {
        let reply = self.token.transmit(apdu);
        let armed = apdu
            .get(1)
            .and_then(|&byte| self.unplug_after.iter().position(|&ins| ins.byte() == byte));
        if let Some(index) = armed {
            self.unplug_after.remove(index);
            self.unplug_requested = true;
        }
        reply
    }
}
