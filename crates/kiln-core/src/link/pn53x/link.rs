//! The async adapter: a PN533 reader behind any [`BulkPipe`] as a [`Link`].

use super::close::Close;
use super::command::{FirmwareVersion, Target};
use super::connect::{Connect, Connected};
use super::transmit::Transmit;
use crate::link::machine::run_reader_machine;
use crate::link::{BulkPipe, Link, LinkError};

/// A USB vendor and product ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsbId {
    /// idVendor.
    pub vendor: u16,
    /// idProduct.
    pub product: u16,
    /// What the device is sold as.
    pub name: &'static str,
}

/// PN533 readers known to work with raw PN533 frames (vendor-specific interface class, so
/// WebUSB may claim them).
pub const PN533_READERS: [UsbId; 2] = [
    UsbId {
        vendor: 0x04CC,
        product: 0x2533,
        name: "NXP PN533 (StickID and others)",
    },
    UsbId {
        vendor: 0x04E6,
        product: 0x5591,
        name: "SCM SCL3711",
    },
];
/// The PN533's USB interface.
pub const PN533_INTERFACE: u8 = 0;
/// The PN533's USB configuration.
pub const PN533_CONFIGURATION: u8 = 1;
/// Bulk OUT endpoint address (WebUSB `endpointNumber` 4, direction out).
pub const PN533_ENDPOINT_OUT: u8 = 0x04;
/// Bulk IN endpoint address (WebUSB `endpointNumber` 4, direction in).
pub const PN533_ENDPOINT_IN: u8 = 0x84;
/// wMaxPacketSize of both bulk endpoints. A write whose length is a multiple of it must be
/// followed by a zero-length packet, or the chip waits for more.
pub const PN533_BULK_PACKET: usize = 64;
/// A read buffer large enough for any PN533 frame.
pub const PN533_READ_LEN: usize = super::frame::MAX_FRAME_LEN;

/// A PN533 reader with an activated token, speaking APDUs.
pub struct Pn533Link<P> {
    pipe: P,
    connected: Connected,
}

impl<P: BulkPipe> Pn533Link<P> {
    /// Brings the reader up and activates the token on it: GetFirmwareVersion (retried once,
    /// the first command after plug-in may go unanswered), SetParameters with automatic RATS,
    /// RF on, finite retries, InListPassiveTarget at 106 kbps type A. Fails with
    /// [`LinkFault::NoToken`](crate::link::LinkFault::NoToken) when nothing is on the reader and
    /// [`LinkFault::NotAToken`](crate::link::LinkFault::NotAToken) for other tags.
    pub async fn connect(mut pipe: P) -> Result<Self, LinkError> {
        let connected = run_reader_machine(&mut pipe, &mut Connect::new()).await?;
        Ok(Pn533Link { pipe, connected })
    }

    /// The reader's chip and firmware version.
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

    /// Releases the token and switches the field off, best-effort, and gives the pipe back.
    pub async fn close(mut self) -> P {
        // Nothing useful can be done if this fails: the reader is unplugged or stuck, and the
        // next connect starts from scratch anyway.
        let _ = run_reader_machine(&mut self.pipe, &mut Close::new()).await;
        self.pipe
    }
}

impl<P: BulkPipe> Link for Pn533Link<P> {
    /// Sends `apdu` with `InDataExchange`, chaining as needed; aborts the command with an ACK if
    /// the reader stays silent.
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        let target = self.connected.target.number;
        run_reader_machine(&mut self.pipe, &mut Transmit::new(target, apdu)).await
    }
}
