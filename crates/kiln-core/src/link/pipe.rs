//! The byte pipe under a USB reader codec: bulk OUT and bulk IN of one interface.

use core::fmt;

/// Bulk endpoints of a USB reader. The WebUSB adapter and the simulators implement this; the
/// PN53x and CCID links speak their protocols over it.
///
/// Adapters handle USB details such as zero-length packets after writes that are a multiple of
/// the endpoint's packet size.
#[allow(async_fn_in_trait)]
pub trait BulkPipe {
    /// Writes one message to the bulk OUT endpoint.
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError>;

    /// Reads one transfer from the bulk IN endpoint, waiting at most `timeout_ms`.
    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError>;
}

/// A failure of the byte pipe itself: a USB reader's bulk endpoints, or a serial port (the
/// PN532 links use this error too, so only [`PipeError::Stalled`] is USB-specific).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PipeError {
    /// Nothing arrived within the timeout.
    Timeout,
    /// The device is gone (unplugged, or closed by the system).
    Disconnected,
    /// The endpoint stalled.
    Stalled,
    /// Any other transfer error, as reported by the platform (USB or serial).
    Io(String),
}

impl fmt::Display for PipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipeError::Timeout => f.write_str("the reader did not answer in time"),
            PipeError::Disconnected => f.write_str("the reader was disconnected"),
            PipeError::Stalled => f.write_str("the reader's USB endpoint stalled"),
            PipeError::Io(detail) => write!(f, "the connection to the reader failed: {detail}"),
        }
    }
}

/// Lets a link borrow a pipe (`Pn533Link::connect(&mut pipe)`), so the caller keeps the open
/// device when a connection attempt fails or a link is closed.
impl<T: BulkPipe + ?Sized> BulkPipe for &mut T {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        (**self).write(data).await
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        (**self).read(timeout_ms).await
    }
}
