//! `kiln burn --dry-run`: the exact APDUs a burn would send, without a device, for auditing.
//!
//! The real burn session runs against a stand-in token that reports `--serial` (with `--time`
//! as its clock), answers GET CHALLENGE with `--challenge` and acknowledges everything else; the
//! clock written is `--time`. Because it is the same session, an unknown serial is refused the
//! same way: only GET INFO is printed.
//!
//! WRITE SEED's body is the seed encrypted under the published device key, so anyone who reads
//! it has the secret. It is printed as `XX` per byte (header, Lc and MAC stay visible, so the
//! shape can still be audited) unless `--reveal` asks for it.

use std::fmt::Write;

use kiln_core::token::{Command, CommandKind, Next, Outcome, Session};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::burn_plan::BurnPlan;
use crate::cli::BurnArgs;
use crate::device::session_error;
use crate::exit::CliError;
use crate::output::{Done, Output};

/// Prints the burn's APDUs.
pub fn run(plan: &BurnPlan, args: &BurnArgs, output: Output) -> Result<Done, CliError> {
    let (Some(serial), Some(challenge), Some(time)) = (&args.serial, args.challenge, args.time)
    else {
        return Err(CliError::usage(
            "dry_run_needs_token",
            "--dry-run needs --serial, --challenge and --time.",
        ));
    };
    let stand_in = StandIn {
        serial: serial.clone(),
        challenge,
        time,
    };
    let mut session = Session::burn(&plan.account.secret, plan.settings)
        .map_err(|e| CliError::not_burnable("seed_rejected", e.to_string()))?;
    let mut apdus: Vec<(CommandKind, Zeroizing<String>)> = Vec::new();
    while let Next::Send(command) = session.next(u64::from(time)) {
        apdus.push((command.kind(), apdu_hex(&command, args.reveal)));
        session.on_reply(&stand_in.reply(&command));
    }
    let report = session.report();
    let listed: Vec<Value> = apdus.iter().map(|(_, hex)| json!(hex.as_str())).collect();
    let mut human = String::new();
    for (kind, hex) in &apdus {
        human.push_str(&format!("{:<17} {}\n", name(*kind), hex.as_str()));
    }
    if report.outcome() != Outcome::Success {
        return Err(session_error(&report).with_fields(json!({"apdus": listed})));
    }
    human.truncate(human.trim_end().len());
    if !args.reveal {
        output.note(
            "The body of WRITE SEED is shown as XX: it is the seed encrypted under a published \
             key, so anyone could decrypt it. Add --reveal to show it.",
        );
    }
    Ok(Done::success(
        json!({
            "apdus": listed,
            "seed_body_revealed": args.reveal,
            "serial": serial,
            "model": report.model.map(|m| m.name()),
            "account": plan.describe_json(),
        }),
        human,
    ))
}

/// A command as upper-case hex; WRITE SEED's body (between Lc and the 4-byte MAC) as `XX` per
/// byte unless `reveal`.
fn apdu_hex(command: &Command, reveal: bool) -> Zeroizing<String> {
    let bytes = command.bytes();
    let mut out = Zeroizing::new(String::with_capacity(bytes.len() * 2));
    let body = 5..bytes.len().saturating_sub(4);
    for (i, byte) in bytes.iter().enumerate() {
        if command.kind() == CommandKind::WriteSeed && !reveal && body.contains(&i) {
            out.push_str("XX");
        } else {
            // The buffer never grows, so no copy is left behind in freed memory.
            let _ = write!(out, "{byte:02X}");
        }
    }
    out
}

/// The token the dry run talks to.
struct StandIn {
    serial: String,
    challenge: [u8; 8],
    time: u32,
}

impl StandIn {
    fn reply(&self, command: &Command) -> Vec<u8> {
        let mut reply = match command.kind() {
            CommandKind::GetInfo => self.info(),
            CommandKind::GetChallenge => self.challenge.to_vec(),
            CommandKind::AnswerChallenge | CommandKind::WriteConfig | CommandKind::WriteSeed => {
                Vec::new()
            }
        };
        reply.extend_from_slice(&[0x90, 0x00]);
        reply
    }

    /// `95 L | 02 N serial | 11 04 time` (protocol §2.5.1).
    fn info(&self) -> Vec<u8> {
        let serial = self.serial.as_bytes();
        // Serials longer than a TLV length byte cannot be reported; the session rejects the
        // truncated answer like any unreadable GET INFO.
        let n = u8::try_from(serial.len()).unwrap_or(u8::MAX);
        let mut tlv = vec![0x02, n];
        tlv.extend_from_slice(serial.get(..usize::from(n)).unwrap_or(serial));
        tlv.extend_from_slice(&[0x11, 0x04]);
        tlv.extend_from_slice(&self.time.to_be_bytes());
        let mut out = vec![0x95, u8::try_from(tlv.len()).unwrap_or(u8::MAX)];
        out.extend_from_slice(&tlv);
        out
    }
}

fn name(kind: CommandKind) -> &'static str {
    match kind {
        CommandKind::GetInfo => "GET INFO",
        CommandKind::GetChallenge => "GET CHALLENGE",
        CommandKind::AnswerChallenge => "ANSWER CHALLENGE",
        CommandKind::WriteConfig => "WRITE CONFIG",
        CommandKind::WriteSeed => "WRITE SEED",
    }
}
