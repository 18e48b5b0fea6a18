//! One builder per Molto2 command of §2.7 that Kiln uses, named as the spec names them. P2 is
//! the profile number. Screen lock/unlock (`80 D8`) is deliberately absent (see
//! `docs/protocol.md`, Molto2 decisions): its framing is in doubt.

use zeroize::Zeroizing;

use super::key::CustomerKey;
use super::profile::ProfileNumber;
use super::settings::{ProfileSettings, Title, config_tlv, time_tlv};
use crate::command::secure;
use crate::token::crypto::{BLOCK, ecb_encrypt_in_place, pad_method2};
use crate::token::seed::SeedBytes;

/// Which Molto2 command an APDU is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// `80 41 00 00 00`: serial and clock.
    GetInfo,
    /// `80 41 00 pp 01 70`: one profile's public data (no Le: Le gets `6F FB`).
    ReadProfile,
    /// `80 4B 08 00 00`: 8 random bytes.
    GetChallenge,
    /// `80 CE 00 00 10`: proves the host knows the customer key.
    AnswerChallenge,
    /// `84 C5 01 pp`: the encrypted seed.
    WriteSeed,
    /// `84 D5 00 pp`: the encrypted title.
    WriteTitle,
    /// `84 D4 01 pp 1A`: display, clock, algorithm, digits, step.
    WriteConfig,
    /// `84 D4 01 pp 0C`: the clock only.
    SyncTime,
    /// `80 E6 00 pp 00`: deletes a profile's seed (title and config stay).
    DeleteSeed,
    /// `80 56 00 00 00`: factory reset, committed by the ▲ button.
    FactoryReset,
    /// `84 D7 00 00 24`: new customer key, committed by the ▲ button.
    ChangeKey,
}

/// A command APDU ready to send; wiped on drop. Seed, title and key bodies are encrypted under
/// a key the user may consider public; seed and key commands are never printed.
pub type Command = crate::command::Command<CommandKind>;

impl crate::command::Kind for CommandKind {
    fn is_secret(self) -> bool {
        matches!(self, CommandKind::WriteSeed | CommandKind::ChangeKey)
    }
}

/// `80 41 00 00 00`.
pub fn get_info() -> Command {
    Command::new(CommandKind::GetInfo, vec![0x80, 0x41, 0x00, 0x00, 0x00])
}

/// `80 41 00 pp 01 70`, case 3 (no Le).
pub fn read_profile(profile: ProfileNumber) -> Command {
    Command::new(
        CommandKind::ReadProfile,
        vec![0x80, 0x41, 0x00, profile.get(), 0x01, 0x70],
    )
}

/// `80 4B 08 00 00`.
pub fn get_challenge() -> Command {
    Command::new(
        CommandKind::GetChallenge,
        vec![0x80, 0x4B, 0x08, 0x00, 0x00],
    )
}

/// `80 CE 00 00 10` + SM4-ECB(K, challenge ‖ 00×8).
pub fn answer_challenge(key: &[u8; 16], challenge: &[u8; 8]) -> Command {
    crate::command::answer_challenge(CommandKind::AnswerChallenge, key, challenge)
}

/// `84 C5 01 pp Lc` + SM4-ECB(method-2-padded seed) + MAC4.
pub fn write_seed(key: &[u8; 16], profile: ProfileNumber, seed: &SeedBytes) -> Command {
    let mut body = pad_method2(seed.wire_bytes());
    ecb_encrypt_in_place(key, &mut body);
    secure(
        CommandKind::WriteSeed,
        key,
        [0xC5, 0x01, profile.get()],
        &body,
    )
}

/// `84 D5 00 pp 14` + SM4-ECB(padded title, one block) + MAC4.
pub fn write_title(key: &[u8; 16], profile: ProfileNumber, title: &Title) -> Command {
    let mut body = pad_method2(title.as_str().as_bytes());
    ecb_encrypt_in_place(key, &mut body);
    secure(
        CommandKind::WriteTitle,
        key,
        [0xD5, 0x00, profile.get()],
        &body,
    )
}

/// `84 D4 01 pp 1A` + the 22-byte config TLV + MAC4.
pub fn write_config(
    key: &[u8; 16],
    profile: ProfileNumber,
    settings: &ProfileSettings,
    unix_time: u32,
) -> Command {
    let tlv = config_tlv(settings, unix_time);
    secure(
        CommandKind::WriteConfig,
        key,
        [0xD4, 0x01, profile.get()],
        &tlv,
    )
}

/// `84 D4 01 pp 0C` + `81 06 0F 04 tttttttt` + MAC4.
pub fn sync_time(key: &[u8; 16], profile: ProfileNumber, unix_time: u32) -> Command {
    let tlv = time_tlv(unix_time);
    secure(
        CommandKind::SyncTime,
        key,
        [0xD4, 0x01, profile.get()],
        &tlv,
    )
}

/// `80 E6 00 pp 00` (no authentication needed).
pub fn delete_seed(profile: ProfileNumber) -> Command {
    Command::new(
        CommandKind::DeleteSeed,
        vec![0x80, 0xE6, 0x00, profile.get(), 0x00],
    )
}

/// `80 56 00 00 00`.
pub fn factory_reset() -> Command {
    Command::new(
        CommandKind::FactoryReset,
        vec![0x80, 0x56, 0x00, 0x00, 0x00],
    )
}

/// `84 D7 00 00 24` + SM4-ECB(K, `00` ‖ SHA1(new)[0..16] ‖ `80` ‖ `00`×14) + MAC4, under the
/// *current* key.
pub fn change_key(key: &[u8; 16], new_key: &CustomerKey) -> Command {
    let mut body = Zeroizing::new(vec![0u8; 2 * BLOCK]);
    body[1..17].copy_from_slice(new_key.sm4_key().as_slice());
    body[17] = 0x80;
    ecb_encrypt_in_place(key, &mut body);
    secure(CommandKind::ChangeKey, key, [0xD7, 0x00, 0x00], &body)
}
