//! The one reader the app holds open: a USB reader (WebUSB), a PN532 board (Web Serial), or a
//! PC/SC reader lent by the Kiln bridge (WebSocket).

use super::bridge::BridgeReader;
use super::serial::SerialReader;
use super::usb::UsbReader;

/// An open reader of either kind.
pub enum OpenReader {
    /// A PN533 or CCID reader over WebUSB.
    Usb(UsbReader),
    /// A PN532 board over Web Serial.
    Serial(SerialReader),
    /// A PC/SC reader through the Kiln bridge.
    Bridge(BridgeReader),
}

impl OpenReader {
    /// The reader's name for display.
    pub fn name(&self) -> &str {
        match self {
            OpenReader::Usb(reader) => reader.name(),
            OpenReader::Serial(reader) => reader.name(),
            OpenReader::Bridge(reader) => reader.name(),
        }
    }

    /// True once the reader was unplugged (or the bridge's session ended).
    pub fn is_gone(&self) -> bool {
        match self {
            OpenReader::Usb(reader) => reader.is_gone(),
            OpenReader::Serial(reader) => reader.is_gone(),
            OpenReader::Bridge(reader) => reader.is_gone(),
        }
    }

    /// Closes the reader (best-effort).
    pub async fn close(self) {
        match self {
            OpenReader::Usb(reader) => reader.close().await,
            OpenReader::Serial(reader) => reader.close().await,
            OpenReader::Bridge(reader) => reader.close().await,
        }
    }
}
