//! `kiln molto2 …`: Token2 Molto2 multi-profile tokens over PC/SC, with kiln-core's Molto2
//! sessions. This file holds what the subcommands share: finding the Molto2 by reader name,
//! the customer key, running a session, and turning its report into output and an exit status.

use kiln_core::molto2::{
    CustomerKey, Failure, Outcome, ProfileNumber, Report, Session, is_molto2_reader, session_runner,
};
use kiln_pcsc::{Connection, Pcsc};
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::molto2_args::{CommonArgs, Molto2Args, Molto2Command};
use super::{molto2_admin, molto2_burn, molto2_dry_run};
use crate::clock;
use crate::exit::{CliError, Exit};
use crate::output::{Done, Output};
use crate::pcsc_errors::pcsc_error;
use crate::secret_input::read_stdin;

/// Environment variable holding the customer key (never echoed, never on the command line).
pub const KEY_ENV: &str = "KILN_MOLTO2_KEY";
/// Environment variable holding the new customer key for `set-key`.
pub const NEW_KEY_ENV: &str = "KILN_MOLTO2_NEW_KEY";

/// Runs `kiln molto2 …`.
pub fn run(args: Molto2Args, output: Output) -> Result<Done, CliError> {
    match args.command {
        Molto2Command::List(common) => molto2_admin::list(&common, output),
        Molto2Command::Burn(burn) => molto2_burn::run(burn, output),
        Molto2Command::Delete(args) => molto2_admin::delete(&args, output),
        Molto2Command::SyncTime(args) => molto2_admin::sync_time(&args, output),
        Molto2Command::SetKey(common) => molto2_admin::set_key(&common, output),
        Molto2Command::Reset(common) => molto2_admin::reset(&common, output),
    }
}

/// A profile number from the command line.
pub fn profile(number: u8) -> Result<ProfileNumber, CliError> {
    ProfileNumber::new(number).ok_or_else(|| {
        CliError::usage(
            "bad_profile",
            format!("There is no profile {number}: a Molto2 has 0–49, a Molto2v2 0–99."),
        )
    })
}

/// The customer key: KILN_MOLTO2_KEY, else asked for with --key, else the factory key.
pub fn customer_key(common: &CommonArgs, stdin_used: bool) -> Result<CustomerKey, CliError> {
    key_from(
        KEY_ENV,
        common.key,
        stdin_used,
        "Type the Molto2's customer key",
    )
    .map(|key| key.unwrap_or_else(CustomerKey::factory_default))
}

/// A key from `env`, or from the terminal when `ask`; `None` when neither.
pub fn key_from(
    env: &str,
    ask: bool,
    stdin_used: bool,
    prompt: &str,
) -> Result<Option<CustomerKey>, CliError> {
    let text = match std::env::var(env) {
        Ok(text) => zeroize::Zeroizing::new(text),
        Err(_) if !ask => return Ok(None),
        Err(_) if stdin_used => {
            return Err(CliError::usage(
                "key_needs_input",
                format!("Standard input already carries the secret: give the key in {env}."),
            ));
        }
        Err(_) => read_stdin(prompt)?,
    };
    CustomerKey::parse(&text)
        .map(Some)
        .map_err(|e| CliError::usage("bad_key", e.to_string()))
}

/// The connected Molto2.
pub struct Molto2Device {
    /// The reader's name.
    pub reader: String,
    connection: Connection,
}

impl Molto2Device {
    /// `--reader`, or the one reader whose name says Molto2 and holds a card.
    pub fn open(wanted: Option<&str>) -> Result<Molto2Device, CliError> {
        let pcsc = Pcsc::establish().map_err(|e| pcsc_error(e, None))?;
        let readers = pcsc.readers().map_err(|e| pcsc_error(e, None))?;
        let names: Vec<&str> = readers.iter().map(|r| r.name.as_str()).collect();
        let candidates: Vec<usize> = match wanted {
            Some(wanted) => {
                let lower = wanted.to_lowercase();
                (0..readers.len())
                    .filter(|&i| names[i] == wanted || names[i].to_lowercase().contains(&lower))
                    .collect()
            }
            None => (0..readers.len())
                .filter(|&i| is_molto2_reader(names[i]) && readers[i].card_present)
                .collect(),
        };
        let index = match candidates.as_slice() {
            [one] => *one,
            [] => {
                return Err(CliError::device(
                    "no_molto2",
                    format!(
                        "No Molto2 was found. Readers: {}. Plug the Molto2 in (its reader name \
                         contains \"Molto2\"), or name it with --reader.",
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    ),
                ));
            }
            _ => {
                return Err(CliError::usage(
                    "several_molto2",
                    "Several readers match: name the one to use with --reader.",
                ));
            }
        };
        let Some(reader) = readers.into_iter().nth(index) else {
            return Err(crate::pcsc_errors::no_reader());
        };
        if !is_molto2_reader(&reader.name) {
            return Err(CliError::usage(
                "not_a_molto2_reader",
                format!(
                    "\"{}\" is not a Molto2 (its name does not contain \"Molto2\"). kiln sends \
                     Molto2 commands only to a Molto2; use `kiln burn` for single-profile tokens.",
                    reader.name
                ),
            ));
        }
        let connection = pcsc
            .connect(&reader)
            .map_err(|e| pcsc_error(e, Some(&reader.name)))?;
        Ok(Molto2Device {
            reader: reader.name,
            connection,
        })
    }

