//! Bringing a PN533 up and finding the token: GetFirmwareVersion, SetParameters (automatic
//! RATS), RF on, finite retries, InListPassiveTarget at 106 kbps type A.

use super::command::{
    BRTY_106_TYPE_A, Command, FirmwareVersion, PARAM_AUTO_ATR_RES, PARAM_AUTO_RATS, RfConfig,
    Target, parse_passive_target,
};
use super::exchange::Exchange;
use super::line::Line;
use crate::link::machine::{Action, Machine, Stepped, out_of_turn};
use crate::link::{LinkError, LinkFault, PipeError};

/// Response timeout of the set-up commands.
pub const SETUP_TIMEOUT_MS: u32 = 1_000;
/// Response timeout of `InListPassiveTarget` (the chip polls a few times, then answers).
pub const LIST_TIMEOUT_MS: u32 = 3_000;
/// The first command after plug-in is sometimes not acknowledged: try GetFirmwareVersion twice.
const FIRMWARE_ATTEMPTS: u8 = 2;

/// The reader's retry counts: ATR 0xFF, PSL 1, passive activation 2 (three polls, then "no
/// target"), as in the command table of docs/readers.md §3.4.
pub const RETRIES: RfConfig = RfConfig::Retries {
    atr: 0xFF,
    psl: 0x01,
    passive_activation: 0x02,
};

/// What a successful connect found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// The reader's chip and firmware.
    pub firmware: FirmwareVersion,
    /// The activated ISO 14443-4 token.
    pub target: Target,
}

#[derive(Debug)]
enum Step {
    Firmware {
        attempt: u8,
    },
    SetParameters {
        firmware: FirmwareVersion,
    },
    RfOn {
        firmware: FirmwareVersion,
    },
    Retries {
        firmware: FirmwareVersion,
    },
    List {
        firmware: FirmwareVersion,
    },
    /// The field is being switched off because connecting failed with this error.
    RfOff {
        error: LinkError,
    },
    Finished,
}

/// The connect session.
pub struct Connect {
    step: Step,
    exchange: Exchange,
    line: Line,
}

impl Default for Connect {
    fn default() -> Self {
        Connect::new()
    }
}

impl Connect {
    /// A session over USB that starts with GetFirmwareVersion.
    pub fn new() -> Connect {
        Connect::over(Line::Usb)
    }

    /// The same session over `line` (a PN532 runs it after its wake-up and SAMConfiguration).
    pub fn over(line: Line) -> Connect {
        Connect {
            step: Step::Firmware { attempt: 1 },
            exchange: Exchange::over(line, &Command::GetFirmwareVersion, SETUP_TIMEOUT_MS),
            line,
        }
    }

    fn run(&mut self, step: Step, command: &Command<'_>, timeout_ms: u32) -> Action<Connected> {
        self.step = step;
        self.exchange = Exchange::over(self.line, command, timeout_ms);
        let action = self.exchange.start();
        self.forward(action)
    }

    fn finish(&mut self, result: Result<Connected, LinkError>) -> Action<Connected> {
        self.step = Step::Finished;
        Action::Done(result)
    }

    /// Switches the field off before reporting `error`, so a failed connect leaves the reader
    /// quiet.
    fn fail_with_field_off(&mut self, error: LinkError) -> Action<Connected> {
        let off = Command::RfConfiguration(RfConfig::Field { on: false });
        self.run(Step::RfOff { error }, &off, SETUP_TIMEOUT_MS)
    }

    fn on_target_list(&mut self, firmware: FirmwareVersion, data: &[u8]) -> Action<Connected> {
        let target = match parse_passive_target(data) {
            Ok(Some(target)) => target,
            Ok(None) => return self.fail_with_field_off(LinkError::NotSent(LinkFault::NoToken)),
            Err(error) => {
                return self.fail_with_field_off(LinkError::NoReply(LinkFault::ReaderProtocol(
                    error.to_string(),
                )));
            }
        };
        if !target.is_iso14443_4() {
            let seen = target.describe();
            return self.fail_with_field_off(LinkError::NotSent(LinkFault::NotAToken { seen }));
        }
        if target.ats.is_none() {
            let seen = format!(
                "an ISO 14443-4 card that did not answer RATS, SAK {:02X}",
                target.sak
            );
            return self.fail_with_field_off(LinkError::NotSent(LinkFault::NotAToken { seen }));
        }
        self.finish(Ok(Connected { firmware, target }))
    }
}

impl Stepped for Connect {
    type Exchange = Exchange;
    type Output = Connected;

    fn running(&mut self) -> Option<&mut Exchange> {
        (!matches!(self.step, Step::Finished)).then_some(&mut self.exchange)
    }

    fn after(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<Connected> {
        let step = core::mem::replace(&mut self.step, Step::Finished);
        match (step, result) {
            (Step::Firmware { attempt }, Err(_)) if attempt < FIRMWARE_ATTEMPTS => self.run(
                Step::Firmware {
                    attempt: attempt + 1,
                },
                &Command::GetFirmwareVersion,
                SETUP_TIMEOUT_MS,
            ),
            (Step::Firmware { .. }, Ok(data)) => match FirmwareVersion::parse(&data) {
                Ok(firmware) => self.run(
                    Step::SetParameters { firmware },
                    &Command::SetParameters {
                        flags: PARAM_AUTO_ATR_RES | PARAM_AUTO_RATS,
                    },
                    SETUP_TIMEOUT_MS,
                ),
                Err(error) => self.finish(Err(LinkError::NoReply(LinkFault::ReaderProtocol(
                    error.to_string(),
                )))),
            },
            (Step::SetParameters { firmware }, Ok(_)) => self.run(
                Step::RfOn { firmware },
                &Command::RfConfiguration(RfConfig::Field { on: true }),
                SETUP_TIMEOUT_MS,
            ),
            (Step::RfOn { firmware }, Ok(_)) => self.run(
                Step::Retries { firmware },
                &Command::RfConfiguration(RETRIES),
                SETUP_TIMEOUT_MS,
            ),
            (Step::Retries { firmware }, Ok(_)) => self.run(
                Step::List { firmware },
                &Command::InListPassiveTarget {
                    max_targets: 1,
                    modulation: BRTY_106_TYPE_A,
                },
                LIST_TIMEOUT_MS,
            ),
            (Step::List { firmware }, Ok(data)) => self.on_target_list(firmware, &data),
            (Step::RfOff { error }, _) => self.finish(Err(error)),
            (Step::Finished, _) => self.finish(Err(out_of_turn())),
            (_, Err(error)) => self.finish(Err(error)),
        }
    }
}

impl Machine for Connect {
    type Output = Connected;

    fn start(&mut self) -> Action<Connected> {
        *self = Connect::over(self.line);
        let action = self.exchange.start();
        self.forward(action)
    }

    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<Connected> {
        self.step_written(result)
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Connected> {
        self.step_read(result)
    }
}
