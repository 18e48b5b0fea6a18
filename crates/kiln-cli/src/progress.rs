//! One progress line per step of a session, on stderr.
//!
//! On a terminal the line appears when the command is sent ("… Write the seed") and is
//! rewritten in place with the result; elsewhere (logs, pipes) one finished line per step is
//! printed. Nothing is printed in `--json` mode. The lines name steps only, never data.

use std::io::{self, Write};

use kiln_core::token::{Failure, Report, StepStatus};

use crate::output::Output;

/// Turns report snapshots from `kiln_core::session_runner::run_session` into progress lines.
pub struct Progress {
    enabled: bool,
    terminal: bool,
    shown: Vec<StepStatus>,
}

impl Progress {
    /// A progress display for `output`.
    pub fn new(output: Output) -> Progress {
        Progress {
            enabled: !output.is_json(),
            terminal: output.stderr_is_terminal(),
            shown: Vec::new(),
        }
    }

    /// Called with every snapshot; prints what changed since the last one.
    pub fn observe(&mut self, report: &Report) {
        if !self.enabled {
            return;
        }
        let total = report.steps.len();
        self.shown.resize(total, StepStatus::NotSent);
        let mut err = io::stderr().lock();
        for (index, &(step, status)) in report.steps.iter().enumerate() {
            let before = self.shown[index];
            if before == status {
                continue;
            }
            self.shown[index] = status;
            let number = index + 1;
            let line = match status {
                StepStatus::Sending if self.terminal => {
                    let _ = write!(err, "  … [{number}/{total}] {}", step.label());
                    let _ = err.flush();
                    continue;
                }
                StepStatus::Sending | StepStatus::NotSent if before == StepStatus::NotSent => {
                    continue;
                }
                StepStatus::Done => format!("  ✓ [{number}/{total}] {}", step.label()),
                StepStatus::Refused(_) => {
                    format!(
                        "  ✗ [{number}/{total}] {}: refused by the token",
                        step.label()
                    )
                }
                StepStatus::Unknown => match &report.failure {
                    Some(Failure::UnclearStatus {
                        step: failed,
                        status,
                    }) if *failed == step => {
                        format!(
                            "  ? [{number}/{total}] {}: answered {status:04X}, result unknown",
                            step.label()
                        )
                    }
                    _ => format!("  ? [{number}/{total}] {}: no usable answer", step.label()),
                },
                StepStatus::NotSent | StepStatus::Sending => {
                    format!("  ✗ [{number}/{total}] {}: not sent", step.label())
                }
            };
            if self.terminal {
                let _ = write!(err, "\r\x1b[2K");
            }
            let _ = writeln!(err, "{line}");
        }
    }
}