    /// Runs `session` to its end with this computer's clock.
    pub fn run(&mut self, session: Session) -> Result<Report, CliError> {
        self.connection
            .with_link(|link| {
                pollster::block_on(session_runner::run_session(
                    session,
                    link,
                    &clock::now_unix,
                    |_| {},
                ))
            })
            .map_err(|e| pcsc_error(e, Some(&self.reader)))
    }
}

/// A session's report, and with `--dry-run` the APDUs it sent (hex, bodies redacted).
pub struct Ran {
    /// What happened.
    pub report: Report,
    /// The APDUs of a dry run.
    pub apdus: Option<Vec<Zeroizing<String>>>,
}

/// Runs `session` on the device, or against the dry run's stand-in with `--dry-run`.
pub fn execute(common: &CommonArgs, session: Session) -> Result<Ran, CliError> {
    if common.dry_run {
        let (report, apdus) = molto2_dry_run::run(common, session)?;
        return Ok(Ran {
            report,
            apdus: Some(apdus),
        });
    }
    let mut device = Molto2Device::open(common.reader.as_deref())?;
    Ok(Ran {
        report: device.run(session)?,
        apdus: None,
    })
}

/// The exit status for a report: 0 success, 5 unknown or not confirmed, 4 otherwise.
pub fn exit_for(report: &Report) -> Exit {
    match report.outcome() {
        Outcome::Success => Exit::Success,
        Outcome::NotConfirmed | Outcome::Unknown => Exit::Unknown,
        Outcome::Failed => Exit::Device,
    }
}

/// A stable name for why a session stopped.
pub fn failure_code(report: &Report) -> &'static str {
    match &report.failure {
        None if report.outcome() == Outcome::NotConfirmed => "not_confirmed",
        None => "failed",
        Some(failure) => match failure {
            Failure::Link { .. } => "link",
            Failure::Refused { .. } => "refused",
            Failure::WrongKey { .. } => "wrong_key",
            Failure::UnclearStatus { .. } => "unclear_status",
            Failure::BadReply { .. } => "bad_reply",
            Failure::UnreadableInfo(_) => "unknown_device",
            Failure::NotAMolto2 { .. } => "not_a_molto2",
            Failure::UnreadableRecord { .. } => "unreadable_profile",
            Failure::NoSuchProfile { .. } => "no_such_profile",
            Failure::ProfileOccupied { .. } => "profile_occupied",
            Failure::DifferentToken { .. } => "different_token",
            Failure::ClockOutOfRange => "clock_out_of_range",
            Failure::OutOfOrder => "internal_error",
        },
    }
}

/// The report as JSON: outcome, every step with its status, serial and clock, summary.
pub fn report_json(report: &Report) -> Value {
    let steps: Vec<Value> = report
        .steps
        .iter()
        .map(|(step, status)| {
            json!({
                "step": step.code(),
                "profile": step.profile().map(ProfileNumber::get),
                "status": status.code(),
            })
        })
        .collect();
    let attempts_left = match report.failure {
        Some(Failure::WrongKey { remaining }) => Some(remaining),
        _ => None,
    };
    json!({
        "outcome": report.outcome().code(),
        "serial": report.info.as_ref().map(|i| i.serial.clone()),
        "device_time": report.info.as_ref().map(|i| i.device_time),
        "written_clock": report.written_clock,
        "attempts_left": attempts_left,
        "steps": steps,
        "summary": report.summary(),
    })
}

/// Success, or the error carrying the report. A dry run's APDUs come first in the text and
/// as `apdus` in JSON.
pub fn finish(ran: &Ran, extra: Value, human: &str) -> Result<Done, CliError> {
    let report = &ran.report;
    let mut json = report_json(report);
    let mut text = String::new();
    if let Value::Object(map) = &mut json {
        if let Value::Object(more) = extra {
            map.extend(more);
        }
        if let Some(apdus) = &ran.apdus {
            let listed: Vec<Value> = apdus.iter().map(|a| json!(a.as_str())).collect();
            map.insert("apdus".to_string(), Value::Array(listed));
            for apdu in apdus {
                text.push_str(apdu);
                text.push('\n');
            }
        }
    }
    match exit_for(report) {
        Exit::Success => {
            text.push_str(human);
            Ok(Done::success(json, text))
        }
        exit => {
            let message = format!("{text}{}", report.summary());
            Err(
                CliError::new(exit, failure_code(report), message.trim().to_string())
                    .with_fields(json),
            )
        }
    }
}
