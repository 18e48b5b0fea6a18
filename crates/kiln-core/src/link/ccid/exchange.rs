//! One CCID command for its answer: write the message, read until the answer with the same
//! `bSeq` arrives. Answers with another `bSeq` are late answers to earlier commands and are
//! dropped; time-extension answers mean "still working" and are waited through.

use super::message::{self, HEADER_LEN, MAX_DATA_LEN, Message, MessageError};
use super::reply::{CommandStatus, Reply, ReplyKind};
use crate::link::machine::{Action, Machine, out_of_turn, pipe_fault};
use crate::link::receive_buffer::ReceiveBuffer;
use crate::link::{LinkError, LinkFault, PipeError};
use zeroize::Zeroizing;

/// How many late answers (wrong `bSeq`) are dropped before the reader is considered broken.
const MAX_STALE: u32 = 8;
/// How many time extensions are waited through (each may last the base timeout times its
/// multiplier).
pub const MAX_TIME_EXTENSIONS: u32 = 60;
/// Cap on a time extension's BWT multiplier.
const MAX_MULTIPLIER: u32 = 10;
/// Reads per exchange, so that a reader trickling bytes cannot keep a session alive.
const MAX_READS: u32 = 256;

/// The exchange of one command for its answer. The output is the answer when its command
/// status is "OK" *or* "failed": the session decides what a failure means.
pub struct Exchange {
    bytes: Zeroizing<Vec<u8>>,
    slot: u8,
    seq: u8,
    expected: ReplyKind,
    timeout_ms: u32,
    next_timeout_ms: u32,
    state: State,
    rx: ReceiveBuffer,
    stale: u32,
    extensions: u32,
    abandoned: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Writing,
    Reading,
    Finished,
}

impl Exchange {
    /// Prepares `command`; the answer must be of kind `expected` and come within `timeout_ms`.
    pub fn new(command: &Message, expected: ReplyKind, timeout_ms: u32) -> Exchange {
        Exchange {
            // An oversized message is reported by `start`, not sent.
            bytes: Zeroizing::new(message::encode(command).unwrap_or_default()),
            slot: command.slot,
            seq: command.seq,
            expected,
            timeout_ms,
            next_timeout_ms: timeout_ms,
            state: State::Writing,
            rx: ReceiveBuffer::new(),
            stale: 0,
            extensions: 0,
            abandoned: false,
        }
    }

    /// True when the command was written and the exchange gave up without the reader's final
    /// answer (a timeout, endless time extensions, garbage): the reader may still be working on
    /// it and answer later, with this command's `bSeq`.
    pub fn abandoned(&self) -> bool {
        self.abandoned
    }

    /// The `bSeq` of this exchange's command.
    pub fn seq(&self) -> u8 {
        self.seq
    }

    fn finish(&mut self, result: Result<Reply, LinkError>) -> Action<Reply> {
        self.abandoned = result.is_err() && self.state == State::Reading;
        self.state = State::Finished;
        Action::Done(result)
    }

    fn protocol(&mut self, detail: String) -> Action<Reply> {
        self.finish(Err(LinkError::NoReply(LinkFault::ReaderProtocol(detail))))
    }

    fn read(&self) -> Action<Reply> {
        Action::Read {
            timeout_ms: self.next_timeout_ms,
        }
    }

    /// Consumes the messages in the receive buffer.
    fn process(&mut self) -> Action<Reply> {
        loop {
            if self.rx.is_empty() {
                return self.read();
            }
            let (message, used) = match message::decode_prefix(&self.rx) {
                Ok(decoded) => decoded,
                Err(MessageError::Incomplete) => return self.read(),
                Err(error) => return self.protocol(error.to_string()),
            };
            self.rx.consume(used);
            let reply = match Reply::parse(message) {
                Ok(reply) => reply,
                Err(error) => return self.protocol(error.to_string()),
            };
            if reply.seq != self.seq || reply.slot != self.slot {
                self.stale += 1;
                if self.stale > MAX_STALE {
                    return self.protocol("answers keep carrying the wrong sequence".to_owned());
                }
                continue;
            }
            match reply.command {
                CommandStatus::TimeExtension => {
                    self.extensions += 1;
                    if self.extensions > MAX_TIME_EXTENSIONS {
                        return self.finish(Err(LinkError::NoReply(LinkFault::TokenMute)));
                    }
                    let multiplier = u32::from(reply.error).clamp(1, MAX_MULTIPLIER);
                    self.next_timeout_ms = self.timeout_ms.saturating_mul(multiplier);
                }
                CommandStatus::Failed => return self.finish(Ok(reply)),
                CommandStatus::Ok if reply.kind == self.expected => {
                    return self.finish(Ok(reply));
                }
                CommandStatus::Ok => {
                    let detail = format!("answer {:?} instead of {:?}", reply.kind, self.expected);
                    return self.protocol(detail);
                }
            }
        }
    }
}

impl Machine for Exchange {
    type Output = Reply;

    fn start(&mut self) -> Action<Reply> {
        if self.bytes.is_empty() {
            return self.finish(Err(LinkError::NotSent(LinkFault::Reader(format!(
                "a command longer than {MAX_DATA_LEN} bytes cannot be sent"
            )))));
        }
        self.state = State::Writing;
        Action::Write(self.bytes.clone())
    }

    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<Reply> {
        if self.state != State::Writing {
            return self.finish(Err(out_of_turn()));
        }
        match result {
            Ok(()) => {
                self.state = State::Reading;
                self.read()
            }
            // A message the reader did not receive whole is not executed.
            Err(error) => self.finish(Err(LinkError::NotSent(pipe_fault(&error)))),
        }
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Reply> {
        if self.state != State::Reading {
            return self.finish(Err(out_of_turn()));
        }
        match result {
            Ok(bytes) => {
                if self.rx.push(bytes) > MAX_READS {
                    return self.protocol("the reader keeps sending partial messages".to_owned());
                }
                if self.rx.len() > HEADER_LEN + MAX_DATA_LEN {
                    return self.protocol("answer too long".to_owned());
                }
                self.process()
            }
            Err(PipeError::Timeout) if !self.rx.is_empty() => {
                self.protocol("the reader's answer was cut short".to_owned())
            }
            // The reader reports a mute card itself; silence means the reader is stuck.
            Err(error) => self.finish(Err(LinkError::NoReply(pipe_fault(&error)))),
        }
    }
}
