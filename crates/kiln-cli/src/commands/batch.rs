//! `kiln batch`: burn many tokens in a row and write the files an administrator uploads to
//! Microsoft Entra ID, with kiln-core's fleet code (the same as the web app's Batch screen).
//!
//! Order: check everything (lists, files, passphrase) → ask once (unless --yes) → the loop
//! (`batch_loop`) → write the files (`batch_write`) → wipe the batch. The files are written
//! whatever ended the loop (count reached, list used up, Ctrl+C, the reader gone), so burned
//! tokens are never lost with the process. Secrets appear only inside the files.

use std::process::ExitCode;

use kiln_core::fleet::{AttemptOutcome, Ledger};
use serde_json::json;

use super::batch_args::BatchArgs;
use super::batch_decide::OsRandom;
use super::batch_events::Events;
use super::batch_loop::BatchLoop;
use super::batch_setup::Plan;
use super::batch_write::write_files;
use crate::confirm;
use crate::exit::{CliError, Exit};

/// Runs `kiln batch`; it prints its own events and returns the exit status.
pub fn run(args: BatchArgs, json: bool) -> ExitCode {
    let events = Events::new(json);
    let plan = match prepare(&args, events) {
        Ok(plan) => plan,
        Err(error) => return events.fail(&error),
    };
    let ledger = match Ledger::start(&mut OsRandom) {
        Ok(ledger) => ledger,
        Err(e) => return events.fail(&CliError::device("no_random", e.to_string())),
    };
    let mut batch = match BatchLoop::new(
        &plan,
        ledger,
        events,
        args.reader.reader.as_deref(),
        !args.yes,
        args.reburn,
    ) {
        Ok(batch) => batch,
        Err(error) => return events.fail(&error),
    };
    let stop = batch.stop_handle();
    let on_interrupt = stop.clone();
    let handler = ctrlc::set_handler(move || {
        on_interrupt.stop();
        if !json {
            eprintln!("\nStopping after this token; the files will be written.");
        }
    });
    if handler.is_err() {
        events.emit(
            "notice",
            json!({"message": "Ctrl+C cannot be caught here: end the batch with --count."}),
            "Ctrl+C cannot be caught here: end the batch with --count.",
        );
    }
    events.emit(
        "ready",
        json!({"count": plan.batch.count, "outputs": plan.outputs.iter()
                   .map(|(f, p)| json!({"format": f.name(), "path": p})).collect::<Vec<_>>(),
               "encrypted": plan.passphrase.is_some()}),
        "",
    );
    let stopped_by = batch.run(&stop).err();
    if let Some(error) = &stopped_by {
        events.emit(
            "error",
            json!({"code": error.code, "message": error.message}),
            &format!(
                "The batch stopped early: {} The files are written now.",
                error.message
            ),
        );
    }
    let written = write_files(&plan, &batch.ledger, events);
    let exit = finish(&batch, &written, stopped_by.is_some(), events);
    batch.ledger.wipe();
    exit
}

/// Checks the options and lists, then asks once (unless --yes).
fn prepare(args: &BatchArgs, events: Events) -> Result<Plan, CliError> {
    let plan = Plan::new(args)?;
    let description = plan.describe();
    let warning = plan.batch.short_users.map(|short| short.to_string());
    if args.yes {
        events.emit("plan", json!({ "description": description }), &description);
        if let Some(warning) = &warning {
            events.emit("notice", json!({"message": warning}), warning);
        }
        return Ok(plan);
    }
    let question = match &warning {
        Some(warning) => format!("{description}\n{warning}\nStart the batch and go on?"),
        None => format!("{description}\nStart the batch?"),
    };
    if confirm::ask(&question, false)? {
        Ok(plan)
    } else {
        Err(CliError::new(
            Exit::Cancelled,
            "cancelled",
            "Cancelled: no token was touched.",
        ))
    }
}

fn finish(
    batch: &BatchLoop<'_>,
    written: &super::batch_write::WriteSummary,
    stopped_early: bool,
    events: Events,
) -> ExitCode {
    let current: Vec<_> = batch
        .ledger
        .attempts()
        .iter()
        .filter(|a| a.is_current())
        .collect();
    let burned = batch.ledger.exported().count();
    let failed = current
        .iter()
        .filter(|a| matches!(a.outcome, AttemptOutcome::Failed { .. }))
        .count();
    let unknown: Vec<&str> = current
        .iter()
        .filter(|a| matches!(a.outcome, AttemptOutcome::Unknown { .. }))
        .map(|a| a.serial.as_str())
        .collect();
    let exit = if !unknown.is_empty() {
        Exit::Unknown
    } else if failed > 0
        || stopped_early
        || !written.fallbacks.is_empty()
        || !written.failed.is_empty()
    {
        Exit::Device
    } else {
        Exit::Success
    };
    let mut human = format!(
        "Batch finished: {burned} token(s) burned, {failed} failed, {} unknown, {} skipped ({} \
         attempt(s)).",
        unknown.len(),
        batch.skipped,
        batch.ledger.attempts().len()
    );
    if !unknown.is_empty() {
        human.push_str(&format!(
            "\nThe result is unknown for token(s) {}: they are not in the upload files. Burn \
             them again before handing them out.",
            unknown.join(", ")
        ));
    }
    for path in &written.written {
        human.push_str(&format!("\nWritten: {}", path.display()));
    }
    for path in &written.fallbacks {
        human.push_str(&format!("\nWritten to a fallback path: {}", path.display()));
    }
    for failure in &written.failed {
        human.push_str(&format!("\nNot written: {failure}"));
    }
    events.done(
        exit,
        json!({
            "burned": burned, "failed": failed, "unknown": unknown, "skipped": batch.skipped,
            "attempts": batch.ledger.attempts().len(),
            "written": written.written, "fallbacks": written.fallbacks,
            "not_written": written.failed,
        }),
        &human,
    )
}
