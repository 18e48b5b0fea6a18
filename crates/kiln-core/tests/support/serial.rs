//! [`SerialSimPipe`]: a kiln-sim serial board ([`SimSerialDevice`]) as a kiln-core
//! [`SerialPipe`], counting the bytes that cross the line in each direction.

use super::Shared;
use kiln_core::link::pn532::SerialPipe;
use kiln_core::link::{BulkPipe, PipeError};
use kiln_sim::{SimIn, SimSerialDevice};
use std::cell::RefCell;
use std::rc::Rc;

/// Bytes written by the link and bytes it read, and how many reads it made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineCount {
    /// Host → board.
    pub written: usize,
    /// Board → host.
    pub read: usize,
    /// Reads that returned bytes.
    pub reads: usize,
}

/// A serial line to a shared simulated board.
pub struct SerialSimPipe<D> {
    device: Shared<D>,
    count: Shared<LineCount>,
}

impl<D: SimSerialDevice> SerialSimPipe<D> {
    /// A line to `device`; keep the handles to inject faults and count bytes.
    pub fn new(device: D) -> (SerialSimPipe<D>, Shared<D>, Shared<LineCount>) {
        let device = Rc::new(RefCell::new(device));
        let count = Rc::new(RefCell::new(LineCount::default()));
        let pipe = SerialSimPipe {
            device: device.clone(),
            count: count.clone(),
        };
        (pipe, device, count)
    }
}

impl<D: SimSerialDevice> SerialPipe for SerialSimPipe<D> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        self.device
            .borrow_mut()
            .write(data)
            .map_err(|_| PipeError::Disconnected)?;
        self.count.borrow_mut().written += data.len();
        Ok(())
    }

    async fn read(&mut self, _timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        match self.device.borrow_mut().read() {
            SimIn::Data(data) => {
                let mut count = self.count.borrow_mut();
                count.read += data.len();
                count.reads += 1;
                Ok(data)
            }
            SimIn::Nothing => Err(PipeError::Timeout),
            SimIn::Disconnected => Err(PipeError::Disconnected),
        }
    }
}

/// The conformance suite holds every reader's pipe as both kinds; a serial line driven as bulk
/// endpoints is the same bytes (only the PN532 link uses this pipe).
impl<D: SimSerialDevice> BulkPipe for SerialSimPipe<D> {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        SerialPipe::write(self, data).await
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        SerialPipe::read(self, timeout_ms).await
    }
}
