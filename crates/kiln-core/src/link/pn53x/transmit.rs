//! One APDU through `InDataExchange`, with MI chaining both ways (docs/readers.md §3.6):
//! an APDU longer than one frame goes out in fragments with MI set in the `Tg` byte of all but
//! the last; while the reply's status byte has MI set, an `InDataExchange` with only `Tg` fetches
//! the next part. The chip does the ISO-DEP block framing itself.

use super::command::Command;
use super::exchange::Exchange;
use super::line::Line;
use super::status::Status;
use crate::link::machine::{Action, Machine, Stepped, out_of_turn};
use crate::link::{LinkError, LinkFault, PipeError};
use zeroize::Zeroizing;

/// Response timeout of `InDataExchange`. Generous: a token writing its flash may take a while,
/// and the chip answers with its own timeout status first if the token stays silent.
pub const EXCHANGE_TIMEOUT_MS: u32 = 3_000;
/// Most APDU bytes sent in one frame (`PN533_CMD_DATAEXCH_DATA_MAXLEN`): frame data is the
/// command code, `Tg` and these.
pub const MAX_UNCHAINED: usize = 262;
/// Fragment size once an APDU needs chaining (as the Linux driver does).
pub const FRAGMENT: usize = 240;
/// Longest APDU accepted (extended length).
pub const MAX_APDU: usize = 65_544;
/// Longest reply accepted before the reader is considered broken.
pub const MAX_REPLY: usize = 65_538;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Sending the fragment that starts at this offset.
    Sending {
        offset: usize,
    },
    /// The whole APDU is out; collecting the reply.
    Receiving,
    Finished,
}

/// The transmit session; its output is the reply (`data || SW1 SW2`).
pub struct Transmit {
    target: u8,
    apdu: Zeroizing<Vec<u8>>,
    reply: Zeroizing<Vec<u8>>,
    phase: Phase,
    exchange: Option<Exchange>,
    line: Line,
}

impl Transmit {
    /// Sends `apdu` to target `target` (the `Tg` from `InListPassiveTarget`).
    pub fn new(target: u8, apdu: &[u8]) -> Transmit {
        Transmit::over(Line::Usb, target, apdu)
    }

    /// The same session over `line`.
    pub fn over(line: Line, target: u8, apdu: &[u8]) -> Transmit {
        Transmit {
            line,
            target,
            apdu: Zeroizing::new(apdu.to_vec()),
            reply: Zeroizing::new(Vec::new()),
            phase: Phase::Sending { offset: 0 },
            exchange: None,
        }
    }

    fn fragment_len(&self) -> usize {
        if self.apdu.len() <= MAX_UNCHAINED {
            MAX_UNCHAINED
        } else {
            FRAGMENT
        }
    }

    fn send_fragment(&mut self, offset: usize) -> Action<Vec<u8>> {
        let end = (offset + self.fragment_len()).min(self.apdu.len());
        let data = Zeroizing::new(self.apdu.get(offset..end).unwrap_or_default().to_vec());
        let command = Command::InDataExchange {
            target: self.target,
            more: end < self.apdu.len(),
            data: &data,
        };
        self.phase = Phase::Sending { offset };
        self.run(&command)
    }

    fn ask_for_more(&mut self) -> Action<Vec<u8>> {
        let command = Command::InDataExchange {
            target: self.target,
            more: false,
            data: &[],
        };
        self.phase = Phase::Receiving;
        self.run(&command)
    }

    fn run(&mut self, command: &Command<'_>) -> Action<Vec<u8>> {
        let mut exchange = Exchange::over(self.line, command, EXCHANGE_TIMEOUT_MS);
        let action = exchange.start();
        self.exchange = Some(exchange);
        self.forward(action)
    }

    fn finish(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<Vec<u8>> {
        self.phase = Phase::Finished;
        self.exchange = None;
        Action::Done(result)
    }

    /// Once the chip accepted part of the APDU, a failure can no longer prove the token did not
    /// act on it.
    fn fail(&mut self, error: LinkError, token_reached: bool) -> Action<Vec<u8>> {
        let error = match error {
            LinkError::NotSent(fault) if token_reached => LinkError::NoReply(fault),
            other => other,
        };
        self.finish(Err(error))
    }
}

impl Stepped for Transmit {
    type Exchange = Exchange;
    type Output = Vec<u8>;

    fn running(&mut self) -> Option<&mut Exchange> {
        self.exchange.as_mut()
    }

    fn after(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<Vec<u8>> {
        let (offset, token_reached) = match self.phase {
            Phase::Sending { offset } => (Some(offset), offset > 0),
            Phase::Receiving => (None, true),
            Phase::Finished => return self.finish(Err(out_of_turn())),
        };
        let data = match result {
            Ok(data) => Zeroizing::new(data),
            Err(error) => return self.fail(error, token_reached),
        };
        let Some((&status, rest)) = data.split_first() else {
            return self.fail(
                LinkError::NoReply(LinkFault::ReaderProtocol(
                    "data exchange answer without status".to_owned(),
                )),
                true,
            );
        };
        let status = Status(status);
        if let Some(error) = status.error() {
            return self.fail(error.link_error(), token_reached);
        }
        if let Some(offset) = offset {
            let next = offset + self.fragment_len();
            if next < self.apdu.len() {
                return self.send_fragment(next);
            }
        }
        if self.reply.len() + rest.len() > MAX_REPLY {
            return self.fail(
                LinkError::NoReply(LinkFault::ReaderProtocol("reply too long".to_owned())),
                true,
            );
        }
        self.reply.extend_from_slice(rest);
        if status.more() {
            return self.ask_for_more();
        }
        let reply = core::mem::take(&mut *self.reply);
        self.finish(Ok(reply))
    }
}

impl Machine for Transmit {
    type Output = Vec<u8>;

    fn start(&mut self) -> Action<Vec<u8>> {
        if self.apdu.is_empty() {
            return self.finish(Err(LinkError::NotSent(LinkFault::Reader(
                "an empty command cannot be sent".to_owned(),
            ))));
        }
        if self.apdu.len() > MAX_APDU {
            return self.finish(Err(LinkError::NotSent(LinkFault::Reader(format!(
                "a command of {} bytes is too long",
                self.apdu.len()
            )))));
        }
        self.reply.clear();
        self.send_fragment(0)
    }

    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<Vec<u8>> {
        self.step_written(result)
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Vec<u8>> {
        self.step_read(result)
    }
}
