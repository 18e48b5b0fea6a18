//! One PN533 command over USB: write the command frame, read the ACK, read the response.
//!
//! The rules (docs/readers.md §3.3, libnfc's behaviour):
//! * a NACK instead of the ACK means the frame arrived damaged and was not executed: send it
//!   again;
//! * a response *before* the ACK is a late answer to an earlier, cancelled command: drop it;
//! * a damaged response is asked for again with a NACK;
//! * if the ACK or the response does not come in time, send an ACK, which aborts the command.
//!
//! Over a serial line ([`Line::Serial`], docs/readers.md §6.4) the exchange is bounded by bytes
//! and waiting time instead of reads, waits [`SERIAL_GAP_MS`] for the rest of a frame that has
//! begun, and skips stray bytes before a start code.

use super::command::Command;
use super::frame::{self, ACK_FRAME, Frame, FrameError, MAX_FRAME_LEN, NACK_FRAME};
use super::line::{Line, SERIAL_GAP_MS, SERIAL_MAX_BYTES, USB_MAX_READS};
use crate::link::machine::{Action, Machine, out_of_turn, pipe_fault};
use crate::link::receive_buffer::ReceiveBuffer;
use crate::link::{LinkError, LinkFault, PipeError};
use zeroize::Zeroizing;

/// How long the chip may take to acknowledge a frame (it does so at once; this is slack for a
/// busy browser).
pub const ACK_TIMEOUT_MS: u32 = 1_000;
/// How often a command is sent again after the reader answers NACK.
const MAX_RESENDS: u8 = 2;
/// How often a damaged response is asked for again.
const MAX_NACKS: u8 = 2;

/// The exchange of one command for its response; the output is the response's bytes after the
/// response code.
pub struct Exchange {
    frame: Zeroizing<Vec<u8>>,
    response_code: u8,
    response_timeout_ms: u32,
    state: State,
    rx: ReceiveBuffer,
    resends: u8,
    nacks: u8,
    line: Line,
    received: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// The command frame is being written.
    SendingCommand,
    /// Waiting for the ACK.
    AwaitingAck,
    /// A NACK asking for the response again is being written.
    SendingNack,
    /// Waiting for the response.
    AwaitingResponse,
    /// An ACK aborting the command is being written; the session then ends with this error.
    Cancelling(LinkError),
    /// The exchange is over.
    Finished,
}

impl Exchange {
    /// Prepares `command`, giving the reader `response_timeout_ms` after its ACK.
    pub fn new(command: &Command<'_>, response_timeout_ms: u32) -> Exchange {
        Exchange::over(Line::Usb, command, response_timeout_ms)
    }

    /// Prepares `command` over `line`.
    pub fn over(line: Line, command: &Command<'_>, response_timeout_ms: u32) -> Exchange {
        let bytes = Zeroizing::new(command.to_bytes());
        Exchange {
            // Callers split data to fit; an oversized command is reported by `start`, not sent.
            frame: Zeroizing::new(frame::encode_command(&bytes).unwrap_or_default()),
            response_code: command.response_code(),
            response_timeout_ms,
            state: State::SendingCommand,
            rx: ReceiveBuffer::new(),
            resends: 0,
            nacks: 0,
            line,
            received: 0,
        }
    }

