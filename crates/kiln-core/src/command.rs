//! A command APDU ready to send, and the two frames both Token2 protocols build the same way
//! (§3.4): ANSWER CHALLENGE and the MAC-ed CLA 84 write. Each protocol names its own commands
//! ([`crate::token::CommandKind`], [`crate::molto2::apdu::CommandKind`]) and its own builders.

use core::fmt;
use zeroize::Zeroizing;

use crate::token::crypto::{BLOCK, ecb_encrypt_in_place, mac4};

/// What a command kind must say about its bytes.
pub trait Kind: Copy + fmt::Debug {
    /// True when the body is as secret as a seed or key (encrypted under a key the user may
    /// consider public): such a command is never printed.
    fn is_secret(self) -> bool;
}

/// A command APDU of kind `K`. The bytes are wiped on drop.
#[derive(Clone)]
pub struct Command<K> {
    kind: K,
    bytes: Zeroizing<Vec<u8>>,
}

impl<K: Copy> Command<K> {
    /// Which command this is.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// The bytes to put on the wire.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn new(kind: K, bytes: Vec<u8>) -> Command<K> {
        Command {
            kind,
            bytes: Zeroizing::new(bytes),
        }
    }
}

impl<K: Kind> fmt::Debug for Command<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind.is_secret() {
            return write!(f, "{:?}(<{} bytes redacted>)", self.kind, self.bytes.len());
        }
        write!(f, "{:?}(", self.kind)?;
        for b in self.bytes.iter() {
            write!(f, "{b:02X}")?;
        }
        f.write_str(")")
    }
}

/// `80 CE 00 00 10` + SM4-ECB(key, challenge ‖ 00×8).
pub(crate) fn answer_challenge<K: Copy>(
    kind: K,
    key: &[u8; 16],
    challenge: &[u8; 8],
) -> Command<K> {
    let mut block = [0u8; BLOCK];
    block[..8].copy_from_slice(challenge);
    ecb_encrypt_in_place(key, &mut block);
    let mut bytes = Vec::with_capacity(5 + BLOCK);
    bytes.extend_from_slice(&[0x80, 0xCE, 0x00, 0x00, BLOCK as u8]);
    bytes.extend_from_slice(&block);
    Command::new(kind, bytes)
}

/// A CLA 0x84 command: `84 INS P1 P2 (len+4) body MAC4`, where the MAC covers
/// `80 INS P1 P2 len ‖ body` (header class 0x80, Lc' without the MAC; §3.4).
pub(crate) fn secure<K: Copy>(
    kind: K,
    key: &[u8; 16],
    ins_p1_p2: [u8; 3],
    body: &[u8],
) -> Command<K> {
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
