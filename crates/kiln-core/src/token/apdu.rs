//! One builder per command of the protocol (§2.4), named as the spec names them.
//!
//! Nothing else can be built: Kiln never sends a command that is not in the spec (§5.4).

use super::config::{ConfigTlv, TokenSettings};
use super::crypto::{ecb_encrypt_in_place, pad_method2};
use super::seed::SeedBytes;
use crate::command::secure;

/// Which command of the protocol an APDU is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// `80 41` GET INFO: serial number and clock.
    GetInfo,
    /// `80 4B` GET CHALLENGE: 8 random bytes to authenticate with.
    GetChallenge,
    /// `80 CE` ANSWER CHALLENGE: proves the host knows the device key.
    AnswerChallenge,
    /// `84 D4` WRITE CONFIG: clock, HMAC algorithm, time step and display timeout.
    WriteConfig,
    /// `84 C5` WRITE SEED: the encrypted TOTP seed.
    WriteSeed,
}

/// A command APDU ready to send. The bytes are wiped on drop; a WRITE SEED carries the seed
/// encrypted under a *public* key, so it is as secret as the seed and never printed.
pub type Command = crate::command::Command<CommandKind>;

impl crate::command::Kind for CommandKind {
    fn is_secret(self) -> bool {
        self == CommandKind::WriteSeed
    }
}

/// `80 41 00 00 02 02 11`: ask for tag 02 (serial) and tag 11 (clock). No authentication.
pub fn get_info() -> Command {
    Command::new(
        CommandKind::GetInfo,
        vec![0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11],
    )
}

/// `80 4B 08 00 01 00`: the vendor form of GET CHALLENGE (P1 = 8 bytes wanted).
pub fn get_challenge() -> Command {
    Command::new(
        CommandKind::GetChallenge,
        vec![0x80, 0x4B, 0x08, 0x00, 0x01, 0x00],
    )
}

/// `80 CE 00 00 10` + SM4-ECB(key, challenge ‖ 00×8).
pub fn answer_challenge(key: &[u8; 16], challenge: &[u8; 8]) -> Command {
    crate::command::answer_challenge(CommandKind::AnswerChallenge, key, challenge)
}

/// `84 D4 00 00 17` + the 19-byte config TLV + MAC4 (§2.5.4).
///
/// `unix_time` is the clock value the token will start counting from; take it as late as
/// possible. On restricted models this write erases the stored seed.
pub fn write_config(key: &[u8; 16], settings: &TokenSettings, unix_time: u32) -> Command {
    let tlv = ConfigTlv::new(settings, unix_time);
    secure(
        CommandKind::WriteConfig,
        key,
        [0xD4, 0x00, 0x00],
        tlv.bytes(),
    )
}

/// `84 C5 01 00 Lc` + SM4-ECB(method-2-padded seed) + MAC4 (§2.5.3).
pub fn write_seed(key: &[u8; 16], seed: &SeedBytes) -> Command {
    let mut body = pad_method2(seed.wire_bytes());
    ecb_encrypt_in_place(key, &mut body);
    secure(CommandKind::WriteSeed, key, [0xC5, 0x01, 0x00], &body)
}
