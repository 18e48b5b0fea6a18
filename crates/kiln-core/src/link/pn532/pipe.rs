//! The byte stream under a PN532 link: a serial port as the adapter (Web Serial, a native
//! serial-port crate, a simulator) provides it.

use crate::link::{BulkPipe, PipeError};

/// A serial line. Unlike USB bulk endpoints it has no packets: a write is a run of bytes, and a
/// read returns whatever bytes have arrived — part of a frame, or several frames.
///
/// Adapters open the port at 115 200 baud, 8N1, no flow control, and send nothing of their own
/// (no zero-length packets, no line breaks).
#[allow(async_fn_in_trait)]
pub trait SerialPipe {
    /// Writes every byte of `data` to the line.
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError>;

    /// Returns the bytes received so far (at least one), waiting at most `timeout_ms` for the
    /// first: [`PipeError::Timeout`] when none came. An empty read counts as a timeout.
    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError>;
}

/// Lets a link borrow a port, so the caller keeps it when a connect fails or a link closes.
impl<T: SerialPipe + ?Sized> SerialPipe for &mut T {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        (**self).write(data).await
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        (**self).read(timeout_ms).await
    }
}

/// Runs the reader sessions (written against [`BulkPipe`]) over a serial line: the sessions
/// already treat a read as "some bytes", and the serial exchanges bound them by bytes and time.
pub(crate) struct Serial<'a, P>(pub(crate) &'a mut P);

impl<P: SerialPipe> BulkPipe for Serial<'_, P> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        self.0.write(data).await
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        self.0.read(timeout_ms).await
    }
}
