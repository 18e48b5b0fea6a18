//! `kiln molto2 list | delete | sync-time | set-key | reset`.

use kiln_core::molto2::{ProfileRecord, Session, SyncTarget};
use serde_json::{Value, json};

use super::molto2::{NEW_KEY_ENV, customer_key, execute, finish, key_from, profile};
use super::molto2_args::{CommonArgs, ProfileArgs, SyncArgs};
use crate::clock;
use crate::confirm;
use crate::exit::CliError;
use crate::output::{Done, Output};

/// Asks unless `--yes` or `--dry-run`.
fn confirmed(common: &CommonArgs, question: &str) -> Result<(), CliError> {
    if common.yes || common.dry_run || confirm::ask(question, false)? {
        Ok(())
    } else {
        Err(CliError::cancelled())
    }
}

fn record_json(number: u8, r: &ProfileRecord) -> Value {
    json!({
        "profile": number,
        "title": r.title,
        "algorithm": r.algorithm().map_or_else(|| format!("unknown ({})", r.algorithm_code), |a| a.name().to_string()),
        "period": r.step_seconds,
        "digits": r.digits,
        "occupied": r.occupied,
    })
}

/// `kiln molto2 list`.
pub fn list(common: &CommonArgs, _output: Output) -> Result<Done, CliError> {
    let ran = execute(common, Session::list())?;
    let report = &ran.report;
    let profiles: Vec<Value> = report
        .profiles
        .iter()
        .map(|(n, r)| record_json(n.get(), r))
        .collect();
    let mut human = String::new();
    if let Some(info) = &report.info {
        let offset = info.clock_offset(clock::now_unix());
        human.push_str(&format!(
            "Molto2 serial {}, clock {} ({}), {} profiles\n",
            info.serial,
            clock::human_utc(u64::from(info.device_time)),
            kiln_core::token::describe_clock_offset(offset, "this computer"),
            report.profiles.len()
        ));
    }
    human.push_str("  #  title         algorithm  period  digits  occupied\n");
    for (n, r) in &report.profiles {
        let algorithm = r.algorithm().map_or("?", |a| a.name());
        human.push_str(&format!(
            "{:>3}  {:<12}  {:<9}  {:>4} s  {:>6}  {}\n",
            n.get(),
            r.title,
            algorithm,
            r.step_seconds,
            r.digits,
            if r.occupied { "yes" } else { "no" }
        ));
    }
    finish(&ran, json!({ "profiles": profiles }), human.trim_end())
}

/// `kiln molto2 delete`.
pub fn delete(args: &ProfileArgs, _output: Output) -> Result<Done, CliError> {
    let number = profile(args.profile)?;
    confirmed(
        &args.common,
        &format!("Delete the seed of profile {number}? Its codes stop working."),
    )?;
    let ran = execute(&args.common, Session::delete(number))?;
    let human = ran.report.summary();
    finish(&ran, json!({ "profile": number.get() }), &human)
}

/// `kiln molto2 sync-time`.
pub fn sync_time(args: &SyncArgs, _output: Output) -> Result<Done, CliError> {
    let target = match args.profile {
        Some(n) => SyncTarget::One(profile(n)?),
        None => SyncTarget::All,
    };
    let key = customer_key(&args.common, false)?;
    let ran = execute(&args.common, Session::sync_time(&key, target))?;
    drop(key);
    let human = ran.report.summary();
    finish(&ran, json!({}), &human)
}

const BUTTON_NOTE: &str = "When the Molto2 asks, press ▲ on it to confirm. kiln cannot see the \
    button, so it reports the change as not confirmed either way.";

/// `kiln molto2 set-key`.
pub fn set_key(common: &CommonArgs, output: Output) -> Result<Done, CliError> {
    let current = customer_key(common, false)?;
    let Some(new) = key_from(NEW_KEY_ENV, true, false, "Type the new customer key")? else {
        return Err(CliError::usage("no_new_key", "Give the new customer key."));
    };
    confirmed(
        common,
        "Change the customer key? Keep the new key safe: without it the Molto2 can only be \
         factory reset.",
    )?;
    output.note(BUTTON_NOTE);
    let ran = execute(common, Session::change_key(&current, new))?;
    let human = ran.report.summary();
    finish(&ran, json!({}), &human)
}

/// `kiln molto2 reset`.
pub fn reset(common: &CommonArgs, output: Output) -> Result<Done, CliError> {
    confirmed(
        common,
        "Factory reset the Molto2? Every profile is erased and the key becomes TOKEN2MOLTO1-KEY.",
    )?;
    output.note(BUTTON_NOTE);
    let ran = execute(common, Session::factory_reset())?;
    let human = ran.report.summary();
    finish(&ran, json!({}), &human)
}
