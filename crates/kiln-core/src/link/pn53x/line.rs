//! What carries the frames: USB bulk transfers (PN533) or a serial byte stream (PN532 in HSU
//! mode). The frames are the same; how long an exchange may keep reading differs
//! (docs/readers.md §2.4 and §6.4).

/// Reads per exchange over USB, so that a reader trickling bytes or zeros cannot keep a session
/// alive (a frame arrives in one or two transfers).
pub const USB_MAX_READS: u32 = 64;

/// Bytes an exchange accepts over a serial line before giving up: four of the longest frames
/// (an ACK, the response, and two resent responses after NACKs) plus noise. A serial read
/// returns whatever has arrived, so reads are not counted; bytes are.
pub const SERIAL_MAX_BYTES: usize = 4 * super::frame::MAX_FRAME_LEN;

/// How long to wait for the rest of a frame that has begun to arrive. At 115 200 baud the
/// longest frame (275 bytes) takes 24 ms; USB-serial adapters add up to 16 ms of latency.
pub const SERIAL_GAP_MS: u32 = 100;

/// An exchange's wall time over a serial line is bounded without a clock: every read that does
/// not time out brings at least one byte, so there are at most [`SERIAL_MAX_BYTES`] of them, and
/// a read while a frame is incomplete waits at most [`SERIAL_GAP_MS`]. A silent line ends the
/// exchange after one ACK or response timeout; a device dribbling one byte every 99 ms, the
/// worst case, after about `SERIAL_MAX_BYTES × SERIAL_GAP_MS` (110 s). Any split of genuine
/// frames, down to one byte per read, gets through.
pub const SERIAL_WORST_CASE_MS: u32 = SERIAL_MAX_BYTES as u32 * SERIAL_GAP_MS;

/// The transport under the PN53x frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Line {
    /// USB bulk endpoints: every read is one transfer, usually one whole frame.
    #[default]
    Usb,
    /// A serial line (HSU, 115 200 8N1): a read returns whatever bytes have arrived, so a frame
    /// may come in many pieces, and stray bytes may precede it.
    Serial,
}
