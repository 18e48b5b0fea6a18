//! `kiln info`: serial number, model, restricted-sync flag and clock of the token on the reader.
//! Sends GET INFO only. Also the drift verdict for the account's period and, when the clock is
//! worth fixing, the repair for this model (kiln-core `token::drift`).

use serde_json::json;

use kiln_core::token::{DriftCheck, DriftVerdict, repair_plan};

use crate::clock;
use crate::device::Device;
use crate::drift_args::{self, InfoArgs};
use crate::exit::CliError;
use crate::output::Done;

/// Identifies the token.
pub fn run(args: &InfoArgs) -> Result<Done, CliError> {
    let mut device = Device::open(args.reader.reader.as_deref())?;
    let token = device.identify()?;
    let token_time = u64::from(token.info.device_time);
    let offset = token.info.clock_offset(token.host_time);
    let drift = DriftCheck::new(offset, args.period);
    let repair = repair_plan(token.model);
    let json = json!({
        "reader": device.reader,
        "serial": token.info.serial,
        "model": token.model.name(),
        "restricted_sync": token.model.restricted_sync(),
        "token_time": token_time,
        "token_time_utc": clock::iso8601(token_time),
        "host_time": token.host_time,
        "offset_seconds": offset,
        "clock": {
            "offset_seconds": offset,
            "verdict": drift.verdict.code(),
            "period": args.period.seconds(),
        },
        "repair": repair.repair.code(),
    });
    let sync_note = if token.model.restricted_sync() {
        "setting its clock erases its seed (burn the seed again instead)"
    } else {
        "its clock can be set without erasing its seed"
    };
    let mut human = format!(
        "Token:   {} (serial {})\nReader:  {}\nClock:   {} ({})\nSync:    {sync_note}\nDrift:   \
         {} ({}, for a {} account)\n         {}",
        token.model,
        token.info.serial,
        device.reader,
        clock::human_utc(token_time),
        kiln_core::token::describe_clock_offset(offset, "this computer"),
        drift.verdict.code(),
        drift_args::verdict_words(drift.verdict),
        args.period,
        drift.sentence(),
    );
    if drift.verdict != DriftVerdict::Ok {
        human.push_str(&format!("\nRepair:  {}", drift_args::repair_words(&repair)));
    }
    Ok(Done::success(json, human))
}
