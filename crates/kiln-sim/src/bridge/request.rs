//! The bridge's requests, one JSON object per line (see [`super`] for the protocol).

use serde::Deserialize;

use crate::token::{Fault, Ins, SimToken, StoredSettings};
use crate::totp::Hash;

/// One request line.
#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Plug in a new reader with a new token on it (replaces any previous one).
    Device(DeviceSpec),
    /// One bulk OUT write.
    Out {
        /// The bytes, hex (empty for a zero-length packet).
        hex: String,
    },
    /// One bulk IN read.
    In,
    /// Token snapshot and reader state.
    State,
    /// Schedule a token or reader fault.
    Fault(FaultSpec),
    /// The token leaves the reader.
    RemoveToken,
    /// The token comes back onto the reader.
    PutBackToken,
    /// Pull the reader's cable.
    Unplug,
    /// Plug the reader back in.
    PlugIn,
    /// Another token is put on the same reader (the old one leaves): the page's USB connection
    /// stays open, as when an operator swaps tokens during a batch.
    ReplaceToken(TokenSpec),
}

/// The `replace_token` request: the new token, described like the `device` request's token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// The new token's serial (its prefix decides the model).
    pub serial: String,
    /// A seed already on the token (hex).
    #[serde(default)]
    pub seed_hex: Option<String>,
    /// The old seed's algorithm: `SHA1` (default) or `SHA256`.
    #[serde(default)]
    pub algorithm: Option<String>,
    /// The old seed's period, 30 (default) or 60.
    #[serde(default)]
    pub period: Option<u64>,
    /// The token's clock minus the host's, in seconds.
    #[serde(default)]
    pub clock_offset: i64,
}

impl TokenSpec {
    /// The token, at wall-clock time `wall_now`.
    pub fn token(&self, wall_now: u64) -> Result<SimToken, String> {
        if self.serial.is_empty() || self.serial.len() > 32 {
            return Err("replace_token: `serial` must be 1 to 32 characters".into());
        }
        let mut token = SimToken::new(&self.serial, wall_now).with_clock_offset(self.clock_offset);
        if let Some((seed, settings)) = old_seed(
            self.seed_hex.as_deref(),
            self.algorithm.as_deref(),
            self.period,
        )? {
            token = token.with_seed(&seed, settings);
        }
        Ok(token)
    }
}

/// Which simulated reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReaderKind {
    /// A PN533 (StickID, SCL3711): raw PN533 frames.
    Pn533,
    /// A CCID (smart-card class) reader such as an ACR122U.
    Ccid,
    /// A PN532 board on a serial line (HSU, 115 200 8N1): `out` writes bytes to the line, `in`
    /// returns some of the bytes the board sent (no packets).
    Pn532,
}

/// The `device` request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSpec {
    /// `pn533`, `ccid` or `pn532`.
    pub reader: ReaderKind,
    /// The token's serial; its 7-digit prefix decides the model, as on real tokens (8659622…
    /// is an OTPC-P2-i, which erases its seed when its clock is set).
    pub serial: String,
    /// A seed already on the token (hex), to see what happens to an old seed.
    #[serde(default)]
    pub seed_hex: Option<String>,
    /// The old seed's algorithm: `SHA1` (default) or `SHA256`.
    #[serde(default)]
    pub algorithm: Option<String>,
    /// The old seed's period, 30 (default) or 60.
    #[serde(default)]
    pub period: Option<u64>,
    /// The token's clock minus the host's, in seconds.
    #[serde(default)]
    pub clock_offset: i64,
    /// Seed of the challenge generator.
    #[serde(default)]
    pub rng_seed: Option<u64>,
    /// Older firmware: lock for good after this many wrong authentications.
    #[serde(default)]
    pub lockout_after: Option<u32>,
    /// PN533: ignore the first command after plug-in, as some chips do.
    #[serde(default)]
    pub drop_first_command: bool,
    /// PN533: most reply bytes per `InDataExchange` response (forces MI chaining when small).
    #[serde(default)]
    pub reply_chunk: Option<usize>,
    /// CCID: time-extension answers before each XfrBlock reply.
    #[serde(default)]
    pub time_extensions: u8,
    /// PN532: most bytes one `in` returns (the board's answers split and join at random sizes
    /// up to this).
    #[serde(default)]
    pub max_read: Option<usize>,
    /// PN532: seed of those sizes.
    #[serde(default)]
    pub read_seed: Option<u64>,
}

impl DeviceSpec {
    /// The old seed and its settings, if one was asked for.
    pub fn old_seed(&self) -> Result<Option<(Vec<u8>, StoredSettings)>, String> {
        old_seed(
            self.seed_hex.as_deref(),
            self.algorithm.as_deref(),
            self.period,
        )
    }
}

