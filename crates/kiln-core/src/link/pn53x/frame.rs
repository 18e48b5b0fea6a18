//! PN53x frames as they travel over USB (PN533 user manual, "host controller communication
//! protocol"; docs/readers.md §3.1–3.2).
//!
//! ```text
//! normal:    00 | 00 FF | LEN | LCS | TFI | PD0..PDn | DCS | 00
//! extended:  00 | 00 FF | FF FF | LENm LENl | LCS | TFI | PD0..PDn | DCS | 00
//! ACK:       00 00 FF 00 FF 00        NACK: 00 00 FF FF 00 00
//! error:     00 00 FF 01 FF 7F 81 00  (the reader rejected a frame at the application level)
//! ```
//!
//! `LEN` counts TFI and PD bytes, `LCS` makes `LEN + LCS ≡ 0 (mod 256)`, `DCS` makes
//! `TFI + ΣPD + DCS ≡ 0 (mod 256)`. TFI is `D4` from host to reader and `D5` back.
//!
//! Decoding is pure and total: any byte string gives a [`Frame`] or a [`FrameError`], never a
//! panic.

use core::fmt;

/// The ACK frame: the reader accepted a command (host → reader: abort the current command).
pub const ACK_FRAME: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
/// The NACK frame: the host asks the reader to send its last response frame again (reader →
/// host: the command frame arrived damaged).
pub const NACK_FRAME: [u8; 6] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];
/// The application-level error frame (syntax error in the command).
pub const ERROR_FRAME: [u8; 8] = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00];

/// Frame identifier of a command (host → reader).
pub const TFI_COMMAND: u8 = 0xD4;
/// Frame identifier of a response (reader → host).
pub const TFI_RESPONSE: u8 = 0xD5;
/// Frame identifier of the error frame.
pub const TFI_ERROR: u8 = 0x7F;

/// Most PD bytes a normal frame carries (LEN ≤ 255 includes the TFI).
pub const MAX_NORMAL_DATA: usize = 254;
/// Most PD bytes a PN533 frame carries (extended frames; the chip's buffer holds 264 + TFI).
pub const MAX_DATA: usize = 264;
/// Longest encoded frame: extended header (8 bytes incl. preamble), TFI, data, DCS, postamble.
pub const MAX_FRAME_LEN: usize = 8 + 1 + MAX_DATA + 2;

/// One PN53x frame.
#[derive(Clone, PartialEq, Eq)]
pub enum Frame {
    /// `00 00 FF 00 FF 00`.
    Ack,
    /// `00 00 FF FF 00 00`.
    Nack,
    /// The application-level error frame (TFI `7F`).
    Error,
    /// An information frame from host to reader (TFI `D4`); the bytes are PD0 (the command
    /// code) to PDn.
    Command(Vec<u8>),
    /// An information frame from reader to host (TFI `D5`); the bytes are PD0 (command code + 1)
    /// to PDn.
    Response(Vec<u8>),
}

/// Payload bytes may carry token APDUs (encrypted seeds), so `Debug` shows only their size.
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frame::Ack => f.write_str("Ack"),
            Frame::Nack => f.write_str("Nack"),
            Frame::Error => f.write_str("Error"),
            Frame::Command(data) => write!(f, "Command({} bytes)", data.len()),
            Frame::Response(data) => write!(f, "Response({} bytes)", data.len()),
        }
    }
}

/// Why bytes are not a PN53x frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// The bytes end before the frame does; more may arrive.
    Incomplete,
    /// The bytes do not start with a preamble and the start code `00 FF`.
    BadStart,
    /// `LEN + LCS` (or `LENm + LENl + LCS`) is not a multiple of 256.
    LengthChecksum,
    /// `TFI + ΣPD + DCS` is not a multiple of 256.
    DataChecksum,
    /// The byte after DCS (or after an ACK/NACK) is not the `00` postamble.
    BadPostamble,
    /// An information frame with a length of zero.
    Empty,
    /// More PD bytes than a PN533 frame can carry.
    TooLong {
        /// PD bytes declared or requested.
        len: usize,
    },
    /// A frame identifier other than `D4`, `D5` or `7F`.
    UnknownTfi(u8),
    /// Bytes follow a complete frame.
    TrailingBytes,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Incomplete => f.write_str("PN53x frame cut short"),
            FrameError::BadStart => f.write_str("PN53x frame without start code"),
            FrameError::LengthChecksum => f.write_str("PN53x frame length checksum wrong"),
            FrameError::DataChecksum => f.write_str("PN53x frame data checksum wrong"),
            FrameError::BadPostamble => f.write_str("PN53x frame without postamble"),
            FrameError::Empty => f.write_str("empty PN53x frame"),
            FrameError::TooLong { len } => {
                write!(f, "PN53x frame of {len} bytes is longer than {MAX_DATA}")
            }
            FrameError::UnknownTfi(tfi) => write!(f, "PN53x frame identifier {tfi:02X} unknown"),
            FrameError::TrailingBytes => f.write_str("bytes after a PN53x frame"),
        }
    }
}

impl std::error::Error for FrameError {}

