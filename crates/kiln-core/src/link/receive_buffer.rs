//! The receive buffer of a reader codec: what bulk IN delivered and the codec has not decoded
//! yet. A reader may split a frame or message over several reads, or put several in one.

use core::ops::Deref;
use zeroize::Zeroizing;

/// Bytes read from the reader and not yet consumed, wiped when dropped (a reply may carry a
/// token's answer), with a count of the reads that filled it, so that a codec can bound how long
/// a reader trickling bytes keeps a session alive.
pub(crate) struct ReceiveBuffer {
    bytes: Zeroizing<Vec<u8>>,
    reads: u32,
}

impl ReceiveBuffer {
    /// An empty buffer that has taken no read yet.
    pub(crate) fn new() -> ReceiveBuffer {
        ReceiveBuffer {
            bytes: Zeroizing::new(Vec::new()),
            reads: 0,
        }
    }

    /// Appends one read's bytes, wipes the transfer's own copy, and returns how many reads the
    /// buffer has taken so far.
    pub(crate) fn push(&mut self, transfer: Vec<u8>) -> u32 {
        let transfer = Zeroizing::new(transfer);
        self.bytes.extend_from_slice(&transfer);
        self.reads = self.reads.saturating_add(1);
        self.reads
    }

    /// Drops the first `used` bytes (a decoded frame or message).
    pub(crate) fn consume(&mut self, used: usize) {
        let used = used.min(self.bytes.len());
        self.bytes.drain(..used);
    }

    /// Drops every byte not consumed yet; the read count stays.
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
    }
}

impl Deref for ReceiveBuffer {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}
