//! The async adapter: a PN532 board behind any [`SerialPipe`] as a [`Link`].

use super::connect::Connect;
use super::pipe::{Serial, SerialPipe};
use crate::link::machine::run_reader_machine;
use crate::link::pn53x::{Close, Connected, FirmwareVersion, Line, Target, Transmit};
use crate::link::{Link, LinkError};

/// The line speed of a PN532 in HSU mode (8 data bits, no parity, 1 stop bit, no flow control).
/// Opening the port with these settings is the adapter's job.
pub const PN532_BAUD: u32 = 115_200;

/// A PN532 board with an activated token, speaking APDUs.
pub struct Pn532Link<P> {
    pipe: P,
    connected: Connected,
}

impl<P: SerialPipe> Pn532Link<P> {
    /// Wakes the board, takes it to normal mode (`SAMConfiguration`), then brings it up as a
    /// PN533 is brought up and activates the token. Fails with
    /// [`LinkFault::NoToken`](crate::link::LinkFault::NoToken) when nothing is on the reader,
    /// [`LinkFault::NotAToken`](crate::link::LinkFault::NotAToken) for other tags, and
    /// `NoReply(ReaderGone)` when nothing on the line answers like a PN532.
    pub async fn connect(mut pipe: P) -> Result<Self, LinkError> {
        let connected = run_reader_machine(&mut Serial(&mut pipe), &mut Connect::new()).await?;
        Ok(Pn532Link { pipe, connected })
    }

    /// The board's chip and firmware version (`IC 32` for a PN532).
    pub fn firmware(&self) -> &FirmwareVersion {
        &self.connected.firmware
    }

    /// The activated token: UID, ATQA, SAK and ATS.
    pub fn target(&self) -> &Target {
        &self.connected.target
    }

    /// The token's UID (NFCID1).
    pub fn uid(&self) -> &[u8] {
        &self.connected.target.uid
    }

    /// The token's ATS, length byte included.
    pub fn ats(&self) -> &[u8] {
        self.connected.target.ats.as_deref().unwrap_or_default()
    }

    /// Releases the token and switches the field off, best-effort, and gives the port back.
    pub async fn close(mut self) -> P {
        // Nothing useful can be done if this fails: the board is unplugged or stuck, and the
        // next connect wakes it from scratch anyway.
        let _ =
            run_reader_machine(&mut Serial(&mut self.pipe), &mut Close::over(Line::Serial)).await;
        self.pipe
    }
}

impl<P: SerialPipe> Link for Pn532Link<P> {
    /// Sends `apdu` with `InDataExchange`, chaining as needed; aborts the command with an ACK if
    /// the board stays silent.
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        let target = self.connected.target.number;
        let mut transmit = Transmit::over(Line::Serial, target, apdu);
        run_reader_machine(&mut Serial(&mut self.pipe), &mut transmit).await
    }
}