    fn finish(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<Vec<u8>> {
        self.state = State::Finished;
        Action::Done(result)
    }

    /// Aborts the command in the chip with an ACK, then ends with `error`.
    fn cancel(&mut self, error: LinkError) -> Action<Vec<u8>> {
        self.state = State::Cancelling(error);
        Action::Write(Zeroizing::new(ACK_FRAME.to_vec()))
    }

    fn read(&mut self) -> Action<Vec<u8>> {
        if self.line == Line::Serial && !self.rx.is_empty() {
            // Part of a frame is in: the rest follows within milliseconds on a live line.
            return Action::Read {
                timeout_ms: SERIAL_GAP_MS,
            };
        }
        let timeout_ms = match self.state {
            State::AwaitingAck => ACK_TIMEOUT_MS,
            _ => self.response_timeout_ms,
        };
        Action::Read { timeout_ms }
    }

    /// Serial only: drops stray bytes (line noise, the tail of a damaged frame) up to the next
    /// `00` that may start a frame. Returns false when there was nothing to skip.
    fn skip_noise(&mut self) -> bool {
        if self.line != Line::Serial {
            return false;
        }
        let skip = self
            .rx
            .iter()
            .skip(1)
            .position(|&b| b == 0x00)
            .map_or(self.rx.len(), |i| i + 1);
        self.rx.consume(skip);
        true
    }

    /// Consumes the frames in the receive buffer.
    fn process(&mut self) -> Action<Vec<u8>> {
        loop {
            if self.rx.is_empty() {
                return self.read();
            }
            let (frame, used) = match frame::decode_prefix(&self.rx) {
                Ok(decoded) => decoded,
                Err(FrameError::Incomplete) if self.rx.len() <= MAX_FRAME_LEN => {
                    return self.read();
                }
                Err(FrameError::BadStart) if self.skip_noise() => continue,
                Err(error) => return self.damaged(error),
            };
            self.rx.consume(used);
            if let Some(action) = self.on_frame(frame) {
                return action;
            }
        }
    }

    /// Handles one frame; `None` means "keep going with the rest of the buffer".
    fn on_frame(&mut self, frame: Frame) -> Option<Action<Vec<u8>>> {
        let awaiting_ack = self.state == State::AwaitingAck;
        match frame {
            Frame::Ack if awaiting_ack => {
                self.state = State::AwaitingResponse;
                None
            }
            // A repeated ACK changes nothing.
            Frame::Ack => None,
            Frame::Nack if awaiting_ack => Some(self.resend()),
            Frame::Nack => None,
            // Before our ACK: a late answer to a command that was cancelled.
            Frame::Response(_) if awaiting_ack => None,
            Frame::Response(data) => Some(self.on_response(data)),
            Frame::Error => Some(self.finish(Err(LinkError::NoReply(LinkFault::Reader(
                "the reader refused the command frame".to_owned(),
            ))))),
            Frame::Command(_) => Some(self.damaged(FrameError::UnknownTfi(frame::TFI_COMMAND))),
        }
    }

    fn on_response(&mut self, data: Vec<u8>) -> Action<Vec<u8>> {
        let data = Zeroizing::new(data);
        match data.split_first() {
            Some((&code, rest)) if code == self.response_code => self.finish(Ok(rest.to_vec())),
            Some((&code, _)) => {
                self.cancel(LinkError::NoReply(LinkFault::ReaderProtocol(format!(
                    "answer {code:02X} to command {:02X}",
                    self.response_code.wrapping_sub(1)
                ))))
            }
            None => self.cancel(LinkError::NoReply(LinkFault::ReaderProtocol(
                "empty answer".to_owned(),
            ))),
        }
    }

    /// The reader said NACK: our frame arrived damaged and was not executed.
    fn resend(&mut self) -> Action<Vec<u8>> {
        if self.resends >= MAX_RESENDS {
            return self.finish(Err(LinkError::NotSent(LinkFault::ReaderProtocol(
                "the reader kept rejecting the command frame".to_owned(),
            ))));
        }
        self.resends += 1;
        self.rx.clear();
        self.state = State::SendingCommand;
        Action::Write(self.frame.clone())
    }

    /// Bytes that are not a frame. A damaged response is asked for again; anything else ends
    /// the exchange.
    fn damaged(&mut self, error: FrameError) -> Action<Vec<u8>> {
        self.rx.clear();
        let fault = LinkError::NoReply(LinkFault::ReaderProtocol(error.to_string()));
        if self.state != State::AwaitingResponse || self.nacks >= MAX_NACKS {
            return self.cancel(fault);
        }
        self.nacks += 1;
        self.state = State::SendingNack;
        Action::Write(Zeroizing::new(NACK_FRAME.to_vec()))
    }
}

impl Machine for Exchange {
    type Output = Vec<u8>;

    fn start(&mut self) -> Action<Vec<u8>> {
        if self.frame.is_empty() {
            return self.finish(Err(LinkError::NotSent(LinkFault::Reader(
                "the command is too long for this reader".to_owned(),
            ))));
        }
        self.state = State::SendingCommand;
        Action::Write(self.frame.clone())
    }

    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<Vec<u8>> {
        match (core::mem::replace(&mut self.state, State::Finished), result) {
            (State::SendingCommand, Ok(())) => {
                self.state = State::AwaitingAck;
                self.read()
            }
            // A frame the reader could not have received whole is not executed.
            (State::SendingCommand, Err(error)) => {
                self.finish(Err(LinkError::NotSent(pipe_fault(&error))))
            }
            (State::SendingNack, Ok(())) => {
                self.state = State::AwaitingResponse;
                self.read()
            }
            (State::SendingNack, Err(error)) => {
                self.finish(Err(LinkError::NoReply(pipe_fault(&error))))
            }
            // Cancelling is best-effort: the error that made us cancel is what matters.
            (State::Cancelling(error), _) => self.finish(Err(error)),
            (_, _) => self.finish(Err(out_of_turn())),
        }
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Vec<u8>> {
        if !matches!(self.state, State::AwaitingAck | State::AwaitingResponse) {
            return self.finish(Err(out_of_turn()));
        }
        let result = match result {
            // A serial read that brought nothing is a read that timed out.
            Ok(bytes) if bytes.is_empty() && self.line == Line::Serial => Err(PipeError::Timeout),
            other => other,
        };
        match result {
            Ok(bytes) => {
                self.received = self.received.saturating_add(bytes.len());
                let reads = self.rx.push(bytes);
                let too_much = match self.line {
                    Line::Usb => reads > USB_MAX_READS,
                    Line::Serial => self.received > SERIAL_MAX_BYTES,
                };
                if too_much {
                    return self.cancel(LinkError::NoReply(LinkFault::ReaderProtocol(
                        "the reader keeps sending partial frames".to_owned(),
                    )));
                }
                self.process()
            }
            Err(PipeError::Timeout) if !self.rx.is_empty() => self.cancel(LinkError::NoReply(
                LinkFault::ReaderProtocol("the reader's frame was cut short".to_owned()),
            )),
            // Silence: the chip is stuck (or never saw the frame). Abort whatever it is doing.
            Err(PipeError::Timeout) => self.cancel(LinkError::NoReply(LinkFault::ReaderGone)),
            Err(PipeError::Disconnected) => {
                self.finish(Err(LinkError::NoReply(LinkFault::ReaderGone)))
            }
            Err(error) => self.cancel(LinkError::NoReply(pipe_fault(&error))),
        }
    }
}
