//! `kiln molto2 … --dry-run`: the exact APDUs a Molto2 session would send, without a device.
//!
//! The real session runs against a stand-in Molto2 that reports `--serial` with `--time` as its
//! clock, shows every profile empty, answers GET CHALLENGE with `--challenge`, acknowledges the
//! writes and answers `90 60` (waiting for ▲) to factory reset and key change. WRITE SEED and
//! CHANGE KEY bodies are printed as `XX` unless `--reveal`: they are encrypted under a key
//! derived from a customer key that is often the published factory one.

use std::fmt::Write;

use kiln_core::molto2::apdu::{Command, CommandKind};
use kiln_core::molto2::{Next, Report, Session};
use zeroize::Zeroizing;

use super::molto2_args::CommonArgs;
use crate::exit::CliError;

/// Runs `session` against the stand-in; returns its report and the APDUs as hex.
pub fn run(
    common: &CommonArgs,
    mut session: Session,
) -> Result<(Report, Vec<Zeroizing<String>>), CliError> {
    let (Some(serial), Some(time)) = (&common.serial, common.time) else {
        return Err(CliError::usage(
            "dry_run_needs_token",
            "--dry-run needs --serial and --time (and --challenge when the key is used).",
        ));
    };
    let challenge = match &common.challenge {
        Some(text) => Some(parse_challenge(text)?),
        None => None,
    };
    let mut apdus = Vec::new();
    while let Next::Send(command) = session.next(u64::from(time)) {
        apdus.push(apdu_hex(&command, common.reveal));
        let reply = match command.kind() {
            CommandKind::GetInfo => info(serial, time),
            CommandKind::ReadProfile => empty_profile(),
            CommandKind::GetChallenge => {
                let Some(challenge) = challenge else {
                    return Err(CliError::usage(
                        "dry_run_needs_challenge",
                        "This command authenticates: give the stand-in's --challenge (16 hex \
                         digits).",
                    ));
                };
                let mut reply = challenge.to_vec();
                reply.extend_from_slice(&[0x90, 0x00]);
                reply
            }
            CommandKind::FactoryReset | CommandKind::ChangeKey => vec![0x90, 0x60],
            _ => vec![0x90, 0x00],
        };
        session.on_reply(&reply);
    }
    Ok((session.report(), apdus))
}

fn parse_challenge(text: &str) -> Result<[u8; 8], CliError> {
    hex::decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 8]>::try_from(bytes.as_slice()).ok())
        .ok_or_else(|| {
            CliError::usage(
                "bad_challenge",
                "The challenge must be 16 hexadecimal digits (8 bytes).",
            )
        })
}

/// Upper-case hex; secret-bearing bodies as `XX` unless `reveal`.
fn apdu_hex(command: &Command, reveal: bool) -> Zeroizing<String> {
    let bytes = command.bytes();
    let hide = !reveal
        && matches!(
            command.kind(),
            CommandKind::WriteSeed | CommandKind::ChangeKey
        );
    let body = 5..bytes.len().saturating_sub(4);
    let mut out = Zeroizing::new(String::with_capacity(bytes.len() * 2));
    for (i, byte) in bytes.iter().enumerate() {
        if hide && body.contains(&i) {
            out.push_str("XX");
        } else {
            let _ = write!(out, "{byte:02X}");
        }
    }
    out
}

/// `95 L | 02 N serial | 11 04 time | 90 00`.
fn info(serial: &str, time: u32) -> Vec<u8> {
    let serial = serial.as_bytes();
    let n = u8::try_from(serial.len()).unwrap_or(u8::MAX);
    let mut tlv = vec![0x02, n];
    tlv.extend_from_slice(serial.get(..usize::from(n)).unwrap_or(serial));
    tlv.extend_from_slice(&[0x11, 0x04]);
    tlv.extend_from_slice(&time.to_be_bytes());
    let mut out = vec![0x95, u8::try_from(tlv.len()).unwrap_or(u8::MAX)];
    out.extend_from_slice(&tlv);
    out.extend_from_slice(&[0x90, 0x00]);
    out
}

/// An empty profile with the defaults (SHA-1, 30 s, 6 digits, no seed).
fn empty_profile() -> Vec<u8> {
    let mut out = vec![0x95, 0x1F, 0x70, 0x1D, 0x01];
    out.extend_from_slice(&[0; 16 + 8]);
    out.extend_from_slice(&[0x01, 0x1E, 0x06, 0x00, 0x90, 0x00]);
    out
}
