//! One builder per command of the protocol (§2.4), named as the spec names them.
//!
//! Nothing else can be built: Kiln never sends a command that is not in the spec (§5.4).

use core::fmt;
use zeroize::Zeroizing;

use super::config::{ConfigTlv, TokenSettings};
use super::crypto::{BLOCK, ecb_encrypt_in_place, mac4, pad_method2};
use super::seed::SeedBytes;

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
#[derive(Clone)]
pub struct Command {
    kind: CommandKind,
    bytes: Zeroizing<Vec<u8>>,
}

impl Command {
    /// Which command this is.
    pub fn kind(&self) -> CommandKind {
        self.kind
    }

    /// The bytes to put on the wire.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn new(kind: CommandKind, bytes: Vec<u8>) -> Command {
        Command {
            kind,
            bytes: Zeroizing::new(bytes),
        }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            CommandKind::WriteSeed => write!(f, "WriteSeed(<{} bytes redacted>)", self.bytes.len()),
            kind => {
                write!(f, "{kind:?}(")?;
                for b in self.bytes.iter() {
                    write!(f, "{b:02X}")?;
                }
                f.write_str(")")
            }
        }
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
    let mut block = [0u8; BLOCK];
    block[..8].copy_from_slice(challenge);
    ecb_encrypt_in_place(key, &mut block);
    let mut bytes = Vec::with_capacity(5 + BLOCK);
    bytes.extend_from_slice(&[0x80, 0xCE, 0x00, 0x00, BLOCK as u8]);
    bytes.extend_from_slice(&block);
    Command::new(CommandKind::AnswerChallenge, bytes)
}

/// `84 D4 00 00 17` + the 19-byte config TLV + MAC4 (§2.5.4).
///
/// `unix_time` is the clock value the token will start counting from; take it as late as
/// possible. On restricted models this write erases the stored seed.
pub fn write_config(key: &[u8; 16], settings: &TokenSettings, unix_time: u32) -> Command {
    let tlv = ConfigTlv::new(settings, unix_time);
    secure_command(
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
    secure_command(CommandKind::WriteSeed, key, [0xC5, 0x01, 0x00], &body)
}

/// A CLA 0x84 command: `84 INS P1 P2 (len+4) body MAC4`, where the MAC covers
/// `80 INS P1 P2 len ‖ body` (header class 0x80, Lc' without the MAC; §3.4).
fn secure_command(kind: CommandKind, key: &[u8; 16], ins_p1_p2: [u8; 3], body: &[u8]) -> Command {
    // Bodies are at most 64 bytes (a 63-byte seed), so the lengths always fit in one byte.
    let lc = body.len() as u8;
    let mut mac_input = Zeroizing::new(Vec::with_capacity(5 + body.len()));
    mac_input.push(0x80);
    mac_input.extend_from_slice(&ins_p1_p2);
    mac_input.push(lc);
    mac_input.extend_from_slice(body);
    let mac = mac4(key, &mac_input);

    let mut bytes = Vec::with_capacity(5 + body.len() + 4);
    bytes.push(0x84);
    bytes.extend_from_slice(&ins_p1_p2);
    bytes.push(lc + 4);
    bytes.extend_from_slice(body);
    bytes.extend_from_slice(&mac);
    Command::new(kind, bytes)
}
