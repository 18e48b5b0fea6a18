//! The readers the suite runs against: one [`SimReader`] per simulated reader. A new link (the
//! bridge) joins the suite with one impl here and one line in `main.rs`.

use kiln_core::link::ccid::CcidLink;
use kiln_core::link::pn53x::Pn533Link;
use kiln_core::link::pn532::{Pn532Link, SerialPipe};
use kiln_core::link::{BulkPipe, Link, LinkError};
use kiln_sim::ccid::SimCcid;
use kiln_sim::pn532::SimPn532;
use kiln_sim::pn533::SimPn533;

use crate::support::serial::SerialSimPipe;
use crate::support::{Shared, SimPipe, TestCard};

/// A pipe of the suite: USB bulk endpoints or a serial line; each link speaks the one it needs.
pub trait AnyPipe: BulkPipe + SerialPipe {}
impl<T: BulkPipe + SerialPipe> AnyPipe for T {}

/// Something the test does to the simulated reader or the token on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The token leaves the reader.
    RemoveToken,
    /// The token is laid back on the reader.
    InsertToken,
    /// The reader is unplugged: writes fail.
    Unplug,
    /// The reader is unplugged right after it executes the next command.
    UnplugAfterNextCommand,
    /// The next command is executed but its reply never arrives.
    StallNextReply,
}

/// A simulated reader and the link Kiln speaks to it.
#[allow(async_fn_in_trait)]
pub trait SimReader {
    /// The simulated device.
    type Sim;
    /// The pipe to it.
    type Pipe: AnyPipe;
    /// Kiln's link over a pipe to it.
    type Link<P: AnyPipe>: Link;
    /// Longest APDU the reader passes on (short-APDU readers: 261 bytes).
    const MAX_APDU: usize;
    /// Whether the link goes on after a command got no reply (the reader can cancel it), or
    /// refuses every later command because the late reply could still arrive.
    const RESUMES_AFTER_NO_REPLY: bool;

    /// A reader with `card` on it, and a pipe to it.
    fn new_sim(card: TestCard) -> (Self::Pipe, Shared<Self::Sim>);
    /// Brings the reader up and activates the token.
    async fn connect<P: AnyPipe>(pipe: P) -> Result<Self::Link<P>, LinkError>;
    /// Leaves the reader idle and gives the pipe back.
    async fn close<P: AnyPipe>(link: Self::Link<P>) -> P;
    /// The token's historical bytes (ATS) as the link reports them.
    fn historical_bytes<P: AnyPipe>(link: &Self::Link<P>) -> Option<Vec<u8>>;
    /// Every APDU the token received.
    fn received(sim: &Self::Sim) -> Vec<Vec<u8>>;
    /// True while the reader drives the token: RF field on (PN533), card powered (CCID).
    fn energised(sim: &Self::Sim) -> bool;
    /// Applies `fault` to the simulated reader.
    fn arm(sim: &mut Self::Sim, fault: Fault);
}

/// A PN533 (StickID, SCL3711) over USB.
pub struct Pn533;

impl SimReader for Pn533 {
    type Sim = SimPn533<TestCard>;
    type Pipe = SimPipe<Self::Sim>;
    type Link<P: AnyPipe> = Pn533Link<P>;
    const MAX_APDU: usize = 1_000;
    const RESUMES_AFTER_NO_REPLY: bool = true;

    fn new_sim(card: TestCard) -> (Self::Pipe, Shared<Self::Sim>) {
        let (pipe, sim, _) = SimPipe::new(SimPn533::new(card));
        (pipe, sim)
    }
    async fn connect<P: AnyPipe>(pipe: P) -> Result<Pn533Link<P>, LinkError> {
        Pn533Link::connect(pipe).await
    }
    async fn close<P: AnyPipe>(link: Pn533Link<P>) -> P {
        link.close().await
    }
    fn historical_bytes<P: AnyPipe>(link: &Pn533Link<P>) -> Option<Vec<u8>> {
        link.target().historical_bytes().map(<[u8]>::to_vec)
    }
    fn received(sim: &Self::Sim) -> Vec<Vec<u8>> {
        sim.card().received.clone()
    }
    fn energised(sim: &Self::Sim) -> bool {
        sim.rf_on()
    }
    fn arm(sim: &mut Self::Sim, fault: Fault) {
        match fault {
            Fault::RemoveToken => sim.remove_card(),
            Fault::InsertToken => sim.insert_card(),
            Fault::Unplug => sim.unplug(),
            Fault::UnplugAfterNextCommand => sim.unplug_after_next_command(),
            Fault::StallNextReply => sim.stall_next_response(),
        }
    }
}

