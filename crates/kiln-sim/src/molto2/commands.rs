//! The Molto2 command set (§2.7) as the simulated device executes it.

use zeroize::Zeroizing;

use super::crypto::unpad;
use super::{Button, Ins, Pending, SimMolto2};
use crate::apdu::{
    expected_answer, info_reply, new_challenge, ok_with, open_secure, split_header, sw,
    unknown_instruction,
};
use crate::token::crypto::decrypt_blocks;
use crate::totp::Hash;

impl SimMolto2 {
    /// Processes one APDU; returns data ‖ SW.
    pub(super) fn execute(&mut self, apdu: &[u8]) -> Vec<u8> {
        let Some(([cla, ins, p1, p2], body)) = split_header(apdu) else {
            return sw(0x6700);
        };
        let Some(ins) = Ins::from_byte(ins) else {
            return unknown_instruction(cla);
        };
        let secure = matches!(
            ins,
            Ins::WriteSeed | Ins::WriteTitle | Ins::WriteConfig | Ins::ChangeKey
        );
        if cla != if secure { 0x84 } else { 0x80 } {
            return sw(0x6E00);
        }
        let reply = match ins {
            Ins::Read => self.read(p1, p2, body),
            Ins::GetChallenge => self.get_challenge(p1, p2, body),
            Ins::AnswerChallenge => self.answer_challenge(p1, p2, body),
            Ins::WriteSeed => self.write_seed(p1, p2, body),
            Ins::WriteTitle => self.write_title(p1, p2, body),
            Ins::WriteConfig => self.write_config(p1, p2, body),
            Ins::DeleteSeed => self.delete_seed(p1, p2, body),
            Ins::FactoryReset => self.ask_button(p1, p2, body, Pending::Reset),
            Ins::ChangeKey => self.change_key(p1, p2, body),
        };
        if reply.ends_with(&[0x90, 0x00]) || reply.ends_with(&[0x90, 0x60]) {
            self.executed.push(ins);
        }
        if reply.ends_with(&[0x90, 0x60]) && self.button == Button::PressedWhenAsked {
            self.press_button();
        }
        reply
    }

    fn profile_exists(&self, p2: u8) -> bool {
        usize::from(p2) < self.profiles.len()
    }

    fn read(&self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        match body {
            // GET INFO, Le = 00.
            [0x00] if (p1, p2) == (0, 0) => {
                info_reply(&self.serial, self.device_time_at(self.wall_now) as u32)
            }
            [0x01, 0x70] if p1 == 0 => self.read_profile(p2),
            // The case-3 read with Le appended is rejected (§2.3, hardware-observed).
            [0x01, 0x70, _] => sw(0x6FFB),
            _ => sw(0x6700),
        }
    }

    fn read_profile(&self, p2: u8) -> Vec<u8> {
        let Some(p) = self.profile(p2) else {
            return sw(0x6A86);
        };
        let mut out = vec![0x95, 0x1F, 0x70, 0x1D, 0x01];
        let mut title = p.title.clone();
        title.resize(16, 0);
        out.extend_from_slice(&title);
        let time = (self.device_time_at(self.wall_now) as u32).to_be_bytes();
        out.extend_from_slice(&time);
        out.extend_from_slice(&time);
        out.push(match p.hash {
            Hash::Sha1 => 1,
            Hash::Sha256 => 2,
        });
        out.push(p.step as u8);
        out.push(p.digits);
        out.push(u8::from(p.seed.is_some()));
        out.extend_from_slice(&[0x90, 0x00]);
        out
    }

