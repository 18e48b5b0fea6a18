//! The PN53x commands a burn needs, and parsers for their responses (PN533 user manual codes,
//! docs/readers.md §3.4). A command's PD bytes start with its code; the response's start
//! with code + 1.

use core::fmt;

/// `GetFirmwareVersion`.
pub const GET_FIRMWARE_VERSION: u8 = 0x02;
/// `SetParameters`.
pub const SET_PARAMETERS: u8 = 0x12;
/// `SAMConfiguration` (PN532 only; the PN533 has no such command).
pub const SAM_CONFIGURATION: u8 = 0x14;
/// `RFConfiguration`.
pub const RF_CONFIGURATION: u8 = 0x32;
/// `InDataExchange`.
pub const IN_DATA_EXCHANGE: u8 = 0x40;
/// `InListPassiveTarget`.
pub const IN_LIST_PASSIVE_TARGET: u8 = 0x4A;
/// `InRelease`.
pub const IN_RELEASE: u8 = 0x52;

/// `SetParameters` flag: the reader builds ATR_RES itself.
pub const PARAM_AUTO_ATR_RES: u8 = 0x04;
/// `SetParameters` flag: the reader sends RATS itself when a target is ISO 14443-4, so
/// `InListPassiveTarget` returns the ATS and `InDataExchange` speaks ISO-DEP.
pub const PARAM_AUTO_RATS: u8 = 0x10;

/// `InListPassiveTarget` modulation: 106 kbps ISO 14443 type A.
pub const BRTY_106_TYPE_A: u8 = 0x00;

/// The SAK bit saying a type A target speaks ISO 14443-4.
pub const SAK_ISO14443_4: u8 = 0x20;

/// `RFConfiguration` items Kiln uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RfConfig {
    /// Item 0x01: switch the RF field on or off.
    Field {
        /// True to switch the field on.
        on: bool,
    },
    /// Item 0x05: retry counts (`0xFF` = forever). A finite `passive_activation` makes
    /// `InListPassiveTarget` return when no token is in the field.
    Retries {
        /// MxRtyATR.
        atr: u8,
        /// MxRtyPSL.
        psl: u8,
        /// MxRtyPassiveActivation.
        passive_activation: u8,
    },
}

/// One PN533 command.
#[derive(Clone, PartialEq, Eq)]
pub enum Command<'a> {
    /// Asks the chip for its IC type and firmware version.
    GetFirmwareVersion,
    /// Sets the chip's behaviour flags (`PARAM_*`).
    SetParameters {
        /// Flag byte.
        flags: u8,
    },
    /// PN532 only, never sent to a PN533: selects how the chip uses its SAM interface; mode
    /// `01` (normal) also takes it out of the low-VBAT state it powers up in.
    SamConfiguration {
        /// Mode: `01` normal (no SAM).
        mode: u8,
        /// Timeout in 50 ms units (virtual card mode only).
        timeout: u8,
        /// `01`: the chip drives its IRQ pin.
        irq: u8,
    },
    /// Configures the RF front end.
    RfConfiguration(RfConfig),
    /// Looks for targets in the field.
    InListPassiveTarget {
        /// MaxTg: how many targets to activate (1 or 2).
        max_targets: u8,
        /// BrTy: modulation and baud rate.
        modulation: u8,
    },
    /// Sends data to an activated target and returns its answer (ISO-DEP framing done by the
    /// chip).
    InDataExchange {
        /// Tg: the target number.
        target: u8,
        /// Sets MI in the Tg byte: this fragment is followed by another.
        more: bool,
        /// The data (an APDU or a fragment of one). Empty asks for the next part of a chained
        /// reply.
        data: &'a [u8],
    },
    /// Releases a target (0 = all).
    InRelease {
        /// Tg.
        target: u8,
    },
}

/// Exchange data may be an APDU carrying an encrypted seed, so `Debug` shows only its size.
impl fmt::Debug for Command<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::GetFirmwareVersion => f.write_str("GetFirmwareVersion"),
            Command::SetParameters { flags } => write!(f, "SetParameters({flags:02X})"),
            Command::SamConfiguration { mode, timeout, irq } => {
                write!(f, "SamConfiguration({mode:02X}, {timeout:02X}, {irq:02X})")
            }
            Command::RfConfiguration(config) => write!(f, "RfConfiguration({config:?})"),
            Command::InListPassiveTarget {
                max_targets,
                modulation,
            } => write!(f, "InListPassiveTarget({max_targets}, {modulation:02X})"),
            Command::InDataExchange { target, more, data } => write!(
                f,
                "InDataExchange(Tg {target}, more {more}, {} bytes)",
                data.len()
            ),
            Command::InRelease { target } => write!(f, "InRelease({target})"),
        }
    }
}