/// The byte that makes `bytes` sum to zero modulo 256 (LCS and DCS).
pub fn checksum(bytes: &[u8]) -> u8 {
    0u8.wrapping_sub(bytes.iter().fold(0u8, |sum, b| sum.wrapping_add(*b)))
}

/// Encodes a frame. Information frames up to [`MAX_NORMAL_DATA`] PD bytes use the normal
/// format, longer ones the extended format.
pub fn encode(frame: &Frame) -> Result<Vec<u8>, FrameError> {
    match frame {
        Frame::Ack => Ok(ACK_FRAME.to_vec()),
        Frame::Nack => Ok(NACK_FRAME.to_vec()),
        Frame::Error => Ok(ERROR_FRAME.to_vec()),
        Frame::Command(data) => encode_information(TFI_COMMAND, data),
        Frame::Response(data) => encode_information(TFI_RESPONSE, data),
    }
}

/// Encodes a command frame (TFI `D4`) whose PD bytes are `data` (command code first).
pub fn encode_command(data: &[u8]) -> Result<Vec<u8>, FrameError> {
    encode_information(TFI_COMMAND, data)
}

fn encode_information(tfi: u8, data: &[u8]) -> Result<Vec<u8>, FrameError> {
    if data.len() > MAX_DATA {
        return Err(FrameError::TooLong { len: data.len() });
    }
    let len = data.len() + 1; // TFI + PD bytes; fits u16 because MAX_DATA is small
    let mut out = Vec::with_capacity(data.len() + 11);
    out.extend_from_slice(&[0x00, 0x00, 0xFF]);
    if data.len() <= MAX_NORMAL_DATA {
        let len = len as u8;
        out.extend_from_slice(&[len, checksum(&[len])]);
    } else {
        let [high, low] = (len as u16).to_be_bytes();
        out.extend_from_slice(&[0xFF, 0xFF, high, low, checksum(&[high, low])]);
    }
    out.push(tfi);
    out.extend_from_slice(data);
    let dcs = checksum(&[tfi]).wrapping_add(checksum(data));
    out.push(dcs);
    out.push(0x00);
    Ok(out)
}

/// Decodes exactly one frame; bytes after it are an error.
pub fn decode(bytes: &[u8]) -> Result<Frame, FrameError> {
    let (frame, used) = decode_prefix(bytes)?;
    if used == bytes.len() {
        Ok(frame)
    } else {
        Err(FrameError::TrailingBytes)
    }
}

/// Decodes the frame at the start of `bytes` and says how many bytes it used, so a receive
/// buffer may hold several frames (an ACK and a response) or part of one
/// ([`FrameError::Incomplete`]). Any number of `00` preamble bytes may precede the start code.
pub fn decode_prefix(bytes: &[u8]) -> Result<(Frame, usize), FrameError> {
    let start = find_start_code(bytes)?;
    let at = |i: usize| bytes.get(i).copied().ok_or(FrameError::Incomplete);
    let (first, second) = (at(start)?, at(start + 1)?);

    let control = match (first, second) {
        (0x00, 0xFF) => Some(Frame::Ack),
        (0xFF, 0x00) => Some(Frame::Nack),
        _ => None,
    };
    if let Some(frame) = control {
        return match at(start + 2)? {
            0x00 => Ok((frame, start + 3)),
            _ => Err(FrameError::BadPostamble),
        };
    }

    let (len, body_start) = if (first, second) == (0xFF, 0xFF) {
        let (high, low, lcs) = (at(start + 2)?, at(start + 3)?, at(start + 4)?);
        if checksum(&[high, low]) != lcs {
            return Err(FrameError::LengthChecksum);
        }
        (usize::from(u16::from_be_bytes([high, low])), start + 5)
    } else {
        if checksum(&[first]) != second {
            return Err(FrameError::LengthChecksum);
        }
        (usize::from(first), start + 2)
    };
    if len == 0 {
        return Err(FrameError::Empty);
    }
    if len > MAX_DATA + 1 {
        return Err(FrameError::TooLong { len: len - 1 });
    }

    let body = bytes
        .get(body_start..body_start + len)
        .ok_or(FrameError::Incomplete)?;
    let dcs = at(body_start + len)?;
    if checksum(body) != dcs {
        return Err(FrameError::DataChecksum);
    }
    if at(body_start + len + 1)? != 0x00 {
        return Err(FrameError::BadPostamble);
    }
    let used = body_start + len + 2;
    let (tfi, data) = match body.split_first() {
        Some((tfi, data)) => (*tfi, data.to_vec()),
        None => return Err(FrameError::Empty),
    };
    let frame = match tfi {
        TFI_COMMAND => Frame::Command(data),
        TFI_RESPONSE => Frame::Response(data),
        TFI_ERROR => Frame::Error,
        other => return Err(FrameError::UnknownTfi(other)),
    };
    Ok((frame, used))
}

/// Index just after the start code `00 FF`, which only `00` preamble bytes may precede.
fn find_start_code(bytes: &[u8]) -> Result<usize, FrameError> {
    let mut i = 0;
    loop {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(0x00), Some(0xFF)) => return Ok(i + 2),
            (Some(0x00), _) => i += 1,
            (None, _) => return Err(FrameError::Incomplete),
            (Some(_), _) => return Err(FrameError::BadStart),
        }
    }
}
