//! The config TLV of WRITE CONFIG (§2.5.4) and the settings it carries.

use serde::Serialize;

use crate::totp::Hash;

/// Settings the token stores (factory default: SHA-1, 30 s, display 30 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StoredSettings {
    /// HMAC of the codes.
    pub hash: Hash,
    /// Time step in seconds (30 or 60).
    pub step_seconds: u64,
    /// Display timeout wire code 0..=3 (15/30/60/120 s).
    pub display_code: u8,
}

impl Default for StoredSettings {
    fn default() -> Self {
        StoredSettings {
            hash: Hash::Sha1,
            step_seconds: 30,
            display_code: 1,
        }
    }
}

/// What a well-formed config TLV sets: the clock and the settings.
pub(super) struct ParsedConfig {
    pub(super) time: u32,
    pub(super) settings: StoredSettings,
}

/// `81 11 | 1F 01 dd | 0F 04 tttttttt | 86 06 | 0A 01 aa | 0D 01 ss` and nothing else.
pub(super) fn parse_config_tlv(tlv: &[u8]) -> Option<ParsedConfig> {
    let t: &[u8; 19] = tlv.try_into().ok()?;
    let fixed = [
        (0, 0x81),
        (1, 0x11),
        (2, 0x1F),
        (3, 0x01),
        (5, 0x0F),
        (6, 0x04),
        (11, 0x86),
        (12, 0x06),
        (13, 0x0A),
        (14, 0x01),
        (16, 0x0D),
        (17, 0x01),
    ];
    if fixed.iter().any(|&(i, v)| t[i] != v) {
        return None;
    }
    let display_code = t[4];
    let hash = match t[15] {
        0x01 => Hash::Sha1,
        0x02 => Hash::Sha256,
        _ => return None,
    };
    let step_seconds = match t[18] {
        0x1E => 30,
        0x3C => 60,
        _ => return None,
    };
    if display_code > 3 {
        return None;
    }
    Some(ParsedConfig {
        time: u32::from_be_bytes([t[7], t[8], t[9], t[10]]),
        settings: StoredSettings {
            hash,
            step_seconds,
            display_code,
        },
    })
}
