//! The five commands of protocol §2.4, each checked the way the spec says the token does.

use serde::Serialize;
use zeroize::Zeroizing;

use super::SimToken;
use super::config::parse_config_tlv;
use super::crypto::{DEVICE_KEY, decrypt_blocks};
use crate::apdu::{
    expected_answer, info_reply, new_challenge, ok_with, open_secure, split_header, sw,
    unknown_instruction,
};

/// The instruction bytes of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Ins {
    /// `41` GET INFO.
    GetInfo,
    /// `4B` GET CHALLENGE.
    GetChallenge,
    /// `CE` ANSWER CHALLENGE.
    AnswerChallenge,
    /// `D4` WRITE CONFIG.
    WriteConfig,
    /// `C5` WRITE SEED.
    WriteSeed,
}

impl Ins {
    /// The instruction byte of this command (protocol §2.4).
    pub fn byte(self) -> u8 {
        match self {
            Ins::GetInfo => 0x41,
            Ins::GetChallenge => 0x4B,
            Ins::AnswerChallenge => 0xCE,
            Ins::WriteConfig => 0xD4,
            Ins::WriteSeed => 0xC5,
        }
    }
    pub(super) fn from_byte(ins: u8) -> Option<Ins> {
        Ins::ALL
            .into_iter()
            .find(|candidate| candidate.byte() == ins)
    }

    /// Every instruction, in burn order.
    pub const ALL: [Ins; 5] = [
        Ins::GetInfo,
        Ins::GetChallenge,
        Ins::AnswerChallenge,
        Ins::WriteConfig,
        Ins::WriteSeed,
    ];
}

impl SimToken {
    /// Processes one APDU and returns the reply bytes (data ‖ SW).
    pub(super) fn execute(&mut self, apdu: &[u8]) -> Vec<u8> {
        let Some(([cla, ins, p1, p2], body)) = split_header(apdu) else {
            return sw(0x6700);
        };
        let Some(ins) = Ins::from_byte(ins) else {
            return unknown_instruction(cla);
        };
        let expected_cla = match ins {
            Ins::WriteConfig | Ins::WriteSeed => 0x84,
            _ => 0x80,
        };
        if cla != expected_cla {
            return sw(0x6E00);
        }
        let reply = match ins {
            Ins::GetInfo => self.get_info(p1, p2, body),
            Ins::GetChallenge => self.get_challenge(p1, p2, body),
            Ins::AnswerChallenge => self.answer_challenge(p1, p2, body),
            Ins::WriteConfig => self.write_config(p1, p2, body),
            Ins::WriteSeed => self.write_seed(p1, p2, body),
        };
        if reply.ends_with(&[0x90, 0x00]) {
            self.executed.push(ins);
        }
        reply
    }

    fn get_info(&self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        // `02 02 11`, optionally followed by Le.
        if (p1, p2) != (0, 0) || !(body == [0x02, 0x02, 0x11] || body == [0x02, 0x02, 0x11, 0x00]) {
            return sw(0x6A80);
        }
        info_reply(&self.serial, self.device_time_at(self.wall_now) as u32)
    }

    fn get_challenge(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        // Accepted forms (§2.4): no body, Le=00, or the vendor's Lc=01 data=00.
        if (p1, p2) != (0x08, 0x00) || !(body.is_empty() || body == [0x00] || body == [0x01, 0x00])
        {
            return sw(0x6700);
        }
        let challenge = new_challenge(&mut self.rng);
        self.challenge = Some(challenge);
        self.authenticated = false;
        ok_with(&challenge)
    }

    fn answer_challenge(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        if (p1, p2) != (0, 0) || body.len() != 17 || body[0] != 0x10 {
            return sw(0x6700);
        }
        let Some(challenge) = self.challenge.take() else {
            return sw(0x6985);
        };
        if self.locked {
            return sw(0x6983);
        }
        if body[1..] == expected_answer(&DEVICE_KEY, &challenge) {
            self.authenticated = true;
            sw(0x9000)
        } else {
            self.failed_auths += 1;
            if self
                .lock_after_failures
                .is_some_and(|n| self.failed_auths >= n)
            {
                self.locked = true;
            }
            sw(0x6983)
        }
    }

    fn write_config(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let tlv = match self.check_secure(0xD4, p1, p2, (0x00, 0x00), body) {
            Ok(tlv) => tlv,
            Err(status) => return sw(status),
        };
        let Some(parsed) = parse_config_tlv(&tlv) else {
            return sw(0x6A80);
        };
        self.clock_offset = i64::from(parsed.time) - self.wall_now as i64;
        self.settings = parsed.settings;
        if self.restricted_sync() {
            self.seed = None;
        }
        sw(0x9000)
    }

    fn write_seed(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let mut data = match self.check_secure(0xC5, p1, p2, (0x01, 0x00), body) {
            Ok(data) => Zeroizing::new(data),
            Err(status) => return sw(status),
        };
        if !matches!(data.len(), 16 | 32 | 48 | 64) {
            return sw(0x6700);
        }
        decrypt_blocks(&DEVICE_KEY, &mut data);
        // Scan back over the zero padding to the mandatory 0x80 marker (§2.5.3).
        let Some(marker) = data.iter().rposition(|&b| b != 0x00) else {
            return sw(0x6A80);
        };
        if data[marker] != 0x80 || marker == 0 || marker > 63 || data.len() - marker > 16 {
            return sw(0x6A80);
        }
        self.seed = Some(Zeroizing::new(data[..marker].to_vec()));
        sw(0x9000)
    }

    /// Checks auth, P1/P2, Lc and the MAC of a CLA 84 command; returns the body without the MAC.
    fn check_secure(
        &self,
        ins: u8,
        p1: u8,
        p2: u8,
        expected_p: (u8, u8),
        body: &[u8],
    ) -> Result<Vec<u8>, u16> {
        if !self.authenticated {
            return Err(0x6982);
        }
        if (p1, p2) != expected_p {
            return Err(0x6A86);
        }
        open_secure(&DEVICE_KEY, [ins, p1, p2], body)
    }
}
