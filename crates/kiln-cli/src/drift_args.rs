//! `kiln info`'s options and the help text on clock drift, shared with `kiln sync-time`.

use clap::Args;
use kiln_core::Period;
use kiln_core::token::{DriftVerdict, Repair, RepairPlan};

use crate::cli::{ReaderArgs, parse_period};

/// The thresholds of the drift verdict, in plain words (`kiln info --help`).
pub const DRIFT_HELP: &str = "\
Clock drift. kiln compares the token's clock with this computer's clock (it cannot know true
time: check that this computer sets its clock automatically) and judges the offset for the
account's time step (--period):

  ok       within one step (30 s for a 30 s account, 60 s for a 60 s one): codes are accepted
  fix      more than one step, up to two (1 min / 2 min): Microsoft Entra still accepts the
           codes, stricter services do not. Worth setting the clock
  refused  more than two steps: beyond what Microsoft Entra accepts for hardware tokens
           (±1 min for 30 s tokens, ±2 min for 60 s tokens, per Microsoft's \"Time drift
           correction\" table), so its codes will be refused

The repair depends on the model. miniOTP-2-i, OTPC-P1-i and C302-i: `kiln sync-time` sets the
clock and keeps the seed. Every other model loses its seed when its clock is set: the repair is
`kiln burn` with the same secret (it sets the clock and writes the seed again).

With --json: \"clock\": {\"offset_seconds\": token minus this computer, \"verdict\": \"ok\" |
\"fix\" | \"refused\", \"period\": 30 | 60}, and \"repair\": \"set_clock\" | \"reburn\".";

/// `kiln info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub reader: ReaderArgs,

    /// The account's time step in seconds, for the drift verdict.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_period)]
    pub period: Period,
}

/// The verdict in a few words, beside its code.
pub fn verdict_words(verdict: DriftVerdict) -> &'static str {
    match verdict {
        DriftVerdict::Ok => "fine",
        DriftVerdict::Fix => "worth fixing",
        DriftVerdict::Refused => "codes will be refused",
    }
}

/// The repair for the token's model and the command that does it.
pub fn repair_words(plan: &RepairPlan) -> String {
    let command = match plan.repair {
        Repair::SetClock => {
            "Run `kiln sync-time` (with the --algorithm, --period and --display the account uses)."
        }
        Repair::Reburn => {
            "The repair is `kiln burn` with the same secret; `kiln sync-time` alone would leave \
             the token with no seed."
        }
    };
    format!("{} {command}", plan.consequence())
}

/// The repair as `kiln sync-time` explains it before asking: on the models that lose their seed
/// this command is not the repair.
pub fn sync_time_repair_words(plan: &RepairPlan) -> String {
    match plan.repair {
        Repair::SetClock => plan.consequence(),
        Repair::Reburn => format!(
            "{} This command erases the seed; the repair is `kiln burn` with the same secret, \
             which sets the clock too.",
            plan.consequence()
        ),
    }
}
