//! The byte-stream surface of a simulated serial board: bytes written to the line, bytes that
//! have arrived from it. Unlike [`SimUsbDevice`](crate::SimUsbDevice) there are no transfers: a
//! read returns some of what the board sent, however the board's frames fall.

use crate::usb::{SimIn, SimUsbError};

/// A simulated board on a serial line (behind a USB-serial adapter: unplugging it removes the
/// port, hence [`SimUsbError::Disconnected`]).
pub trait SimSerialDevice {
    /// The board receives these bytes.
    fn write(&mut self, data: &[u8]) -> Result<(), SimUsbError>;

    /// Some of the bytes the board has sent and the host has not read yet (at least one), or
    /// [`SimIn::Nothing`] when none are waiting (a real read would time out).
    fn read(&mut self) -> SimIn;
}