/// An old seed and its settings from the request's fields, if one was asked for.
fn old_seed(
    seed_hex: Option<&str>,
    algorithm: Option<&str>,
    period: Option<u64>,
) -> Result<Option<(Vec<u8>, StoredSettings)>, String> {
    let Some(seed_hex) = seed_hex else {
        return Ok(None);
    };
    let seed = hex::decode(seed_hex).map_err(|e| format!("seed_hex: {e}"))?;
    let hash = match algorithm.unwrap_or("SHA1") {
        "SHA1" => Hash::Sha1,
        "SHA256" => Hash::Sha256,
        other => return Err(format!("algorithm: {other} is not SHA1 or SHA256")),
    };
    let step_seconds = match period.unwrap_or(30) {
        step @ (30 | 60) => step,
        other => return Err(format!("period: {other} is not 30 or 60")),
    };
    let settings = StoredSettings {
        hash,
        step_seconds,
        ..StoredSettings::default()
    };
    Ok(Some((seed, settings)))
}

/// The `fault` request: either a token fault (`ins` + `fault`) or a reader fault (`reader`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// The instruction the token fault applies to: `get_info`, `get_challenge`,
    /// `answer_challenge`, `write_config`, `write_seed`.
    #[serde(default)]
    pub ins: Option<String>,
    /// `mute_before`, `mute_after`, `removed_before`, `removed_after`, `status` or
    /// `status_after` (with `status`), `garbage_before`, `garbage_after` (with `hex`), or
    /// `unplug_reader_after`.
    #[serde(default)]
    pub fault: Option<String>,
    /// The status word for `status`, hex (`"6983"`).
    #[serde(default)]
    pub status: Option<String>,
    /// The bytes for the garbage faults, hex.
    #[serde(default)]
    pub hex: Option<String>,
    /// A reader fault: `unplug_after_next_command`, `stall_next_response`,
    /// `garble_next_response`, `corrupt_next_response` (PN533, PN532), `nack_next_command`
    /// (PN533, PN532), `noise_before_next_answer` (PN532), `delay_next_reply`,
    /// `late_next_reply` (CCID).
    #[serde(default)]
    pub reader: Option<String>,
}

/// What a fault request asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultPlan {
    /// A token fault on the next command with this instruction.
    Token(Ins, Fault),
    /// Unplug the reader once the token executed the next command with this instruction.
    UnplugReaderAfter(Ins),
    /// A reader fault, by name.
    Reader(String),
}

impl FaultSpec {
    /// Checks the request.
    pub fn plan(&self) -> Result<FaultPlan, String> {
        if let Some(reader) = &self.reader {
            if self.ins.is_some() || self.fault.is_some() {
                return Err("a fault is either `reader` or `ins` + `fault`, not both".into());
            }
            return Ok(FaultPlan::Reader(reader.clone()));
        }
        let (Some(ins), Some(fault)) = (&self.ins, &self.fault) else {
            return Err("a token fault needs `ins` and `fault`".into());
        };
        let ins = parse_ins(ins)?;
        let bytes = || -> Result<Vec<u8>, String> {
            let text = self.hex.as_deref().ok_or("this fault needs `hex`")?;
            hex::decode(text).map_err(|e| format!("hex: {e}"))
        };
        let fault = match fault.as_str() {
            "mute_before" => Fault::MuteBeforeExecuting,
            "mute_after" => Fault::MuteAfterExecuting,
            "removed_before" => Fault::RemovedBeforeExecuting,
            "removed_after" => Fault::RemovedAfterExecuting,
            "status" => Fault::Status(self.status_word()?),
            "status_after" => Fault::StatusAfterExecuting(self.status_word()?),
            "garbage_before" => Fault::GarbageBeforeExecuting(bytes()?),
            "garbage_after" => Fault::GarbageAfterExecuting(bytes()?),
            "unplug_reader_after" => return Ok(FaultPlan::UnplugReaderAfter(ins)),
            other => return Err(format!("unknown token fault `{other}`")),
        };
        Ok(FaultPlan::Token(ins, fault))
    }

    fn status_word(&self) -> Result<u16, String> {
        let text = self
            .status
            .as_deref()
            .ok_or("`status` and `status_after` need a status word")?;
        u16::from_str_radix(text, 16)
            .map_err(|_| format!("status: {text} is not a 4-digit hex status word"))
    }
}

/// `get_info` … `write_seed` (also accepts the enum names, `GetInfo` …).
pub fn parse_ins(name: &str) -> Result<Ins, String> {
    let normalized: String = name
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    Ok(match normalized.as_str() {
        "getinfo" => Ins::GetInfo,
        "getchallenge" => Ins::GetChallenge,
        "answerchallenge" => Ins::AnswerChallenge,
        "writeconfig" => Ins::WriteConfig,
        "writeseed" => Ins::WriteSeed,
        _ => return Err(format!("unknown instruction `{name}`")),
    })
}
