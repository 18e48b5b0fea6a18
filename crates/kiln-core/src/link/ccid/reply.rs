//! What a reader's answer says: `bStatus` (card state and command state) and `bError`
//! (CCID 1.1 §6.2.6; docs/readers.md §4.4), and which [`LinkError`] each failure is.

use super::message::{
    Message, RDR_TO_PC_DATA_BLOCK, RDR_TO_PC_DATA_RATE_AND_CLOCK, RDR_TO_PC_ESCAPE,
    RDR_TO_PC_PARAMETERS, RDR_TO_PC_SLOT_STATUS,
};
use crate::link::{LinkError, LinkFault};
use core::fmt;

/// `bmICCStatus`, bits 0–1 of `bStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IccStatus {
    /// A card is present and active (powered).
    Active,
    /// A card is present but not powered.
    Inactive,
    /// No card.
    Absent,
}

/// `bmCommandStatus`, bits 6–7 of `bStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandStatus {
    /// The command succeeded.
    Ok,
    /// The command failed; `bError` says why.
    Failed,
    /// The reader needs more time (`bError` is a BWT multiplier); the real answer follows.
    TimeExtension,
}

/// The message types a reader answers with on bulk IN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// `RDR_to_PC_DataBlock` (0x80).
    DataBlock,
    /// `RDR_to_PC_SlotStatus` (0x81).
    SlotStatus,
    /// `RDR_to_PC_Parameters` (0x82).
    Parameters,
    /// `RDR_to_PC_Escape` (0x83).
    Escape,
    /// `RDR_to_PC_DataRateAndClockFrequency` (0x84).
    DataRateAndClock,
}

/// A decoded bulk IN message.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    /// The message type.
    pub kind: ReplyKind,
    /// bSlot.
    pub slot: u8,
    /// bSeq, which must match the command's.
    pub seq: u8,
    /// The card's state.
    pub icc: IccStatus,
    /// The command's state.
    pub command: CommandStatus,
    /// bError (meaningful when failed; a BWT multiplier on time extension).
    pub error: u8,
    /// The third byte: bChainParameter of a data block, bClockStatus of a slot status.
    pub specific: u8,
    /// The data: the ATR, an R-APDU, an escape answer.
    pub data: Vec<u8>,
}

/// Data may be an R-APDU, so `Debug` shows only its size.
impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Reply {{ {:?}, slot {}, seq {}, {:?}, {:?}, error {:02X}, specific {:02X}, {} bytes }}",
            self.kind,
            self.slot,
            self.seq,
            self.icc,
            self.command,
            self.error,
            self.specific,
            self.data.len()
        )
    }
}

/// A bulk IN message that is not a valid reader answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyError {
    /// A message type readers do not send on bulk IN.
    UnknownType(u8),
    /// `bmICCStatus` 3 (reserved).
    ReservedIccStatus,
    /// `bmCommandStatus` 3 (reserved).
    ReservedCommandStatus,
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyError::UnknownType(t) => write!(f, "CCID answer of unknown type {t:02X}"),
            ReplyError::ReservedIccStatus => f.write_str("CCID card status 3 (reserved)"),
            ReplyError::ReservedCommandStatus => f.write_str("CCID command status 3 (reserved)"),
        }
    }
}

impl std::error::Error for ReplyError {}

impl Reply {
    /// Reads a bulk IN message.
    pub fn parse(message: Message) -> Result<Reply, ReplyError> {
        let kind = match message.message_type {
            RDR_TO_PC_DATA_BLOCK => ReplyKind::DataBlock,
            RDR_TO_PC_SLOT_STATUS => ReplyKind::SlotStatus,
            RDR_TO_PC_PARAMETERS => ReplyKind::Parameters,
            RDR_TO_PC_ESCAPE => ReplyKind::Escape,
            RDR_TO_PC_DATA_RATE_AND_CLOCK => ReplyKind::DataRateAndClock,
            other => return Err(ReplyError::UnknownType(other)),
        };
        let [status, error, specific] = message.params;
        let icc = match status & 0x03 {
            0 => IccStatus::Active,
            1 => IccStatus::Inactive,
            2 => IccStatus::Absent,
            _ => return Err(ReplyError::ReservedIccStatus),
        };
        let command = match status >> 6 {
            0 => CommandStatus::Ok,
            1 => CommandStatus::Failed,
            2 => CommandStatus::TimeExtension,
            _ => return Err(ReplyError::ReservedCommandStatus),
        };
        Ok(Reply {
            kind,
            slot: message.slot,
            seq: message.seq,
            icc,
            command,
            error,
            specific,
            data: message.data,
        })
    }
}

