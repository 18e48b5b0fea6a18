//! What a harness in another process reads about the token.

use serde::Serialize;

use super::SimToken;
use crate::totp::Hash;

impl SimToken {
    /// A snapshot for test harnesses that run the simulator in another process.
    pub fn snapshot(&self) -> TokenSnapshot {
        TokenSnapshot {
            serial: self.serial.clone(),
            present: self.present,
            restricted_sync: self.restricted_sync(),
            has_seed: self.seed.is_some(),
            seed_hex: self.seed.as_ref().map(hex::encode_upper),
            algorithm: match self.settings.hash {
                Hash::Sha1 => "SHA1",
                Hash::Sha256 => "SHA256",
            },
            period: self.settings.step_seconds,
            display_seconds: [15, 30, 60, 120]
                .get(usize::from(self.settings.display_code))
                .copied()
                .unwrap_or(0),
            wall_time: self.wall_now,
            device_time: self.device_time_at(self.wall_now),
            clock_offset: self.clock_offset,
            displayed_code: self.displayed_code(self.wall_now),
            locked: self.locked,
            received: self.received.iter().map(hex::encode_upper).collect(),
        }
    }
}

/// What a harness in another process needs to know about the token.
#[derive(Debug, Clone, Serialize)]
pub struct TokenSnapshot {
    /// Serial number.
    pub serial: String,
    /// On the reader.
    pub present: bool,
    /// A clock write erases the seed on this model.
    pub restricted_sync: bool,
    /// A seed is stored.
    pub has_seed: bool,
    /// The stored seed (a test device: secrets are fine here).
    pub seed_hex: Option<String>,
    /// `SHA1` or `SHA256`.
    pub algorithm: &'static str,
    /// Step in seconds.
    pub period: u64,
    /// Display timeout in seconds.
    pub display_seconds: u32,
    /// Simulated wall-clock time.
    pub wall_time: u64,
    /// The token's clock now.
    pub device_time: u64,
    /// Device − wall.
    pub clock_offset: i64,
    /// The code the display shows now.
    pub displayed_code: Option<String>,
    /// Locked by an old-firmware lockout.
    pub locked: bool,
    /// Every APDU received, hex.
    pub received: Vec<String>,
}
