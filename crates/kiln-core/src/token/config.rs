//! The token settings and their 19-byte WRITE CONFIG TLV (§2.5.4). The wire codes of display,
//! algorithm and step are the Molto2's too (§2.7).

use crate::params::{Algorithm, DisplayTimeout, Period};

/// Everything a WRITE CONFIG sets besides the clock. The TLV is all-or-nothing: changing one
/// value means sending them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TokenSettings {
    /// HMAC algorithm of the codes.
    pub algorithm: Algorithm,
    /// Time step of the codes.
    pub period: Period,
    /// How long the display stays on.
    pub display: DisplayTimeout,
}

/// `81 11 | 1F 01 dd | 0F 04 tttttttt | 86 06 | 0A 01 aa | 0D 01 ss`.
pub(crate) struct ConfigTlv([u8; 19]);

impl ConfigTlv {
    pub(crate) fn new(settings: &TokenSettings, unix_time: u32) -> ConfigTlv {
        let t = unix_time.to_be_bytes();
        ConfigTlv([
            0x81,
            0x11,
            0x1F,
            0x01,
            display_code(settings.display),
            0x0F,
            0x04,
            t[0],
            t[1],
            t[2],
            t[3],
            0x86,
            0x06,
            0x0A,
            0x01,
            algorithm_code(settings.algorithm),
            0x0D,
            0x01,
            period_code(settings.period),
        ])
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Wire code of the display timeout: 0 = 15 s, 1 = 30 s, 2 = 60 s, 3 = 120 s.
pub(crate) fn display_code(display: DisplayTimeout) -> u8 {
    match display {
        DisplayTimeout::S15 => 0x00,
        DisplayTimeout::S30 => 0x01,
        DisplayTimeout::S60 => 0x02,
        DisplayTimeout::S120 => 0x03,
    }
}

/// Wire code of the HMAC algorithm: 1 = SHA-1, 2 = SHA-256.
pub(crate) fn algorithm_code(algorithm: Algorithm) -> u8 {
    match algorithm {
        Algorithm::Sha1 => 0x01,
        Algorithm::Sha256 => 0x02,
    }
}

/// Wire code of the time step, in seconds: 0x1E = 30, 0x3C = 60. Only these two are used; the
/// claimed "minutes" bits of the byte are unverified (§2.5.4).
pub(crate) fn period_code(period: Period) -> u8 {
    match period {
        Period::S30 => 0x1E,
        Period::S60 => 0x3C,
    }
}
