//! The status byte that starts the reply of `InDataExchange` and the other `In*` commands.
//!
//! Bits 0–5 are an error code (0 = success), bit 6 (`0x40`) is MI, "more information": the reply
//! continues in the next frame; bit 7 says a NAD byte is present (Kiln never uses NAD). The
//! error codes are the PN533 user manual's error table (docs/readers.md §3.5).

use crate::link::{LinkError, LinkFault};

/// Bit 6 of the status byte (and of the `Tg` byte of a command): more data follows.
pub const MORE_INFORMATION: u8 = 0x40;
const ERROR_MASK: u8 = 0x3F;

/// An error the PN53x reported in a status byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusError {
    /// 0x01: the target did not answer in time.
    Timeout,
    /// 0x02: CRC error in the target's answer.
    Crc,
    /// 0x03: parity error in the target's answer.
    Parity,
    /// 0x04: wrong bit count during anti-collision.
    BitCount,
    /// 0x05: framing error.
    Framing,
    /// 0x06: abnormal bit collision.
    Collision,
    /// 0x07: the reader's buffer is too small for the exchange.
    BufferTooSmall,
    /// 0x09: RF buffer overflow.
    RfBufferOverflow,
    /// 0x0A: the RF field was not switched on in time.
    RfFieldTimeout,
    /// 0x0B: RF protocol error.
    RfProtocol,
    /// 0x0D: the reader overheated.
    Temperature,
    /// 0x0E: internal buffer overflow.
    InternalBufferOverflow,
    /// 0x10: invalid parameter.
    InvalidParameter,
    /// 0x12: DEP protocol: unsupported command.
    DepUnsupportedCommand,
    /// 0x13: the target's data format does not match the specification.
    DataFormat,
    /// 0x14: MIFARE authentication error.
    Authentication,
    /// 0x23: UID check byte wrong.
    UidCheckByte,
    /// 0x25: invalid device state for DEP.
    InvalidDepState,
    /// 0x26: operation not allowed in this configuration.
    NotAllowed,
    /// 0x27: command not acceptable in the current context (e.g. no target selected).
    NotAcceptable,
    /// 0x29: the target was released.
    Released,
    /// 0x2A: card ID mismatch.
    CardIdMismatch,
    /// 0x2B: the previously activated card has disappeared.
    CardDisappeared,
    /// 0x2C: NFCID3 mismatch.
    Nfcid3Mismatch,
    /// 0x2D: over-current.
    OverCurrent,
    /// 0x2E: NAD missing.
    NadMissing,
    /// Any other code.
    Other(u8),
}

/// A decoded status byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u8);

impl Status {
    /// The error, if the code bits are not zero.
    pub fn error(self) -> Option<StatusError> {
        StatusError::from_code(self.0 & ERROR_MASK)
    }

    /// True when MI is set: the reply continues in the next frame.
    pub fn more(self) -> bool {
        self.0 & MORE_INFORMATION != 0
    }
}

impl StatusError {
    /// The error for bits 0–5 of a status byte; `None` for 0 (success).
    pub fn from_code(code: u8) -> Option<StatusError> {
        use StatusError::*;
        Some(match code & ERROR_MASK {
            0x00 => return None,
            0x01 => Timeout,
            0x02 => Crc,
            0x03 => Parity,
            0x04 => BitCount,
            0x05 => Framing,
            0x06 => Collision,
            0x07 => BufferTooSmall,
            0x09 => RfBufferOverflow,
            0x0A => RfFieldTimeout,
            0x0B => RfProtocol,
            0x0D => Temperature,
            0x0E => InternalBufferOverflow,
            0x10 => InvalidParameter,
            0x12 => DepUnsupportedCommand,
            0x13 => DataFormat,
            0x14 => Authentication,
            0x23 => UidCheckByte,
            0x25 => InvalidDepState,
            0x26 => NotAllowed,
            0x27 => NotAcceptable,
            0x29 => Released,
            0x2A => CardIdMismatch,
            0x2B => CardDisappeared,
            0x2C => Nfcid3Mismatch,
            0x2D => OverCurrent,
            0x2E => NadMissing,
            other => Other(other),
        })
    }

    /// The error code (bits 0–5).
    pub fn code(self) -> u8 {
        use StatusError::*;
        match self {
            Timeout => 0x01,
            Crc => 0x02,
            Parity => 0x03,
            BitCount => 0x04,
            Framing => 0x05,
            Collision => 0x06,
            BufferTooSmall => 0x07,
            RfBufferOverflow => 0x09,
            RfFieldTimeout => 0x0A,
            RfProtocol => 0x0B,
            Temperature => 0x0D,
            InternalBufferOverflow => 0x0E,
            InvalidParameter => 0x10,
            DepUnsupportedCommand => 0x12,
            DataFormat => 0x13,
            Authentication => 0x14,
            UidCheckByte => 0x23,
            InvalidDepState => 0x25,
            NotAllowed => 0x26,
            NotAcceptable => 0x27,
            Released => 0x29,
            CardIdMismatch => 0x2A,
            CardDisappeared => 0x2B,
            Nfcid3Mismatch => 0x2C,
            OverCurrent => 0x2D,
            NadMissing => 0x2E,
            Other(code) => code & ERROR_MASK,
        }
    }

    /// What the reader's error means to a user, and whether the command may have reached the
    /// token.
    ///
    /// Only errors the reader raises *before* it transmits (bad parameter, wrong state, no
    /// selected target) are [`LinkError::NotSent`]; anything that happens on the radio link, or
    /// that we cannot place, may follow a command the token already received and executed.
    pub fn link_error(self) -> LinkError {
        use StatusError::*;
        let detail = |what: &str| format!("{what}, PN53x status {:02X}", self.code());
        match self {
            Timeout => LinkError::NoReply(LinkFault::TokenMute),
            CardDisappeared => LinkError::NoReply(LinkFault::TokenRemoved),
            Released | NotAcceptable => LinkError::NotSent(LinkFault::NoToken),
            Crc | Parity | BitCount | Framing | Collision | RfProtocol | DataFormat
            | UidCheckByte | CardIdMismatch | Nfcid3Mismatch => {
                LinkError::NoReply(LinkFault::Radio(detail("garbled answer from the token")))
            }
            RfFieldTimeout => {
                LinkError::NotSent(LinkFault::Reader(detail("radio field did not switch on")))
            }
            InvalidParameter
            | DepUnsupportedCommand
            | InvalidDepState
            | NotAllowed
            | NadMissing => LinkError::NotSent(LinkFault::Reader(detail("command refused"))),
            BufferTooSmall | RfBufferOverflow | InternalBufferOverflow => {
                LinkError::NoReply(LinkFault::Reader(detail("buffer overflow")))
            }
            Temperature => LinkError::NoReply(LinkFault::Reader(detail("reader overheated"))),
            OverCurrent => LinkError::NoReply(LinkFault::Reader(detail("over-current"))),
            Authentication => LinkError::NoReply(LinkFault::Reader(detail("authentication"))),
            Other(_) => LinkError::NoReply(LinkFault::Reader(detail("unknown error"))),
        }
    }
}
