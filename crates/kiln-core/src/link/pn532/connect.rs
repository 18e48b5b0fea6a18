//! Bringing a PN532 up over its serial line (docs/readers.md §6): the HSU wake-up preamble,
//! `SAMConfiguration` in normal mode (the chip powers up in low-VBAT mode and needs it), then
//! the PN533 connect of §3.7 over [`Line::Serial`].

use crate::link::machine::{Action, Machine, out_of_turn, pipe_fault};
use crate::link::pn53x::{Command, Connected, Exchange, Line, SETUP_TIMEOUT_MS};
use crate::link::{LinkError, PipeError};
use zeroize::Zeroizing;

/// The HSU wake-up preamble (docs/readers.md §6.3): `55 55` and fourteen `00`, as libnfc's
/// `pn532_uart_wakeup` sends it. The
/// first `55` wakes the serial interface; the zeros give the oscillator time to start before
/// the first frame, whose own preamble the chip would otherwise lose.
pub const WAKE_UP: [u8; 16] = [
    0x55, 0x55, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// `SAMConfiguration` (docs/readers.md §6.4): mode `01` (normal, no SAM), timeout `14`
/// (× 50 ms), IRQ `01`. Frame:
/// `00 00 FF 05 FB D4 14 01 14 01 02 00`.
pub const SAM_CONFIGURATION: Command<'static> = Command::SamConfiguration {
    mode: 0x01,
    timeout: 0x14,
    irq: 0x01,
};

enum Step {
    WakeUp,
    Sam(Exchange),
    Pn53x(crate::link::pn53x::Connect),
    Finished,
}

/// The PN532 connect session; its output is what the PN533 connect finds.
pub struct Connect {
    step: Step,
}

impl Default for Connect {
    fn default() -> Self {
        Connect::new()
    }
}

impl Connect {
    /// A session that starts with the wake-up preamble.
    pub fn new() -> Connect {
        Connect { step: Step::WakeUp }
    }

    /// Passes a step's action through; a finished SAMConfiguration starts the PN533 connect.
    fn forward<T>(&mut self, action: Action<T>) -> Action<Connected>
    where
        Self: After<T>,
    {
        match action {
            Action::Write(bytes) => Action::Write(bytes),
            Action::Read { timeout_ms } => Action::Read { timeout_ms },
            Action::Done(result) => self.after(result),
        }
    }

    fn finish(&mut self, result: Result<Connected, LinkError>) -> Action<Connected> {
        self.step = Step::Finished;
        Action::Done(result)
    }
}

/// What follows the end of a step producing `T`.
trait After<T> {
    fn after(&mut self, result: Result<T, LinkError>) -> Action<Connected>;
}

impl After<Vec<u8>> for Connect {
    fn after(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<Connected> {
        match result {
            Ok(_) => {
                let mut connect = crate::link::pn53x::Connect::over(Line::Serial);
                let action = connect.start();
                self.step = Step::Pn53x(connect);
                self.forward(action)
            }
            Err(error) => self.finish(Err(error)),
        }
    }
}

impl After<Connected> for Connect {
    fn after(&mut self, result: Result<Connected, LinkError>) -> Action<Connected> {
        self.finish(result)
    }
}

impl Machine for Connect {
    type Output = Connected;

    fn start(&mut self) -> Action<Connected> {
        self.step = Step::WakeUp;
        Action::Write(Zeroizing::new(WAKE_UP.to_vec()))
    }

    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<Connected> {
        match &mut self.step {
            Step::WakeUp => match result {
                Ok(()) => {
                    let mut sam =
                        Exchange::over(Line::Serial, &SAM_CONFIGURATION, SETUP_TIMEOUT_MS);
                    let action = sam.start();
                    self.step = Step::Sam(sam);
                    self.forward(action)
                }
                Err(error) => self.finish(Err(LinkError::NotSent(pipe_fault(&error)))),
            },
            Step::Sam(exchange) => {
                let action = exchange.on_written(result);
                self.forward(action)
            }
            Step::Pn53x(connect) => {
                let action = connect.on_written(result);
                self.forward(action)
            }
            Step::Finished => self.finish(Err(out_of_turn())),
        }
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Connected> {
        match &mut self.step {
            Step::Sam(exchange) => {
                let action = exchange.on_read(result);
                self.forward(action)
            }
            Step::Pn53x(connect) => {
                let action = connect.on_read(result);
                self.forward(action)
            }
            Step::WakeUp | Step::Finished => self.finish(Err(out_of_turn())),
        }
    }
}
