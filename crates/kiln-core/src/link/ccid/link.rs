//! The async adapter: a CCID reader behind any [`BulkPipe`] as a [`Link`].

use super::abandon::Drain;
use super::atr;
use super::session::{Close, Connect, Transmit};
use crate::link::machine::run_reader_machine;
use crate::link::{BulkPipe, Link, LinkError, LinkFault};

/// USB interface class of smart-card readers (`bInterfaceClass`). WebUSB refuses to claim it
/// outside Isolated Web Apps; native code and the simulators use it freely.
pub const CCID_CLASS: u8 = 0x0B;
/// Bulk packet size of full-speed CCID readers. The actual value is in the endpoint descriptor;
/// a write whose length is a multiple of it must be followed by a zero-length packet.
pub const CCID_BULK_PACKET: usize = 64;
/// A read buffer large enough for any answer Kiln expects (a short R-APDU or an ATR).
pub const CCID_READ_LEN: usize = super::message::HEADER_LEN + 65_538;

/// A CCID reader with a powered card, speaking APDUs.
///
/// After a command timed out (see [`abandon`](super::abandon)) the link sends no further APDU:
/// every later [`transmit`](Link::transmit) fails with [`LinkError::NotSent`], and
/// [`close`](CcidLink::close) collects the late answer before powering the card off. Connect
/// again to go on.
pub struct CcidLink<P> {
    pipe: P,
    slot: u8,
    seq: u8,
    atr: Vec<u8>,
    /// The `bSeq` of a command the reader may still be working on.
    abandoned: Option<u8>,
}

impl<P: BulkPipe> CcidLink<P> {
    /// Powers the card in slot 0: GetSlotStatus (fails with [`LinkFault::NoToken`] on an empty
    /// slot), then IccPowerOn, whose answer is the ATR. A storage card (its PC/SC ATR says so)
    /// is powered off again and reported as [`LinkFault::NotAToken`].
    pub async fn connect(pipe: P) -> Result<Self, LinkError> {
        Self::connect_slot(pipe, 0).await
    }

    /// Like [`connect`](Self::connect), for readers with several slots.
    pub async fn connect_slot(mut pipe: P, slot: u8) -> Result<Self, LinkError> {
        let mut session = Connect::new(slot, 0);
        let atr = run_reader_machine(&mut pipe, &mut session).await?;
        let seq = session.next_seq();
        if let Some(seen) = atr::storage_card(&atr) {
            // Leave the card unpowered; the error is what matters.
            let _ = run_reader_machine(&mut pipe, &mut Close::new(slot, seq)).await;
            return Err(LinkError::NotSent(LinkFault::NotAToken { seen }));
        }
        Ok(CcidLink {
            pipe,
            slot,
            seq,
            atr,
            abandoned: None,
        })
    }

    /// The ATR the reader reported (synthesised from the ATS for contactless tokens).
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }

    /// The ATR's historical bytes (for a contactless token: the ATS's historical bytes).
    pub fn historical_bytes(&self) -> Option<&[u8]> {
        atr::historical_bytes(&self.atr)
    }

    /// True until a command timed out; then the slot is busy and the link sends nothing more.
    pub fn is_usable(&self) -> bool {
        self.abandoned.is_none()
    }

    /// Powers the card off, best-effort, and gives the pipe back. After a timeout it first
    /// waits (boundedly) for the late answer, so it cannot reach the next link on this reader.
    pub async fn close(mut self) -> P {
        if let Some(seq) = self.abandoned {
            // If the answer never comes, the next link still drops it by its bSeq.
            let _ = run_reader_machine(&mut self.pipe, &mut Drain::new(self.slot, seq)).await;
        }
        // Nothing useful can be done if this fails: the next connect powers the card anew.
        let _ = run_reader_machine(&mut self.pipe, &mut Close::new(self.slot, self.seq)).await;
        self.pipe
    }
}

impl<P: BulkPipe> Link for CcidLink<P> {
    /// Sends `apdu` in an XfrBlock, waits through time extensions, checks `bSeq`. Refuses to
    /// send anything once a command timed out on this link.
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        if self.abandoned.is_some() {
            return Err(LinkError::NotSent(LinkFault::ReaderGone));
        }
        let mut session = Transmit::new(self.slot, self.seq, apdu);
        let result = run_reader_machine(&mut self.pipe, &mut session).await;
        self.seq = session.next_seq();
        self.abandoned = session.abandoned_seq();
        result
    }
}
