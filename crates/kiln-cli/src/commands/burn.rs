//! `kiln burn`: classify the input, refuse anything but a TOTP account the token can take, show
//! what will be burned (never the secret), confirm, burn with a progress line per step, then
//! print the previous/current/next codes and ask for a power-cycle check.

use kiln_core::otp;
use kiln_core::token::{Outcome, Report, Session};
use serde_json::{Value, json};

use crate::burn_plan::BurnPlan;
use crate::cli::BurnArgs;
use crate::clock;
use crate::commands::dry_run;
use crate::confirm;
use crate::device::{Device, session_error};
use crate::exit::CliError;
use crate::output::{Done, Output};
use crate::progress::Progress;
use crate::report_json::report_json;
use crate::secret_input::SecretText;

const POWER_CYCLE: &str = "Now switch the token off and on again (press its button until the \
    display goes dark, then press it again) and compare its code with the current code above \
    (or the next one, if the code just changed). If it shows a different code, do not use the \
    token: burn it again. To have kiln judge the code, run `kiln verify` with the same account \
    and --code followed by the code the token shows.";

/// Runs `kiln burn`.
pub fn run(mut args: BurnArgs, output: Output) -> Result<Done, CliError> {
    let input = SecretText::from_args(&mut args.input)?;
    let plan = BurnPlan::new(&args.input, args.display, &input)?;
    if args.dry_run {
        return dry_run::run(&plan, &args, output);
    }
    output.note(&format!("Ready to burn:\n{}", indent(&plan.describe())));

    let mut device = Device::open(args.reader.reader.as_deref())?;
    let mut session = Session::burn(&plan.account.secret, plan.settings)
        .map_err(|e| CliError::not_burnable("seed_rejected", e.to_string()))?;
    if !args.yes {
        let token = device.identify()?;
        let question = format!(
            "Burn this account into the {} with serial {} (reader \"{}\")? Any seed it holds \
             now is replaced.",
            token.model, token.info.serial, device.reader
        );
        if !confirm::ask(&question, input.from_stdin)? {
            return Err(CliError::cancelled());
        }
        // Never write to a token swapped on the reader after the question.
        session = session.expect_serial(token.info.serial);
    }
    drop(input);

    let mut progress = Progress::new(output);
    let report = device.run(session, |r| progress.observe(r))?;
    if report.outcome() != Outcome::Success {
        return Err(session_error(&report).with_fields(json!({"account": plan.describe_json()})));
    }
    Ok(success(&plan, &report, &device.reader))
}

fn success(plan: &BurnPlan, report: &Report, reader: &str) -> Done {
    let now = clock::now_unix();
    let codes = otp::preview(
        &plan.account.secret,
        plan.settings.algorithm,
        plan.settings.period,
        now,
    );
    let mut json = report_json(report);
    if let Value::Object(map) = &mut json {
        map.insert("reader".to_string(), json!(reader));
        map.insert("account".to_string(), plan.describe_json());
        map.insert(
            "codes".to_string(),
            json!({
                "time": now,
                "previous": codes.previous,
                "current": codes.current,
                "next": codes.next,
                "seconds_left": codes.seconds_left,
            }),
        );
        map.insert("next_step".to_string(), json!(POWER_CYCLE));
    }
    let human = format!(
        "{}\n\nCodes right now:\n  previous  {}\n  current   {}   (changes in {} s)\n  next      \
         {}\n\n{POWER_CYCLE}",
        report.summary(),
        codes.previous,
        codes.current,
        codes.seconds_left,
        codes.next,
    );
    Done::success(json, human)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
