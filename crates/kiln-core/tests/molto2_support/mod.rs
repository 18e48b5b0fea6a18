//! Glue for the Molto2 session tests: the simulated Molto2 as a `Link` (a perfect USB link),
//! and a runner with a clock that follows the simulated wall time.
#![allow(dead_code)]

use std::cell::Cell;

use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::molto2::{Report, Session, session_runner};
use kiln_sim::molto2::SimMolto2;
use kiln_sim::{Card, CardReply};

/// Passes APDUs straight to the device; a removal or silence during an exchange is `NoReply`.
pub struct DirectLink<'a> {
    pub device: &'a mut SimMolto2,
    pub now: &'a Cell<u64>,
}

impl Link for DirectLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        self.device.set_wall_time(self.now.get());
        if !self.device.present() {
            return Err(LinkError::NotSent(LinkFault::NoToken));
        }
        match self.device.transmit(apdu) {
            CardReply::Reply(bytes) => Ok(bytes),
            CardReply::Mute => Err(LinkError::NoReply(LinkFault::TokenMute)),
            CardReply::Removed => Err(LinkError::NoReply(LinkFault::TokenRemoved)),
        }
    }
}

/// Runs `session` at wall time `now` (the clock ticks one second per command).
pub fn run(device: &mut SimMolto2, session: Session, now: u64) -> Report {
    let time = Cell::new(now);
    let clock = || {
        let t = time.get() + 1;
        time.set(t);
        t
    };
    let mut link = DirectLink { device, now: &time };
    pollster::block_on(session_runner::run_session(
        session,
        &mut link,
        &clock,
        |_| {},
    ))
}

/// The instruction bytes the device received, in order.
pub fn ins_sent(device: &SimMolto2) -> Vec<u8> {
    device.received().iter().map(|apdu| apdu[1]).collect()
}
