//! A simulated Token2 Molto2 / Molto2v2 (USB CCID, 50 or 100 profiles), written from
//! `docs/protocol.md` §2.7 (not from kiln-core).
//!
//! It keeps per-profile titles, seeds and settings, one clock, a customer key with an attempts
//! counter that locks at zero (`63 NN`), commits factory reset and key change only on a ▲ press
//! (`90 60` first; the press is simulated, or never comes), answers `6F FB` to a READ PROFILE
//! sent with Le, and takes the same scheduled faults as the single-profile token.

mod commands;
pub mod crypto;
mod snapshot;

use rand::SeedableRng;
use rand::rngs::StdRng;
use zeroize::Zeroizing;

use crate::token::Fault;
use crate::token::faults::{Token2Device, take_fault};
use crate::totp::Hash;

/// Factory customer key.
pub const DEFAULT_CUSTOMER_KEY: &[u8] = b"TOKEN2MOLTO1-KEY";
/// Wrong answers allowed before the key locks (the spec gives no number; a test can change it).
pub const DEFAULT_ATTEMPTS: u8 = 5;

/// The instructions a Molto2 knows (§2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ins {
    /// `41` GET INFO / READ PROFILE.
    Read,
    /// `4B` GET CHALLENGE.
    GetChallenge,
    /// `CE` ANSWER CHALLENGE.
    AnswerChallenge,
    /// `C5` WRITE SEED.
    WriteSeed,
    /// `D5` WRITE TITLE.
    WriteTitle,
    /// `D4` WRITE CONFIG / time sync.
    WriteConfig,
    /// `E6` DELETE SEED.
    DeleteSeed,
    /// `56` FACTORY RESET.
    FactoryReset,
    /// `D7` CHANGE CUSTOMER KEY.
    ChangeKey,
}

impl Ins {
    /// The instruction byte.
    pub fn byte(self) -> u8 {
        match self {
            Ins::Read => 0x41,
            Ins::GetChallenge => 0x4B,
            Ins::AnswerChallenge => 0xCE,
            Ins::WriteSeed => 0xC5,
            Ins::WriteTitle => 0xD5,
            Ins::WriteConfig => 0xD4,
            Ins::DeleteSeed => 0xE6,
            Ins::FactoryReset => 0x56,
            Ins::ChangeKey => 0xD7,
        }
    }

    fn from_byte(byte: u8) -> Option<Ins> {
        [
            Ins::Read,
            Ins::GetChallenge,
            Ins::AnswerChallenge,
            Ins::WriteSeed,
            Ins::WriteTitle,
            Ins::WriteConfig,
            Ins::DeleteSeed,
            Ins::FactoryReset,
            Ins::ChangeKey,
        ]
        .into_iter()
        .find(|i| i.byte() == byte)
    }
}

/// What happens after the device asked for the ▲ button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// The user presses it right away: the change commits after the `90 60` reply.
    PressedWhenAsked,
    /// Nobody presses it: the change waits until [`SimMolto2::press_button`] (or forever).
    NotPressed,
}

/// One profile slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Title bytes as written (empty: none).
    pub title: Vec<u8>,
    /// The seed, when occupied.
    pub seed: Option<Zeroizing<Vec<u8>>>,
    /// HMAC.
    pub hash: Hash,
    /// Step in seconds.
    pub step: u64,
    /// Digits shown.
    pub digits: u8,
    /// Display timeout code 0..=3.
    pub display_code: u8,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            title: Vec::new(),
            seed: None,
            hash: Hash::Sha1,
            step: 30,
            digits: 6,
            display_code: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Reset,
    NewKey([u8; 16]),
}

/// A simulated Molto2.
pub struct SimMolto2 {
    serial: String,
    present: bool,
    wall_now: u64,
    clock_offset: i64,
    profiles: Vec<Profile>,
    key: [u8; 16],
    attempts_max: u8,
    attempts_left: u8,
    challenge: Option<[u8; 8]>,
    authenticated: bool,
    button: Button,
    pending: Option<Pending>,
    rng: StdRng,
    faults: Vec<(Ins, Fault)>,
    received: Vec<Vec<u8>>,
    executed: Vec<Ins>,
}

impl SimMolto2 {
    /// A Molto2v2 (100 profiles) with the factory key, all profiles empty, clock on time.
    pub fn new(serial: &str, wall_now: u64) -> SimMolto2 {
        SimMolto2 {
            serial: serial.to_string(),
            present: true,
            wall_now,
            clock_offset: 0,
            profiles: vec![Profile::default(); 100],
            key: crypto::derive_key(DEFAULT_CUSTOMER_KEY),
            attempts_max: DEFAULT_ATTEMPTS,
            attempts_left: DEFAULT_ATTEMPTS,
            challenge: None,
            authenticated: false,
            button: Button::PressedWhenAsked,
            pending: None,
            rng: StdRng::seed_from_u64(2),
            faults: Vec::new(),
            received: Vec::new(),
            executed: Vec::new(),
        }
    }

