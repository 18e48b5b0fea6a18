//! A simulated Token2 single-profile token, written from `docs/protocol.md` (not from kiln-core).
//!
//! It answers the five commands of §2.4 the way the spec says a token does: random challenges,
//! SM4 answer check, a MAC check on every write, strict TLV and padding checks, the seed wipe of
//! restricted models on a config write, a clock that runs with simulated time, and the code its
//! display would show. Faults can be scheduled on any command.
//!
//! * the five commands and their checks (`commands.rs`);
//! * the config TLV of WRITE CONFIG and the settings it carries (`config.rs`);
//! * the SM4 device key, block cipher and CBC-MAC (`crypto.rs`);
//! * scheduled faults and the face on the reader, shared with the Molto2 (`faults.rs`);
//! * the snapshot a harness in another process reads (`snapshot.rs`).

mod commands;
mod config;
pub(crate) mod crypto;
pub(crate) mod faults;
mod snapshot;
#[cfg(test)]
mod tests;

pub use commands::Ins;
pub use config::StoredSettings;
pub use faults::Fault;
pub use snapshot::TokenSnapshot;

use rand::SeedableRng;
use rand::rngs::StdRng;
use zeroize::Zeroizing;

use crate::totp::totp6;

/// Serial prefixes of the models that keep their seed when the clock is set (§1.1).
const KEEPS_SEED_ON_CLOCK_WRITE: [&str; 3] = ["8659612", "8659600", "8659632"];

/// A Token2 single-profile token.
pub struct SimToken {
    serial: String,
    present: bool,
    wall_now: u64,
    clock_offset: i64,
    seed: Option<Zeroizing<Vec<u8>>>,
    settings: StoredSettings,
    challenge: Option<[u8; 8]>,
    authenticated: bool,
    rng: StdRng,
    faults: Vec<(Ins, Fault)>,
    received: Vec<Vec<u8>>,
    executed: Vec<Ins>,
    lock_after_failures: Option<u32>,
    failed_auths: u32,
    locked: bool,
}

impl SimToken {
    /// A blank token (no seed, factory settings) with this serial, its clock equal to `wall_now`.
    pub fn new(serial: &str, wall_now: u64) -> SimToken {
        SimToken {
            serial: serial.to_string(),
            present: true,
            wall_now,
            clock_offset: 0,
            seed: None,
            settings: StoredSettings::default(),
            challenge: None,
            authenticated: false,
            rng: StdRng::seed_from_u64(0x4B49_4C4E),
            faults: Vec::new(),
            received: Vec::new(),
            executed: Vec::new(),
            lock_after_failures: None,
            failed_auths: 0,
            locked: false,
        }
    }

    /// Seeds the random generator of the challenges (tests use several seeds).
    pub fn with_rng_seed(mut self, seed: u64) -> SimToken {
        self.rng = StdRng::seed_from_u64(seed);
        self
    }

    /// Starts with a seed already burned (to test what happens to an old seed).
    pub fn with_seed(mut self, seed: &[u8], settings: StoredSettings) -> SimToken {
        self.seed = Some(Zeroizing::new(seed.to_vec()));
        self.settings = settings;
        self
    }

    /// Starts with the clock off by `offset` seconds (device − wall).
    pub fn with_clock_offset(mut self, offset: i64) -> SimToken {
        self.clock_offset = offset;
        self
    }

    /// Models an older firmware that locks for good after `failures` wrong answers.
    pub fn with_lockout_after(mut self, failures: u32) -> SimToken {
        self.lock_after_failures = Some(failures);
        self
    }

    /// Advances simulated wall-clock time.
    pub fn set_wall_time(&mut self, unix: u64) {
        self.wall_now = unix;
    }

    /// Simulated wall-clock time.
    pub fn wall_time(&self) -> u64 {
        self.wall_now
    }

    /// Takes the token off the reader (it loses its NFC session).
    pub fn remove(&mut self) {
        self.present = false;
        self.end_session();
    }

    /// Puts the token back on the reader (switched on, fresh NFC session).
    pub fn put_back(&mut self) {
        self.present = true;
        self.end_session();
    }

    fn end_session(&mut self) {
        self.challenge = None;
        self.authenticated = false;
    }

    /// The serial number.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// True when a clock write erases this model's seed.
    pub fn restricted_sync(&self) -> bool {
        !KEEPS_SEED_ON_CLOCK_WRITE
            .iter()
            .any(|p| self.serial.starts_with(p))
    }

    /// The stored seed, if any.
    pub fn seed(&self) -> Option<&[u8]> {
        self.seed.as_deref().map(Vec::as_slice)
    }

    /// The stored settings.
    pub fn settings(&self) -> StoredSettings {
        self.settings
    }

    /// The token's clock at wall-clock time `wall`.
    pub fn device_time_at(&self, wall: u64) -> u64 {
        (wall as i64).saturating_add(self.clock_offset).max(0) as u64
    }

    /// Device clock minus wall clock, in seconds.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset
    }

    /// The code the display shows at wall-clock time `wall`; `None` when it holds no seed.
    pub fn displayed_code(&self, wall: u64) -> Option<String> {
        let seed = self.seed.as_ref()?;
        Some(totp6(
            seed,
            self.settings.hash,
            self.settings.step_seconds,
            self.device_time_at(wall),
        ))
    }

    /// Every APDU the token received, in order.
    pub fn received(&self) -> &[Vec<u8>] {
        &self.received
    }

    /// The instructions the token executed (commands that changed or read its state).
    pub fn executed(&self) -> &[Ins] {
        &self.executed
    }

    /// True when an older-firmware lockout has locked the token.
    pub fn locked(&self) -> bool {
        self.locked
    }
}
