//! Pairing: the one-time code the bridge prints and the user types into the page, and the
//! session token the page gets for it. Both come from the operating system's random number
//! generator and are compared in constant time, so neither guessing speed nor timing tells an
//! attacker anything.
//!
//! A code pairs one page and is then replaced; after [`WRONG_CODES_BEFORE_NEW`] wrong codes in
//! total (over every connection) it is replaced too, so guessing across many connections gains
//! nothing.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Wrong codes (all connections together) after which the code is replaced.
pub const WRONG_CODES_BEFORE_NEW: u32 = 10;

/// The random number generator failed: the bridge cannot make codes that are safe to use.
#[derive(Debug)]
pub struct NoRandomness;

/// A six-digit code, `000000`–`999999`, uniformly drawn.
#[derive(Clone)]
pub struct PairingCode(Zeroizing<String>);

impl PairingCode {
    /// A fresh code from the OS random number generator.
    pub fn generate() -> Result<PairingCode, NoRandomness> {
        // Rejection sampling: 4 294 000 000 is the largest multiple of 10^6 below 2^32.
        loop {
            let mut bytes = [0u8; 4];
            getrandom::fill(&mut bytes).map_err(|_| NoRandomness)?;
            let value = u32::from_le_bytes(bytes);
            if value < 4_294_000_000 {
                return Ok(PairingCode(Zeroizing::new(format!(
                    "{:06}",
                    value % 1_000_000
                ))));
            }
        }
    }

    /// The code as the user reads it: `482 913`.
    pub fn spaced(&self) -> String {
        format!("{} {}", &self.0[..3], &self.0[3..])
    }

    /// True when `typed` is this code (spaces ignored), compared in constant time.
    pub fn matches(&self, typed: &str) -> bool {
        let typed: Zeroizing<String> =
            Zeroizing::new(typed.chars().filter(|c| *c != ' ').collect());
        bool::from(typed.as_bytes().ct_eq(self.0.as_bytes()))
    }
}

/// A session token: 16 random bytes as 32 lower-case hex digits.
pub struct SessionToken(Zeroizing<String>);

impl SessionToken {
    /// A fresh token from the OS random number generator.
    pub fn generate() -> Result<SessionToken, NoRandomness> {
        let mut bytes = Zeroizing::new([0u8; 16]);
        getrandom::fill(bytes.as_mut()).map_err(|_| NoRandomness)?;
        Ok(SessionToken(Zeroizing::new(hex::encode(&bytes[..]))))
    }

    /// The token to send to the page.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `given` is this token, compared in constant time.
    pub fn matches(&self, given: &str) -> bool {
        bool::from(given.as_bytes().ct_eq(self.0.as_bytes()))
    }
}

/// What happened to a pairing attempt.
pub enum Attempt {
    /// The code was right: it is used up; `next` is the code for the next page.
    Paired {
        /// The code that replaces the used one.
        next: PairingCode,
    },
    /// The code was wrong; `replaced` holds the new code when too many wrong codes made the
    /// bridge replace it.
    Wrong {
        /// The new code, when the old one was replaced.
        replaced: Option<PairingCode>,
    },
}

/// The current code and the count of wrong codes typed against it (shared by every
/// connection, behind a mutex).
pub struct Pairing {
    code: PairingCode,
    wrong: u32,
}

impl Pairing {
    /// The state with a fresh code.
    pub fn new() -> Result<Pairing, NoRandomness> {
        Ok(Pairing {
            code: PairingCode::generate()?,
            wrong: 0,
        })
    }

    /// The current code.
    pub fn code(&self) -> &PairingCode {
        &self.code
    }

    /// Checks `typed`; a right code is used up, and too many wrong ones replace it.
    pub fn attempt(&mut self, typed: &str) -> Result<Attempt, NoRandomness> {
        if self.code.matches(typed) {
            self.code = PairingCode::generate()?;
            self.wrong = 0;
            return Ok(Attempt::Paired {
                next: self.code.clone(),
            });
        }
        self.wrong += 1;
        if self.wrong < WRONG_CODES_BEFORE_NEW {
            return Ok(Attempt::Wrong { replaced: None });
        }
        self.code = PairingCode::generate()?;
        self.wrong = 0;
        Ok(Attempt::Wrong {
            replaced: Some(self.code.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50)
            .map(|_| PairingCode::generate().unwrap().0.to_string())
            .collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 40, "{codes:?}");
    }

    #[test]
    fn a_right_code_pairs_once_and_is_replaced() {
        let mut pairing = Pairing::new().unwrap();
        let code = pairing.code().0.to_string();
        assert!(pairing.code().matches(&pairing.code().spaced()));
        let Attempt::Paired { next } = pairing.attempt(&code).unwrap() else {
            panic!("the right code pairs");
        };
        assert!(next.matches(pairing.code().0.as_str()));
        // The used code no longer works (unless the new one happens to be equal: 1 in 10^6).
        if next.0.as_str() != code {
            assert!(matches!(
                pairing.attempt(&code).unwrap(),
                Attempt::Wrong { replaced: None }
            ));
        }
    }

    #[test]
    fn ten_wrong_codes_replace_the_code() {
        let mut pairing = Pairing::new().unwrap();
        let right = pairing.code().0.to_string();
        let wrong = if right == "000000" {
            "000001"
        } else {
            "000000"
        };
        for _ in 1..WRONG_CODES_BEFORE_NEW {
            assert!(matches!(
                pairing.attempt(wrong).unwrap(),
                Attempt::Wrong { replaced: None }
            ));
        }
        let Attempt::Wrong {
            replaced: Some(new),
        } = pairing.attempt(wrong).unwrap()
        else {
            panic!("the tenth wrong code replaces the code");
        };
        assert!(new.matches(pairing.code().0.as_str()));
    }

    #[test]
    fn tokens_are_32_hex_digits_and_match_only_themselves() {
        let token = SessionToken::generate().unwrap();
        assert_eq!(token.as_str().len(), 32);
        assert!(token.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(token.matches(token.as_str()));
        assert!(!token.matches(&token.as_str()[..31]));
        assert!(!token.matches(""));
        assert!(!token.matches(SessionToken::generate().unwrap().as_str()));
    }
}
