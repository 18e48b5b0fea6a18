//! Leaving the reader quiet: `InRelease` (all targets), then RF off. Best-effort: the field is
//! switched off even if the release failed, unless the reader is gone.

use super::command::{Command, RfConfig};
use super::connect::SETUP_TIMEOUT_MS;
use super::exchange::Exchange;
use super::line::Line;
use crate::link::machine::{Action, Machine, Stepped, out_of_turn};
use crate::link::{LinkError, LinkFault, PipeError};

#[derive(Debug)]
enum Step {
    Release,
    RfOff { release: Result<(), LinkError> },
    Finished,
}

/// The close session; it reports the first failure, after trying both steps.
pub struct Close {
    step: Step,
    exchange: Exchange,
    line: Line,
}

impl Default for Close {
    fn default() -> Self {
        Close::new()
    }
}

impl Close {
    /// A session releasing every target (Tg 0) and switching the field off.
    pub fn new() -> Close {
        Close::over(Line::Usb)
    }

    /// The same session over `line`.
    pub fn over(line: Line) -> Close {
        Close {
            step: Step::Release,
            exchange: Exchange::over(line, &Command::InRelease { target: 0 }, SETUP_TIMEOUT_MS),
            line,
        }
    }
}

impl Stepped for Close {
    type Exchange = Exchange;
    type Output = ();

    fn running(&mut self) -> Option<&mut Exchange> {
        (!matches!(self.step, Step::Finished)).then_some(&mut self.exchange)
    }

    fn after(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<()> {
        match core::mem::replace(&mut self.step, Step::Finished) {
            Step::Release => {
                let release = result.map(|_| ());
                if matches!(&release, Err(error) if *error.fault() == LinkFault::ReaderGone) {
                    return Action::Done(release);
                }
                self.step = Step::RfOff { release };
                let off = Command::RfConfiguration(RfConfig::Field { on: false });
                self.exchange = Exchange::over(self.line, &off, SETUP_TIMEOUT_MS);
                let action = self.exchange.start();
                self.forward(action)
            }
            Step::RfOff { release } => Action::Done(release.and(result.map(|_| ()))),
            Step::Finished => Action::Done(Err(out_of_turn())),
        }
    }
}

impl Machine for Close {
    type Output = ();

    fn start(&mut self) -> Action<()> {
        *self = Close::over(self.line);
        let action = self.exchange.start();
        self.forward(action)
    }

    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<()> {
        self.step_written(result)
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<()> {
        self.step_read(result)
    }
}
