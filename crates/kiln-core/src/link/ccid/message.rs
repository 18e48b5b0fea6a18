//! CCID bulk messages (USB CCID class specification 1.1 §6; docs/readers.md §4.1–4.2).
//!
//! Every message is a 10-byte header and `dwLength` data bytes:
//!
//! ```text
//! bMessageType | dwLength (u32 LE) | bSlot | bSeq | 3 message-specific bytes | data
//! ```
//!
//! Decoding is pure and total: any byte string gives a message or a [`MessageError`].

use core::fmt;

/// Length of the header of every CCID message.
pub const HEADER_LEN: usize = 10;
/// Most data bytes accepted in one message: an extended APDU (65 535 + 9) fits, and it is
/// above every reader's `dwMaxCCIDMessageLength`.
pub const MAX_DATA_LEN: usize = 65_544;

/// `PC_to_RDR_IccPowerOn`: activate the card; answered by a data block with the ATR.
pub const PC_TO_RDR_ICC_POWER_ON: u8 = 0x62;
/// `PC_to_RDR_IccPowerOff`: deactivate the card; answered by a slot status.
pub const PC_TO_RDR_ICC_POWER_OFF: u8 = 0x63;
/// `PC_to_RDR_GetSlotStatus`: answered by a slot status.
pub const PC_TO_RDR_GET_SLOT_STATUS: u8 = 0x65;
/// `PC_to_RDR_Escape`: a vendor command; answered by `RDR_to_PC_Escape`.
pub const PC_TO_RDR_ESCAPE: u8 = 0x6B;
/// `PC_to_RDR_XfrBlock`: an APDU for the card; answered by a data block.
pub const PC_TO_RDR_XFR_BLOCK: u8 = 0x6F;
/// `RDR_to_PC_DataBlock`: the ATR or an R-APDU.
pub const RDR_TO_PC_DATA_BLOCK: u8 = 0x80;
/// `RDR_to_PC_SlotStatus`.
pub const RDR_TO_PC_SLOT_STATUS: u8 = 0x81;
/// `RDR_to_PC_Parameters`.
pub const RDR_TO_PC_PARAMETERS: u8 = 0x82;
/// `RDR_to_PC_Escape`.
pub const RDR_TO_PC_ESCAPE: u8 = 0x83;
/// `RDR_to_PC_DataRateAndClockFrequency`.
pub const RDR_TO_PC_DATA_RATE_AND_CLOCK: u8 = 0x84;

/// One CCID message, either direction.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    /// bMessageType.
    pub message_type: u8,
    /// bSlot.
    pub slot: u8,
    /// bSeq: the reader answers with the sequence number of the command.
    pub seq: u8,
    /// The three message-specific bytes (e.g. bStatus, bError, bChainParameter).
    pub params: [u8; 3],
    /// The data after the header (`dwLength` bytes).
    pub data: Vec<u8>,
}

/// Data may carry an APDU with an encrypted seed, so `Debug` shows only its size.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Message {{ type: {:02X}, slot: {}, seq: {}, params: {:02X?}, data: {} bytes }}",
            self.message_type,
            self.slot,
            self.seq,
            self.params,
            self.data.len()
        )
    }
}

/// Why bytes are not a CCID message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    /// The bytes end before the message does; more may arrive.
    Incomplete,
    /// `dwLength` is larger than any reader supports.
    TooLong {
        /// The declared or requested data length.
        len: u64,
    },
    /// Bytes follow a complete message.
    TrailingBytes,
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::Incomplete => f.write_str("CCID message cut short"),
            MessageError::TooLong { len } => {
                write!(f, "CCID message of {len} data bytes is too long")
            }
            MessageError::TrailingBytes => f.write_str("bytes after a CCID message"),
        }
    }
}

impl std::error::Error for MessageError {}

impl Message {
    /// A message with no data.
    pub fn new(message_type: u8, slot: u8, seq: u8, params: [u8; 3]) -> Message {
        Message {
            message_type,
            slot,
            seq,
            params,
            data: Vec::new(),
        }
    }

    /// `PC_to_RDR_IccPowerOn` with bPowerSelect 0 (automatic voltage).
    pub fn icc_power_on(slot: u8, seq: u8) -> Message {
        Message::new(PC_TO_RDR_ICC_POWER_ON, slot, seq, [0; 3])
    }

    /// `PC_to_RDR_IccPowerOff`.
    pub fn icc_power_off(slot: u8, seq: u8) -> Message {
        Message::new(PC_TO_RDR_ICC_POWER_OFF, slot, seq, [0; 3])
    }

    /// `PC_to_RDR_GetSlotStatus`.
    pub fn get_slot_status(slot: u8, seq: u8) -> Message {
        Message::new(PC_TO_RDR_GET_SLOT_STATUS, slot, seq, [0; 3])
    }

    /// `PC_to_RDR_XfrBlock` carrying a whole short or extended APDU (bBWI 0,
    /// wLevelParameter 0).
    pub fn xfr_block(slot: u8, seq: u8, apdu: &[u8]) -> Message {
        Message {
            data: apdu.to_vec(),
            ..Message::new(PC_TO_RDR_XFR_BLOCK, slot, seq, [0; 3])
        }
    }

    /// `PC_to_RDR_Escape` carrying a vendor command.
    pub fn escape(slot: u8, seq: u8, command: &[u8]) -> Message {
        Message {
            data: command.to_vec(),
            ..Message::new(PC_TO_RDR_ESCAPE, slot, seq, [0; 3])
        }
    }
}

/// Encodes a message: header then data.
pub fn encode(message: &Message) -> Result<Vec<u8>, MessageError> {
    if message.data.len() > MAX_DATA_LEN {
        return Err(MessageError::TooLong {
            len: message.data.len() as u64,
        });
    }
    let mut out = Vec::with_capacity(HEADER_LEN + message.data.len());
    out.push(message.message_type);
    out.extend_from_slice(&(message.data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[message.slot, message.seq]);
    out.extend_from_slice(&message.params);
    out.extend_from_slice(&message.data);
    Ok(out)
}

/// Decodes exactly one message; bytes after it are an error.
pub fn decode(bytes: &[u8]) -> Result<Message, MessageError> {
    let (message, used) = decode_prefix(bytes)?;
    if used == bytes.len() {
        Ok(message)
    } else {
        Err(MessageError::TrailingBytes)
    }
}

/// Decodes the message at the start of `bytes` and says how many bytes it used, so a receive
/// buffer may hold a message in several reads.
pub fn decode_prefix(bytes: &[u8]) -> Result<(Message, usize), MessageError> {
    let Some(&[message_type, l0, l1, l2, l3, slot, seq, p0, p1, p2]) =
        bytes.first_chunk::<HEADER_LEN>()
    else {
        return Err(MessageError::Incomplete);
    };
    let len = u32::from_le_bytes([l0, l1, l2, l3]);
    let data_len = usize::try_from(len)
        .ok()
        .filter(|len| *len <= MAX_DATA_LEN)
        .ok_or(MessageError::TooLong {
            len: u64::from(len),
        })?;
    let data = bytes
        .get(HEADER_LEN..HEADER_LEN + data_len)
        .ok_or(MessageError::Incomplete)?;
    let message = Message {
        message_type,
        slot,
        seq,
        params: [p0, p1, p2],
        data: data.to_vec(),
    };
    Ok((message, HEADER_LEN + data_len))
}
