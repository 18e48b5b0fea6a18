//! The byte-level USB surface shared by the simulated readers: bulk OUT transfers in, bulk IN
//! transfers out. Any adapter (the kiln-core test glue, a stdio bridge for browser tests) can
//! drive a reader through [`SimUsbDevice`].

use core::fmt;

/// What a bulk IN read gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimIn {
    /// One transfer from the device.
    Data(Vec<u8>),
    /// Nothing is waiting: a real read would time out.
    Nothing,
    /// The device is unplugged.
    Disconnected,
}

/// A bulk OUT write that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimUsbError {
    /// The device is unplugged.
    Disconnected,
}

impl fmt::Display for SimUsbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimUsbError::Disconnected => f.write_str("the simulated reader is unplugged"),
        }
    }
}

impl std::error::Error for SimUsbError {}

/// A simulated USB reader's bulk endpoints.
pub trait SimUsbDevice {
    /// wMaxPacketSize of the bulk endpoints.
    fn bulk_packet(&self) -> usize;

    /// Receives the bytes of one bulk OUT write. A write whose length is a non-zero multiple of
    /// [`bulk_packet`](Self::bulk_packet) does not end the transfer: as on real USB, a shorter write or a
    /// zero-length packet (`&[]`) must follow.
    fn bulk_out(&mut self, data: &[u8]) -> Result<(), SimUsbError>;

    /// Takes the next bulk IN transfer.
    fn bulk_in(&mut self) -> SimIn;
}

/// Assembles bulk OUT writes into transfers, the way a USB device sees packets.
#[derive(Debug, Default)]
pub(crate) struct OutTransfer {
    pending: Vec<u8>,
}

impl OutTransfer {
    /// Adds one write; returns the finished transfer when this write ended it.
    pub(crate) fn push(&mut self, data: &[u8], packet: usize) -> Option<Vec<u8>> {
        self.pending.extend_from_slice(data);
        let continues = !data.is_empty() && packet != 0 && data.len().is_multiple_of(packet);
        if continues {
            return None;
        }
        let transfer = core::mem::take(&mut self.pending);
        (!transfer.is_empty()).then_some(transfer)
    }

    /// Forgets a half-received transfer (unplug).
    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }
}