    /// A Molto2 v1: 50 profiles.
    pub fn v1(mut self) -> SimMolto2 {
        self.profiles.truncate(50);
        self
    }

    /// Uses this customer key instead of the factory one.
    pub fn with_customer_key(mut self, customer_key: &[u8]) -> SimMolto2 {
        self.key = crypto::derive_key(customer_key);
        self
    }

    /// Sets how many wrong answers lock the key.
    pub fn with_attempts(mut self, attempts: u8) -> SimMolto2 {
        self.attempts_max = attempts;
        self.attempts_left = attempts;
        self
    }

    /// Stores a profile.
    pub fn with_profile(mut self, number: u8, profile: Profile) -> SimMolto2 {
        if let Some(slot) = self.profiles.get_mut(usize::from(number)) {
            *slot = profile;
        }
        self
    }

    /// The clock runs `offset` seconds ahead of the wall.
    pub fn with_clock_offset(mut self, offset: i64) -> SimMolto2 {
        self.clock_offset = offset;
        self
    }

    /// Whether the ▲ button gets pressed when the device asks for it.
    pub fn with_button(mut self, button: Button) -> SimMolto2 {
        self.button = button;
        self
    }

    /// Schedules a fault on the next command with this instruction.
    pub fn inject(&mut self, ins: Ins, fault: Fault) {
        self.faults.push((ins, fault));
    }

    /// Presses ▲: commits a pending factory reset or key change. Returns whether one was pending.
    pub fn press_button(&mut self) -> bool {
        match self.pending.take() {
            Some(Pending::Reset) => {
                self.profiles
                    .iter_mut()
                    .for_each(|p| *p = Profile::default());
                self.key = crypto::derive_key(DEFAULT_CUSTOMER_KEY);
                self.attempts_left = self.attempts_max;
                true
            }
            Some(Pending::NewKey(key)) => {
                self.key = key;
                true
            }
            None => false,
        }
    }

    /// Unplugs the device (a removal mid-session).
    pub fn remove(&mut self) {
        self.present = false;
        self.authenticated = false;
        self.challenge = None;
    }

    /// Moves the wall clock.
    pub fn set_wall_time(&mut self, unix: u64) {
        self.wall_now = unix;
    }

    /// One profile, if it exists.
    pub fn profile(&self, number: u8) -> Option<&Profile> {
        self.profiles.get(usize::from(number))
    }

    /// How many profiles this device has.
    pub fn profile_count(&self) -> usize {
        self.profiles.len()
    }

    /// The SM4 key in use (derived from the current customer key).
    pub fn sm4_key(&self) -> [u8; 16] {
        self.key
    }

    /// Attempts left before the key locks.
    pub fn attempts_left(&self) -> u8 {
        self.attempts_left
    }

    /// True once the attempts are used up.
    pub fn locked(&self) -> bool {
        self.attempts_left == 0
    }

    /// True while a factory reset or key change waits for ▲.
    pub fn button_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// The device clock at wall time `wall`.
    pub fn device_time_at(&self, wall: u64) -> u64 {
        (wall as i64 + self.clock_offset).max(0) as u64
    }

    /// The code profile `number` shows at wall time `wall` (None: empty or no such profile).
    pub fn displayed_code(&self, number: u8, wall: u64) -> Option<String> {
        let p = self.profile(number)?;
        let seed = p.seed.as_ref()?;
        let t = self.device_time_at(wall);
        Some(crypto::totp(seed, p.hash, p.step, u32::from(p.digits), t))
    }

    /// Every APDU received, in order.
    pub fn received(&self) -> &[Vec<u8>] {
        &self.received
    }

    /// Instructions executed successfully (`90 00` / `90 60`).
    pub fn executed(&self) -> &[Ins] {
        &self.executed
    }
}

impl Token2Device for SimMolto2 {
    fn in_field(&self) -> bool {
        self.present
    }

    fn serial_number(&self) -> &str {
        &self.serial
    }

    fn receive(&mut self, apdu: &[u8]) -> Option<Fault> {
        self.received.push(apdu.to_vec());
        let ins = apdu.get(1).and_then(|&b| Ins::from_byte(b))?;
        take_fault(&mut self.faults, ins)
    }

    fn execute(&mut self, apdu: &[u8]) -> Vec<u8> {
        SimMolto2::execute(self, apdu)
    }

    fn remove(&mut self) {
        SimMolto2::remove(self)
    }
}
