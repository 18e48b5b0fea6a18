//! CCID bulk messages, the reader's side (CCID 1.1 §6; docs/readers.md §4.1): a 10-byte
//! header `type, dwLength (LE), slot, seq, 3 specific bytes`, then the data.

/// A command from the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// bMessageType.
    pub message_type: u8,
    /// bSlot.
    pub slot: u8,
    /// bSeq.
    pub seq: u8,
    /// The three message-specific bytes.
    pub params: [u8; 3],
    /// The data.
    pub data: Vec<u8>,
}

/// What the front of the host's byte stream holds.
pub enum Parsed {
    /// A whole command, and how many bytes it took.
    Command(Command, usize),
    /// Not enough bytes yet.
    Partial,
    /// A header announcing more data than any reader takes: the stream cannot be trusted.
    Oversized,
}

/// Largest `dwLength` the simulated reader will wait for.
const MAX_ANNOUNCED: usize = 65_544;

/// Splits the next command off the host's byte stream.
pub fn parse(stream: &[u8]) -> Parsed {
    let Some(header) = stream.first_chunk::<10>() else {
        return Parsed::Partial;
    };
    let len = u32::from_le_bytes([header[1], header[2], header[3], header[4]]) as usize;
    if len > MAX_ANNOUNCED {
        return Parsed::Oversized;
    }
    let Some(data) = stream.get(10..10 + len) else {
        return Parsed::Partial;
    };
    let command = Command {
        message_type: header[0],
        slot: header[5],
        seq: header[6],
        params: [header[7], header[8], header[9]],
        data: data.to_vec(),
    };
    Parsed::Command(command, 10 + len)
}

/// Builds an answer.
pub fn answer(message_type: u8, slot: u8, seq: u8, params: [u8; 3], data: &[u8]) -> Vec<u8> {
    let mut out = vec![message_type];
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&[slot, seq]);
    out.extend_from_slice(&params);
    out.extend_from_slice(data);
    out
}