impl Command<'_> {
    /// The command code (PD0).
    pub fn code(&self) -> u8 {
        match self {
            Command::GetFirmwareVersion => GET_FIRMWARE_VERSION,
            Command::SetParameters { .. } => SET_PARAMETERS,
            Command::SamConfiguration { .. } => SAM_CONFIGURATION,
            Command::RfConfiguration(_) => RF_CONFIGURATION,
            Command::InListPassiveTarget { .. } => IN_LIST_PASSIVE_TARGET,
            Command::InDataExchange { .. } => IN_DATA_EXCHANGE,
            Command::InRelease { .. } => IN_RELEASE,
        }
    }

    /// The code the response starts with.
    pub fn response_code(&self) -> u8 {
        self.code().wrapping_add(1)
    }

    /// PD0..PDn: the code followed by the parameters.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.code()];
        match self {
            Command::GetFirmwareVersion => {}
            Command::SetParameters { flags } => out.push(*flags),
            Command::SamConfiguration { mode, timeout, irq } => {
                out.extend_from_slice(&[*mode, *timeout, *irq]);
            }
            Command::RfConfiguration(RfConfig::Field { on }) => {
                out.extend_from_slice(&[0x01, u8::from(*on)]);
            }
            Command::RfConfiguration(RfConfig::Retries {
                atr,
                psl,
                passive_activation,
            }) => out.extend_from_slice(&[0x05, *atr, *psl, *passive_activation]),
            Command::InListPassiveTarget {
                max_targets,
                modulation,
            } => out.extend_from_slice(&[*max_targets, *modulation]),
            Command::InDataExchange { target, more, data } => {
                let more_bit = if *more {
                    super::status::MORE_INFORMATION
                } else {
                    0
                };
                out.push(target | more_bit);
                out.extend_from_slice(data);
            }
            Command::InRelease { target } => out.push(*target),
        }
        out
    }
}

/// A response that does not have the shape its command promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError(pub String);

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResponseError {}

/// The answer to `GetFirmwareVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirmwareVersion {
    /// IC type: `0x33` for a PN533 (`0x32` PN532, `0x31` PN531).
    pub ic: u8,
    /// Firmware version.
    pub version: u8,
    /// Firmware revision.
    pub revision: u8,
    /// Supported protocols (bit field).
    pub support: u8,
}

impl FirmwareVersion {
    /// Parses the bytes after the response code (`IC Ver Rev Support`).
    pub fn parse(data: &[u8]) -> Result<FirmwareVersion, ResponseError> {
        match data {
            [ic, version, revision, support, ..] => Ok(FirmwareVersion {
                ic: *ic,
                version: *version,
                revision: *revision,
                support: *support,
            }),
            _ => Err(ResponseError(format!(
                "firmware version of {} bytes instead of 4",
                data.len()
            ))),
        }
    }

    /// "PN533 v2.7" and the like.
    pub fn describe(&self) -> String {
        let chip = match self.ic {
            0x31 => "PN531".to_owned(),
            0x32 => "PN532".to_owned(),
            0x33 => "PN533".to_owned(),
            other => format!("PN53x (IC {other:02X})"),
        };
        format!("{chip} v{}.{}", self.version, self.revision)
    }
}

/// A type A target found by `InListPassiveTarget`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Tg, the number to address it with.
    pub number: u8,
    /// SENS_RES (ATQA), as the reader reports it.
    pub atqa: [u8; 2],
    /// SEL_RES (SAK).
    pub sak: u8,
    /// NFCID1 (the UID).
    pub uid: Vec<u8>,
    /// The ATS including its length byte, for ISO 14443-4 targets when automatic RATS is on.
    pub ats: Option<Vec<u8>>,
}

impl Target {
    /// True when SAK says the target speaks ISO 14443-4 (bit 0x20).
    pub fn is_iso14443_4(&self) -> bool {
        self.sak & SAK_ISO14443_4 != 0
    }

    /// The historical bytes of the ATS (after TL, T0 and the interface bytes T0 announces).
    pub fn historical_bytes(&self) -> Option<&[u8]> {
        let ats = self.ats.as_deref()?;
        let (&tl, rest) = ats.split_first()?;
        let (&t0, rest) = rest.split_first()?;
        let interface_bytes = (t0 >> 4 & 0x07).count_ones() as usize;
        let end = usize::from(tl).checked_sub(2)?;
        rest.get(interface_bytes..end)
    }

    /// What kind of tag this is, for messages about tags that are not tokens.
    pub fn describe(&self) -> String {
        let kind = match self.sak {
            0x08 => "a MIFARE Classic 1K card",
            0x18 => "a MIFARE Classic 4K card",
            0x09 => "a MIFARE Mini card",
            0x00 => "a MIFARE Ultralight or NTAG tag",
            0x10 | 0x11 => "a MIFARE Plus card",
            _ => "a type A card without ISO 14443-4",
        };
        format!("{kind}, SAK {:02X}", self.sak)
    }
}

/// Parses the answer to `InListPassiveTarget` with BrTy 106 kbps type A: `NbTg`, then per target
/// `Tg SENS_RES(2) SEL_RES NFCIDLength NFCID1 [ATS]`. Returns the first target, or `None` when
/// the reader found none.
pub fn parse_passive_target(data: &[u8]) -> Result<Option<Target>, ResponseError> {
    let short = || ResponseError(format!("target list of {} bytes cut short", data.len()));
    let (&count, rest) = data.split_first().ok_or_else(short)?;
    if count == 0 {
        return Ok(None);
    }
    let [number, atqa0, atqa1, sak, uid_len, rest @ ..] = rest else {
        return Err(short());
    };
    let uid = rest
        .get(..usize::from(*uid_len))
        .ok_or_else(short)?
        .to_vec();
    let rest = rest.get(usize::from(*uid_len)..).unwrap_or_default();
    let ats = match rest.first() {
        Some(&tl) if sak & SAK_ISO14443_4 != 0 => {
            if tl == 0 {
                return Err(ResponseError("ATS with length 0".to_owned()));
            }
            Some(rest.get(..usize::from(tl)).ok_or_else(short)?.to_vec())
        }
        _ => None,
    };
    Ok(Some(Target {
        number: *number,
        atqa: [*atqa0, *atqa1],
        sak: *sak,
        uid,
        ats,
    }))
}
