//! Which command APDUs a relay (the loopback bridge of `kiln bridge`) may pass to a token: the
//! commands of `docs/protocol.md` in exactly the forms the spec gives, for the protocol of the
//! device that is connected. Everything else (SELECT, made-up instructions, another protocol's
//! commands, odd lengths or parameters) is refused, because a stray command can brick a token
//! (§5.4.1).
//!
//! The rules are written from the spec's tables (§2.4, §2.7), not from this crate's builders;
//! the tests check that every builder's output passes.

use crate::molto2::profile::MAX_PROFILES;

/// The protocol of the connected device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// A single-profile token (§2.4).
    Token,
    /// A Molto2 / Molto2v2 (§2.7).
    Molto2,
}

/// A command the spec knows, by its name there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// `80 41`: serial and clock (both protocols).
    GetInfo,
    /// `80 41 00 pp 01 70`: a Molto2 profile's public data.
    ReadProfile,
    /// `80 4B`: 8 random bytes.
    GetChallenge,
    /// `80 CE`: proves the host knows the key.
    AnswerChallenge,
    /// `84 C5`: the encrypted seed.
    WriteSeed,
    /// `84 D4`: settings and clock (Molto2: also the clock alone).
    WriteConfig,
    /// `84 D5`: a Molto2 profile's title.
    WriteTitle,
    /// `80 E6`: deletes a Molto2 profile's seed.
    DeleteSeed,
    /// `80 56`: Molto2 factory reset.
    FactoryReset,
    /// `84 D7`: new Molto2 customer key.
    ChangeKey,
}

impl Allowed {
    /// True when the body is as secret as a seed or key (encrypted under a key anyone may
    /// know): it is never printed, not even in a debug log.
    pub fn body_is_secret(self) -> bool {
        matches!(self, Allowed::WriteSeed | Allowed::ChangeKey)
    }
}

/// Why a command was refused: its class and instruction bytes, when it has them (for a log
/// line that shows no body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// CLA, when the APDU has at least one byte.
    pub cla: Option<u8>,
    /// INS, when the APDU has at least two bytes.
    pub ins: Option<u8>,
}

/// The command `apdu` is, if the spec allows it for a device speaking `protocol`.
pub fn check(protocol: Protocol, apdu: &[u8]) -> Result<Allowed, Refused> {
    let found = match protocol {
        Protocol::Token => token_command(apdu),
        Protocol::Molto2 => molto2_command(apdu),
    };
    found.ok_or(Refused {
        cla: apdu.first().copied(),
        ins: apdu.get(1).copied(),
    })
}

/// §2.4: P2 is always 00; GET CHALLENGE in the three forms the token accepts.
fn token_command(apdu: &[u8]) -> Option<Allowed> {
    match apdu {
        [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11] => Some(Allowed::GetInfo),
        [0x80, 0x4B, 0x08, 0x00] | [0x80, 0x4B, 0x08, 0x00, 0x00] => Some(Allowed::GetChallenge),
        [0x80, 0x4B, 0x08, 0x00, 0x01, 0x00] => Some(Allowed::GetChallenge),
        [0x80, 0xCE, 0x00, 0x00, 0x10, body @ ..] if body.len() == 16 => {
            Some(Allowed::AnswerChallenge)
        }
        [0x84, 0xD4, 0x00, 0x00, 0x17, body @ ..] if body.len() == 0x17 => {
            Some(Allowed::WriteConfig)
        }
        [0x84, 0xC5, 0x01, 0x00, lc, body @ ..] if seed_body_fits(*lc, body) => {
            Some(Allowed::WriteSeed)
        }
        _ => None,
    }
}

/// §2.7: P2 is the profile number (0–99) where the table says `pp`.
fn molto2_command(apdu: &[u8]) -> Option<Allowed> {
    let profile = |pp: &u8| *pp < MAX_PROFILES;
    match apdu {
        [0x80, 0x41, 0x00, 0x00, 0x00] => Some(Allowed::GetInfo),
        [0x80, 0x41, 0x00, pp, 0x01, 0x70] if profile(pp) => Some(Allowed::ReadProfile),
        [0x80, 0x4B, 0x08, 0x00, 0x00] => Some(Allowed::GetChallenge),
        [0x80, 0xCE, 0x00, 0x00, 0x10, body @ ..] if body.len() == 16 => {
            Some(Allowed::AnswerChallenge)
        }
        [0x84, 0xC5, 0x01, pp, lc, body @ ..] if profile(pp) && seed_body_fits(*lc, body) => {
            Some(Allowed::WriteSeed)
        }
        [0x84, 0xD5, 0x00, pp, 0x14, body @ ..] if profile(pp) && body.len() == 0x14 => {
            Some(Allowed::WriteTitle)
        }
        [0x84, 0xD4, 0x01, pp, lc @ (0x1A | 0x0C), body @ ..]
            if profile(pp) && body.len() == usize::from(*lc) =>
        {
            Some(Allowed::WriteConfig)
        }
        [0x80, 0xE6, 0x00, pp, 0x00] if profile(pp) => Some(Allowed::DeleteSeed),
        [0x80, 0x56, 0x00, 0x00, 0x00] => Some(Allowed::FactoryReset),
        [0x84, 0xD7, 0x00, 0x00, 0x24, body @ ..] if body.len() == 0x24 => Some(Allowed::ChangeKey),
        _ => None,
    }
}

