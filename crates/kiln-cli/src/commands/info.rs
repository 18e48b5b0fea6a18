//! `kiln info`: serial number, model, restricted-sync flag and clock of the token on the reader.
//! Sends GET INFO only.

use serde_json::json;

use crate::cli::ReaderArgs;
use crate::clock;
use crate::device::Device;
use crate::exit::CliError;
use crate::output::Done;

/// Identifies the token.
pub fn run(args: &ReaderArgs) -> Result<Done, CliError> {
    let mut device = Device::open(args.reader.as_deref())?;
    let token = device.identify()?;
    let token_time = u64::from(token.info.device_time);
    let offset = token.info.clock_offset(token.host_time);
    let json = json!({
        "reader": device.reader,
        "serial": token.info.serial,
        "model": token.model.name(),
        "restricted_sync": token.model.restricted_sync(),
        "token_time": token_time,
        "token_time_utc": clock::iso8601(token_time),
        "host_time": token.host_time,
        "offset_seconds": offset,
    });
    let sync_note = if token.model.restricted_sync() {
        "setting its clock erases its seed (burn the seed again instead)"
    } else {
        "its clock can be set without erasing its seed"
    };
    let human = format!(
        "Token:   {} (serial {})\nReader:  {}\nClock:   {} ({})\nSync:    {sync_note}",
        token.model,
        token.info.serial,
        device.reader,
        clock::human_utc(token_time),
        kiln_core::token::describe_clock_offset(offset, "this computer"),
    );
    Ok(Done::success(json, human))
}
