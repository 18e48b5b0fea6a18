//! TOTP and token settings shared by the input side ([`crate::otp`]) and the token side
//! ([`crate::token`]). Only values a Token2 single-profile token supports can be represented.

use core::fmt;

/// HMAC algorithm of the TOTP. Token2 single-profile tokens support SHA-1 and SHA-256 only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1 (the otpauth default).
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
}

impl Algorithm {
    /// Name as written in otpauth URIs and shown to users: `SHA1` or `SHA256`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// TOTP time step. Token2 single-profile tokens support 30 s and 60 s only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    /// 30 seconds (the otpauth default).
    #[default]
    S30,
    /// 60 seconds.
    S60,
}

impl Period {
    /// The step length in seconds.
    pub fn seconds(self) -> u64 {
        match self {
            Period::S30 => 30,
            Period::S60 => 60,
        }
    }

    /// The period for a number of seconds, if a token supports it.
    pub fn from_seconds(seconds: u64) -> Option<Period> {
        match seconds {
            30 => Some(Period::S30),
            60 => Some(Period::S60),
            _ => None,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.seconds())
    }
}

/// How long the token's display stays on after the button is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DisplayTimeout {
    /// 15 seconds.
    S15,
    /// 30 seconds (the vendor app's default).
    #[default]
    S30,
    /// 60 seconds.
    S60,
    /// 120 seconds.
    S120,
}

impl DisplayTimeout {
    /// Every supported value, shortest first.
    pub const ALL: [DisplayTimeout; 4] = [
        DisplayTimeout::S15,
        DisplayTimeout::S30,
        DisplayTimeout::S60,
        DisplayTimeout::S120,
    ];

    /// The timeout in seconds.
    pub fn seconds(self) -> u32 {
        match self {
            DisplayTimeout::S15 => 15,
            DisplayTimeout::S30 => 30,
            DisplayTimeout::S60 => 60,
            DisplayTimeout::S120 => 120,
        }
    }

    /// The timeout for a number of seconds, if a token supports it.
    pub fn from_seconds(seconds: u32) -> Option<DisplayTimeout> {
        DisplayTimeout::ALL
            .into_iter()
            .find(|d| d.seconds() == seconds)
    }
}

impl fmt::Display for DisplayTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.seconds())
    }
}