/// A WRITE SEED body: a padded seed of 1–63 bytes (16 to 64 bytes, whole SM4 blocks) and the
/// 4-byte MAC, with Lc saying exactly that.
fn seed_body_fits(lc: u8, body: &[u8]) -> bool {
    let cipher = body.len().wrapping_sub(4);
    body.len() == usize::from(lc) && (16..=64).contains(&cipher) && cipher.is_multiple_of(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_and_made_up_instructions_are_refused_with_their_header() {
        // SELECT of a payment AID (Visa), and an instruction no Token2 document names.
        let select = [
            0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10, 0x00,
        ];
        for protocol in [Protocol::Token, Protocol::Molto2] {
            assert_eq!(
                check(protocol, &select),
                Err(Refused {
                    cla: Some(0x00),
                    ins: Some(0xA4)
                })
            );
            assert!(check(protocol, &[0x80, 0x99, 0x00, 0x00, 0x00]).is_err());
            assert_eq!(
                check(protocol, &[]),
                Err(Refused {
                    cla: None,
                    ins: None
                })
            );
        }
    }

    #[test]
    fn each_protocol_gets_only_its_own_forms() {
        // Molto2's GET INFO, DELETE SEED and factory reset are not single-profile commands.
        for apdu in [
            &[0x80, 0x41, 0x00, 0x00, 0x00][..],
            &[0x80, 0xE6, 0x00, 0x01, 0x00],
            &[0x80, 0x56, 0x00, 0x00, 0x00],
        ] {
            assert!(check(Protocol::Token, apdu).is_err(), "{apdu:02X?}");
            assert!(check(Protocol::Molto2, apdu).is_ok(), "{apdu:02X?}");
        }
        // The single-profile GET INFO asks for tags 02 and 11; the Molto2 form has no data.
        let get_info = [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11];
        assert_eq!(check(Protocol::Token, &get_info), Ok(Allowed::GetInfo));
        assert!(check(Protocol::Molto2, &get_info).is_err());
    }

    #[test]
    fn lengths_and_parameters_must_be_the_specs() {
        let mut seed = vec![0x84, 0xC5, 0x01, 0x00, 0x14];
        seed.extend([0u8; 0x14]);
        assert_eq!(check(Protocol::Token, &seed), Ok(Allowed::WriteSeed));
        // Lc that disagrees with the body, a body that is not whole blocks, P2 not 00.
        let mut wrong_lc = seed.clone();
        wrong_lc[4] = 0x15;
        assert!(check(Protocol::Token, &wrong_lc).is_err());
        let mut ragged = seed.clone();
        ragged.push(0);
        ragged[4] = 0x15;
        assert!(check(Protocol::Token, &ragged).is_err());
        let mut p2 = seed.clone();
        p2[3] = 0x01;
        assert!(check(Protocol::Token, &p2).is_err());
        assert_eq!(check(Protocol::Molto2, &p2), Ok(Allowed::WriteSeed));
        // A Molto2 profile above 99 does not exist.
        assert!(check(Protocol::Molto2, &[0x80, 0xE6, 0x00, 100, 0x00]).is_err());
        assert!(check(Protocol::Molto2, &[0x80, 0xE6, 0x00, 99, 0x00]).is_ok());
        // Screen lock / unlock is left out on purpose (docs/protocol.md, Molto2 decisions).
        assert!(check(Protocol::Molto2, &[0x80, 0xD8, 0x0C, 0x02, 0x00]).is_err());
    }

    #[test]
    fn only_seed_and_key_bodies_are_secret() {
        assert!(Allowed::WriteSeed.body_is_secret());
        assert!(Allowed::ChangeKey.body_is_secret());
        assert!(!Allowed::WriteConfig.body_is_secret());
        assert!(!Allowed::AnswerChallenge.body_is_secret());
    }
}
