//! Scripted PN53x reader bytes shared by the exchange and session tests.

use super::pn53x_response;
use kiln_core::link::PipeError;
use kiln_core::link::pn53x::frame::ACK_FRAME;

/// GetFirmwareVersion as a normal information frame.
pub const GET_FIRMWARE: &str = "00 00 FF 02 FE D4 02 2A 00";
/// Its response: PN533 (IC 33), firmware 2.7, support flags 07.
pub const FIRMWARE_RESPONSE: &str = "00 00 FF 06 FA D5 03 33 02 07 07 E5 00";

/// The reader's ACK frame, as one read.
pub fn ack() -> Result<Vec<u8>, PipeError> {
    Ok(ACK_FRAME.to_vec())
}

/// A response frame carrying `pd` (response code first), as one read.
pub fn response(pd: &[u8]) -> Result<Vec<u8>, PipeError> {
    Ok(pn53x_response(pd))
}