    fn get_challenge(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        if (p1, p2) != (0x08, 0x00) || body != [0x00] {
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
        if self.attempts_left == 0 {
            return sw(0x6983);
        }
        if body[1..] == expected_answer(&self.key, &challenge) {
            self.authenticated = true;
            self.attempts_left = self.attempts_max;
            sw(0x9000)
        } else {
            self.attempts_left -= 1;
            sw(0x6300 | u16::from(self.attempts_left))
        }
    }

    /// Checks auth, P1, the profile, Lc and the MAC of a CLA 84 command; returns the body.
    fn check_secure(
        &self,
        ins: u8,
        p1: u8,
        p2: u8,
        want_p1: u8,
        body: &[u8],
    ) -> Result<Vec<u8>, u16> {
        if !self.authenticated {
            return Err(0x6982);
        }
        let profile_ok = if ins == 0xD7 {
            p2 == 0
        } else {
            self.profile_exists(p2)
        };
        if p1 != want_p1 || !profile_ok {
            return Err(0x6A86);
        }
        open_secure(&self.key, [ins, p1, p2], body)
    }

    fn write_seed(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let mut data = match self.check_secure(0xC5, p1, p2, 0x01, body) {
            Ok(data) => Zeroizing::new(data),
            Err(status) => return sw(status),
        };
        if !matches!(data.len(), 16 | 32 | 48 | 64) {
            return sw(0x6700);
        }
        decrypt_blocks(&self.key, &mut data);
        let seed = if data.iter().all(|&b| b == 0) {
            None // the all-zero seed clears the slot (§2.7)
        } else {
            match unpad(&data) {
                Some(seed) if !seed.is_empty() && seed.len() <= 63 => {
                    Some(Zeroizing::new(seed.to_vec()))
                }
                _ => return sw(0x6A80),
            }
        };
        self.profiles[usize::from(p2)].seed = seed;
        sw(0x9000)
    }

    fn write_title(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let mut data = match self.check_secure(0xD5, p1, p2, 0x00, body) {
            Ok(data) => data,
            Err(status) => return sw(status),
        };
        if data.len() != 16 {
            return sw(0x6700);
        }
        decrypt_blocks(&self.key, &mut data);
        match unpad(&data) {
            Some(title) if (1..=12).contains(&title.len()) => {
                self.profiles[usize::from(p2)].title = title.to_vec();
                sw(0x9000)
            }
            _ => sw(0x6A80),
        }
    }

    fn write_config(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let tlv = match self.check_secure(0xD4, p1, p2, 0x01, body) {
            Ok(tlv) => tlv,
            Err(status) => return sw(status),
        };
        let time_of = |t: &[u8]| u32::from_be_bytes([t[0], t[1], t[2], t[3]]);
        match tlv.as_slice() {
            [0x81, 0x06, 0x0F, 0x04, t @ ..] if t.len() == 4 => {
                self.clock_offset = i64::from(time_of(t)) - self.wall_now as i64;
                sw(0x9000)
            }
            [
                0x81,
                0x14,
                0x1F,
                0x01,
                d,
                0x0F,
                0x04,
                t0,
                t1,
                t2,
                t3,
                0x86,
                0x09,
                0x0A,
                0x01,
                a,
                0x0B,
                0x01,
                n,
                0x0D,
                0x01,
                s,
            ] => {
                let hash = match a {
                    1 => Hash::Sha1,
                    2 => Hash::Sha256,
                    _ => return sw(0x6A80),
                };
                if *d > 3 || !matches!(n, 4 | 6 | 8 | 10) || !matches!(s, 0x1E | 0x3C) {
                    return sw(0x6A80);
                }
                self.clock_offset =
                    i64::from(time_of(&[*t0, *t1, *t2, *t3])) - self.wall_now as i64;
                let p = &mut self.profiles[usize::from(p2)];
                p.hash = hash;
                p.step = u64::from(*s);
                p.digits = *n;
                p.display_code = *d;
                sw(0x9000)
            }
            _ => sw(0x6A80),
        }
    }

    fn delete_seed(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        if p1 != 0 || body != [0x00] {
            return sw(0x6700);
        }
        let Some(p) = self.profiles.get_mut(usize::from(p2)) else {
            return sw(0x6A86);
        };
        if p.seed.take().is_none() {
            return sw(0x6A83);
        }
        sw(0x9000)
    }

    fn ask_button(&mut self, p1: u8, p2: u8, body: &[u8], pending: Pending) -> Vec<u8> {
        if (p1, p2) != (0, 0) || body != [0x00] {
            return sw(0x6700);
        }
        self.pending = Some(pending);
        sw(0x9060)
    }

    fn change_key(&mut self, p1: u8, p2: u8, body: &[u8]) -> Vec<u8> {
        let mut data = match self.check_secure(0xD7, p1, p2, 0x00, body) {
            Ok(data) => Zeroizing::new(data),
            Err(status) => return sw(status),
        };
        if data.len() != 32 {
            return sw(0x6700);
        }
        decrypt_blocks(&self.key, &mut data);
        if data[0] != 0x00 || data[17] != 0x80 || data[18..].iter().any(|&b| b != 0) {
            return sw(0x6A80);
        }
        let mut key = [0u8; 16];
        key.copy_from_slice(&data[1..17]);
        self.pending = Some(Pending::NewKey(key));
        sw(0x9060)
    }
}
