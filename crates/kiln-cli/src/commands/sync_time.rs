//! `kiln sync-time`: set the token's clock to this computer's time.
//!
//! The clock travels in WRITE CONFIG with the algorithm, period and display timeout, so those are
//! written too. On restricted models that write erases the seed: kiln says so and asks first
//! (`--yes` accepts), and the session refuses to write without that acknowledgement.
//!
//! Before asking it shows the clock's drift verdict for `--period` and the repair for this model:
//! on the models that keep their seed this command is the repair; on the others the repair is a
//! re-burn with the same secret (`kiln burn`), which this command cannot do.

use kiln_core::token::{DriftCheck, Outcome, SeedWipe, Session, TokenSettings, repair_plan};
use serde_json::{Value, json};

use crate::cli::SyncTimeArgs;
use crate::clock;
use crate::confirm;
use crate::device::{Device, session_error};
use crate::drift_args;
use crate::exit::CliError;
use crate::output::{Done, Output};
use crate::progress::Progress;
use crate::report_json::report_json;

/// Runs `kiln sync-time`.
pub fn run(args: &SyncTimeArgs, output: Output) -> Result<Done, CliError> {
    let settings = TokenSettings {
        algorithm: args.algorithm.into(),
        period: args.period,
        display: args.display,
    };
    let mut device = Device::open(args.reader.reader.as_deref())?;
    let token = device.identify()?;
    let offset = token.info.clock_offset(token.host_time);
    let restricted = token.model.restricted_sync();
    let drift = DriftCheck::new(offset, settings.period);
    let repair = repair_plan(token.model);
    output.note(&format!(
        "Token:   {} (serial {})\nClock:   {} ({})\nWrites:  this computer's time, {}, new code \
         every {}, display on for {}",
        token.model,
        token.info.serial,
        clock::human_utc(u64::from(token.info.device_time)),
        kiln_core::token::describe_clock_offset(offset, "this computer"),
        settings.algorithm,
        settings.period,
        settings.display,
    ));
    output.note(&format!(
        "Drift:   {} ({})\n         {}\nRepair:  {}",
        drift.verdict.code(),
        drift_args::verdict_words(drift.verdict),
        drift.sentence(),
        drift_args::sync_time_repair_words(&repair),
    ));
    let warning = format!(
        "WARNING: setting the clock of this {} ERASES ITS SEED. It will show no valid codes until \
         you burn a seed into it again, and you will need the account's secret (or a new \
         enrollment QR code) to do that. To fix the clock and keep the account, burn the seed \
         again instead: `kiln burn` also sets the clock.",
        token.model
    );
    if restricted {
        output.note(&warning);
    }
    if !args.yes {
        let question = if restricted {
            "Set the clock and ERASE the seed?"
        } else {
            "Set the clock?"
        };
        if !confirm::ask(question, false)? {
            return Err(CliError::cancelled());
        }
    }
    let wipe = if restricted {
        SeedWipe::Acknowledged
    } else {
        SeedWipe::NotAcknowledged
    };
    let session = Session::time_sync(settings, wipe).expect_serial(token.info.serial.clone());
    let mut progress = Progress::new(output);
    let report = device.run(session, |r| progress.observe(r))?;
    if report.outcome() != Outcome::Success {
        return Err(session_error(&report));
    }
    let mut json = report_json(&report);
    if let Value::Object(map) = &mut json {
        map.insert("reader".to_string(), json!(device.reader));
        map.insert("previous_offset_seconds".to_string(), json!(offset));
        map.insert(
            "previous_clock".to_string(),
            json!({
                "offset_seconds": offset,
                "verdict": drift.verdict.code(),
                "period": settings.period.seconds(),
            }),
        );
        map.insert("repair".to_string(), json!(repair.repair.code()));
        map.insert(
            "settings".to_string(),
            json!({
                "algorithm": settings.algorithm.name(),
                "period": settings.period.seconds(),
                "display": settings.display.seconds(),
            }),
        );
    }
    Ok(Done::success(json, report.summary()))
}