/// A CCID (class 0x0B) contactless reader over USB, short-APDU level like an ACR122U.
pub struct Ccid;

impl SimReader for Ccid {
    type Sim = SimCcid<TestCard>;
    type Pipe = SimPipe<Self::Sim>;
    type Link<P: AnyPipe> = CcidLink<P>;
    const MAX_APDU: usize = 261;
    const RESUMES_AFTER_NO_REPLY: bool = false;

    fn new_sim(card: TestCard) -> (Self::Pipe, Shared<Self::Sim>) {
        let (pipe, sim, _) = SimPipe::new(SimCcid::new(card));
        (pipe, sim)
    }
    async fn connect<P: AnyPipe>(pipe: P) -> Result<CcidLink<P>, LinkError> {
        CcidLink::connect(pipe).await
    }
    async fn close<P: AnyPipe>(link: CcidLink<P>) -> P {
        link.close().await
    }
    fn historical_bytes<P: AnyPipe>(link: &CcidLink<P>) -> Option<Vec<u8>> {
        link.historical_bytes().map(<[u8]>::to_vec)
    }
    fn received(sim: &Self::Sim) -> Vec<Vec<u8>> {
        sim.card().received.clone()
    }
    fn energised(sim: &Self::Sim) -> bool {
        sim.card_powered()
    }
    fn arm(sim: &mut Self::Sim, fault: Fault) {
        match fault {
            Fault::RemoveToken => sim.remove_card(),
            Fault::InsertToken => sim.insert_card(),
            Fault::Unplug => sim.unplug(),
            Fault::UnplugAfterNextCommand => sim.unplug_after_next_command(),
            Fault::StallNextReply => sim.stall_next_reply(),
        }
    }
}

/// A PN532 board over a serial line (HSU, 115 200 8N1), its answers split and joined across
/// reads.
pub struct Pn532;

impl SimReader for Pn532 {
    type Sim = SimPn532<TestCard>;
    type Pipe = SerialSimPipe<Self::Sim>;
    type Link<P: AnyPipe> = Pn532Link<P>;
    const MAX_APDU: usize = 1_000;
    const RESUMES_AFTER_NO_REPLY: bool = true;

    fn new_sim(card: TestCard) -> (Self::Pipe, Shared<Self::Sim>) {
        let (pipe, sim, _) = SerialSimPipe::new(SimPn532::new(card));
        (pipe, sim)
    }
    async fn connect<P: AnyPipe>(pipe: P) -> Result<Pn532Link<P>, LinkError> {
        Pn532Link::connect(pipe).await
    }
    async fn close<P: AnyPipe>(link: Pn532Link<P>) -> P {
        link.close().await
    }
    fn historical_bytes<P: AnyPipe>(link: &Pn532Link<P>) -> Option<Vec<u8>> {
        link.target().historical_bytes().map(<[u8]>::to_vec)
    }
    fn received(sim: &Self::Sim) -> Vec<Vec<u8>> {
        sim.card().received.clone()
    }
    fn energised(sim: &Self::Sim) -> bool {
        sim.rf_on()
    }
    fn arm(sim: &mut Self::Sim, fault: Fault) {
        match fault {
            Fault::RemoveToken => sim.remove_card(),
            Fault::InsertToken => sim.insert_card(),
            Fault::Unplug => sim.unplug(),
            Fault::UnplugAfterNextCommand => sim.unplug_after_next_command(),
            Fault::StallNextReply => sim.stall_next_response(),
        }
    }
}
