//! `kiln`: burn TOTP seeds into Token2 programmable tokens through any PC/SC reader.
//!
//! The same core as the web app (`kiln-core`: input classifier, burn sessions, reports) behind
//! a PC/SC link. This file only parses the command line and dispatches; each command lives in
//! `commands/`.

mod bridge;
mod burn_plan;
mod cli;
mod clock;
mod commands;
mod confirm;
mod device;
mod drift_args;
mod exit;
mod inspect_json;
mod output;
mod pcsc_errors;
mod phone_qr;
mod progress;
mod reader_choice;
mod report_json;
mod secret_input;
mod serial_board;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use crate::cli::{Cli, Command};
use crate::exit::CliError;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let output = Output::new(cli.json);
    serial_board::choose(cli.serial_port);
    let result = match cli.command {
        Command::Batch(args) => return commands::batch::run(args, cli.json),
        Command::Readers => commands::readers::run(),
        Command::Info(args) => commands::info::run(&args),
        Command::Burn(args) => commands::burn::run(args, output),
        Command::SyncTime(args) => commands::sync_time::run(&args, output),
        Command::Verify(args) => commands::verify::run(args),
        Command::Inspect(args) => commands::inspect::run(args),
        Command::Molto2(args) => commands::molto2::run(args, output),
        Command::Bridge(args) => bridge::run(args),
    };
    output.finish(result)
}

/// Help and version go to stdout with status 0; real usage errors exit with 2, as one JSON
/// document when `--json` appears on the command line.
fn usage_error(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) && error.exit_code() == 0
    {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let json = std::env::args_os().any(|arg| arg == "--json");
    if json {
        let message = error.render().to_string();
        Output::new(true).finish(Err(CliError::usage("usage", message.trim_end())))
    } else {
        let _ = error.print();
        ExitCode::from(exit::Exit::Usage.code())
    }
}