/// A `bError` value of a failed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotError {
    /// 0xFF CMD_ABORTED.
    CommandAborted,
    /// 0xFE ICC_MUTE: the card did not answer (or there is none).
    IccMute,
    /// 0xFD XFR_PARITY_ERROR.
    ParityError,
    /// 0xFC XFR_OVERRUN.
    Overrun,
    /// 0xFB HW_ERROR.
    HardwareError,
    /// 0xF8 BAD_ATR_TS.
    BadAtrTs,
    /// 0xF7 BAD_ATR_TCK.
    BadAtrTck,
    /// 0xF6 ICC_PROTOCOL_NOT_SUPPORTED.
    ProtocolNotSupported,
    /// 0xF5 ICC_CLASS_NOT_SUPPORTED.
    ClassNotSupported,
    /// 0xF4 PROCEDURE_BYTE_CONFLICT.
    ProcedureByteConflict,
    /// 0xF3 DEACTIVATED_PROTOCOL.
    DeactivatedProtocol,
    /// 0xF2 BUSY_WITH_AUTO_SEQUENCE.
    BusyWithAutoSequence,
    /// 0xF0 PIN_TIMEOUT.
    PinTimeout,
    /// 0xEF PIN_CANCELLED.
    PinCancelled,
    /// 0xE0 CMD_SLOT_BUSY: the reader is still busy with an earlier command.
    SlotBusy,
    /// 0x00: the command is not supported.
    CommandNotSupported,
    /// 0x01–0x7F: the message field at this offset is wrong (5 = bSlot: no such slot).
    BadParameter(u8),
    /// Any other value (reserved or vendor-specific).
    Other(u8),
}

impl SlotError {
    /// The error named by a `bError` byte.
    pub fn from_byte(byte: u8) -> SlotError {
        use SlotError::*;
        match byte {
            0xFF => CommandAborted,
            0xFE => IccMute,
            0xFD => ParityError,
            0xFC => Overrun,
            0xFB => HardwareError,
            0xF8 => BadAtrTs,
            0xF7 => BadAtrTck,
            0xF6 => ProtocolNotSupported,
            0xF5 => ClassNotSupported,
            0xF4 => ProcedureByteConflict,
            0xF3 => DeactivatedProtocol,
            0xF2 => BusyWithAutoSequence,
            0xF0 => PinTimeout,
            0xEF => PinCancelled,
            0xE0 => SlotBusy,
            0x00 => CommandNotSupported,
            0x01..=0x7F => BadParameter(byte),
            other => Other(other),
        }
    }

    /// Short description for error details.
    pub fn describe(self) -> String {
        use SlotError::*;
        match self {
            CommandAborted => "command aborted".to_owned(),
            IccMute => "card mute".to_owned(),
            ParityError => "parity error".to_owned(),
            Overrun => "overrun".to_owned(),
            HardwareError => "hardware error".to_owned(),
            BadAtrTs => "bad ATR TS".to_owned(),
            BadAtrTck => "bad ATR checksum".to_owned(),
            ProtocolNotSupported => "card protocol not supported".to_owned(),
            ClassNotSupported => "card class not supported".to_owned(),
            ProcedureByteConflict => "procedure byte conflict".to_owned(),
            DeactivatedProtocol => "protocol deactivated".to_owned(),
            BusyWithAutoSequence => "busy with automatic sequence".to_owned(),
            PinTimeout => "PIN timeout".to_owned(),
            PinCancelled => "PIN cancelled".to_owned(),
            SlotBusy => "busy with an earlier command".to_owned(),
            CommandNotSupported => "command not supported".to_owned(),
            BadParameter(5) => "no such slot".to_owned(),
            BadParameter(offset) => format!("bad message field at offset {offset}"),
            Other(byte) => format!("error {byte:02X}"),
        }
    }

    /// True when the reader refused the command before touching the card.
    fn refused(self) -> bool {
        use SlotError::*;
        matches!(
            self,
            CommandNotSupported
                | BadParameter(_)
                | SlotBusy
                | BusyWithAutoSequence
                | ProtocolNotSupported
                | ClassNotSupported
        )
    }
}

/// The [`LinkError`] for a failed `XfrBlock`.
///
/// Only a refusal by the reader itself proves the APDU never reached the token. A mute or
/// missing card may have received (and executed) it before going silent or leaving the field.
pub fn xfr_block_error(reply: &Reply) -> LinkError {
    let error = SlotError::from_byte(reply.error);
    let detail = format!("{}, CCID error {:02X}", error.describe(), reply.error);
    if error.refused() {
        let fault = match reply.icc {
            IccStatus::Absent => LinkFault::NoToken,
            IccStatus::Inactive => LinkFault::TokenRemoved,
            IccStatus::Active => LinkFault::Reader(detail),
        };
        return LinkError::NotSent(fault);
    }
    let fault = match (reply.icc, error) {
        (IccStatus::Absent | IccStatus::Inactive, _) => LinkFault::TokenRemoved,
        (IccStatus::Active, SlotError::IccMute) => LinkFault::TokenMute,
        (IccStatus::Active, SlotError::ParityError | SlotError::Overrun) => {
            LinkFault::Radio(detail)
        }
        (IccStatus::Active, _) => LinkFault::Reader(detail),
    };
    LinkError::NoReply(fault)
}

/// The [`LinkError`] for a failed `IccPowerOn`, `GetSlotStatus` or `IccPowerOff`: none of them
/// carries an APDU, so nothing was sent to the token.
pub fn slot_error(reply: &Reply) -> LinkError {
    let error = SlotError::from_byte(reply.error);
    let fault = match (reply.icc, error) {
        (IccStatus::Absent, _) => LinkFault::NoToken,
        (_, SlotError::IccMute) => LinkFault::TokenMute,
        (_, SlotError::BadAtrTs | SlotError::BadAtrTck | SlotError::ProtocolNotSupported) => {
            LinkFault::NotAToken {
                seen: format!("a card the reader cannot activate: {}", error.describe()),
            }
        }
        (_, error) => LinkFault::Reader(format!(
            "{}, CCID error {:02X}",
            error.describe(),
            reply.error
        )),
    };
    LinkError::NotSent(fault)
}
