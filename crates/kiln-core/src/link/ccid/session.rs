//! The CCID reader sessions: [`Connect`] (GetSlotStatus, IccPowerOn → ATR), [`Transmit`]
//! (XfrBlock, following a chained answer) and [`Close`] (IccPowerOff).
//!
//! Each session numbers its messages from the `bSeq` it is given and says which `bSeq` comes
//! next, so consecutive sessions never reuse a number a late answer might still carry.

use super::exchange::Exchange;
use super::message::{Message, PC_TO_RDR_XFR_BLOCK};
use super::reply::{CommandStatus, IccStatus, Reply, ReplyKind, slot_error, xfr_block_error};
use crate::link::machine::{Action, Machine, Stepped, out_of_turn};
use crate::link::{LinkError, LinkFault, PipeError};
use zeroize::{Zeroize, Zeroizing};

/// Timeout of GetSlotStatus and IccPowerOff.
pub const STATUS_TIMEOUT_MS: u32 = 1_000;
/// Timeout of IccPowerOn (a contactless reader polls and activates the token).
pub const POWER_ON_TIMEOUT_MS: u32 = 3_000;
/// Timeout of XfrBlock, before any time extension. Generous: a token writing its flash may take
/// a while.
pub const XFR_TIMEOUT_MS: u32 = 3_000;
/// Longest chained answer accepted.
pub const MAX_REPLY: usize = 65_538;

/// `wLevelParameter` asking for the next part of a chained answer.
const LEVEL_CONTINUE_RESPONSE: u16 = 0x0010;

/// Runs one exchange after another, numbering the messages.
struct Sequencer {
    slot: u8,
    seq: u8,
    exchange: Option<Exchange>,
}

impl Sequencer {
    fn new(slot: u8, seq: u8) -> Sequencer {
        Sequencer {
            slot,
            seq,
            exchange: None,
        }
    }

    /// Starts an exchange for the message `build(slot, seq)`.
    fn start(
        &mut self,
        build: impl FnOnce(u8, u8) -> Message,
        expected: ReplyKind,
        timeout_ms: u32,
    ) -> Action<Reply> {
        let mut message = build(self.slot, self.seq);
        self.seq = self.seq.wrapping_add(1);
        let mut exchange = Exchange::new(&message, expected, timeout_ms);
        // The exchange holds the encoded bytes (zeroized); this copy may carry an APDU.
        message.data.zeroize();
        let action = exchange.start();
        self.exchange = Some(exchange);
        action
    }

    /// The `bSeq` of a command the reader may still answer (see [`Exchange::abandoned`]).
    fn abandoned(&self) -> Option<u8> {
        self.exchange
            .as_ref()
            .filter(|exchange| exchange.abandoned())
            .map(Exchange::seq)
    }
}

/// Implements [`Stepped`] and [`Machine`] for a session made of a [`Sequencer`], a `begin` step
/// that starts the first exchange and an `on_reply` step that decides what follows each one.
macro_rules! sequenced_machine {
    ($session:ty, $output:ty) => {
        impl $session {
            /// The `bSeq` the next session should start from.
            pub fn next_seq(&self) -> u8 {
                self.sequencer.seq
            }

            /// The `bSeq` of the command this session gave up on while the reader may still
            /// answer it (a timeout), if any. The slot is then busy: send nothing more on it.
            pub fn abandoned_seq(&self) -> Option<u8> {
                self.sequencer.abandoned()
            }
        }

        impl Stepped for $session {
            type Exchange = Exchange;
            type Output = $output;

            fn running(&mut self) -> Option<&mut Exchange> {
                self.sequencer.exchange.as_mut()
            }

            fn after(&mut self, result: Result<Reply, LinkError>) -> Action<$output> {
                self.on_reply(result)
            }
        }

        impl Machine for $session {
            type Output = $output;

            fn start(&mut self) -> Action<$output> {
                let action = self.begin();
                self.forward(action)
            }

            fn on_written(&mut self, result: Result<(), PipeError>) -> Action<$output> {
                self.step_written(result)
            }

            fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<$output> {
                self.step_read(result)
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConnectStep {
    SlotStatus,
    PowerOn,
    Finished,
}

/// The connect session: is a card there? Power it and return its ATR.
pub struct Connect {
    sequencer: Sequencer,
    step: ConnectStep,
}

impl Connect {
    /// Connects to the card in `slot`, numbering messages from `seq`.
    pub fn new(slot: u8, seq: u8) -> Connect {
        Connect {
            sequencer: Sequencer::new(slot, seq),
            step: ConnectStep::SlotStatus,
        }
    }

    fn begin(&mut self) -> Action<Reply> {
        self.step = ConnectStep::SlotStatus;
        self.sequencer.start(
            Message::get_slot_status,
            ReplyKind::SlotStatus,
            STATUS_TIMEOUT_MS,
        )
    }

    fn on_reply(&mut self, result: Result<Reply, LinkError>) -> Action<Vec<u8>> {
        let step = core::mem::replace(&mut self.step, ConnectStep::Finished);
        let reply = match result {
            Ok(reply) => reply,
            Err(error) => return Action::Done(Err(error)),
        };
        if reply.command == CommandStatus::Failed {
            return Action::Done(Err(slot_error(&reply)));
        }
        match step {
            ConnectStep::SlotStatus if reply.icc == IccStatus::Absent => {
                Action::Done(Err(LinkError::NotSent(LinkFault::NoToken)))
            }
            ConnectStep::SlotStatus => {
                self.step = ConnectStep::PowerOn;
                let action = self.sequencer.start(
                    Message::icc_power_on,
                    ReplyKind::DataBlock,
                    POWER_ON_TIMEOUT_MS,
                );
                self.forward(action)
            }
            ConnectStep::PowerOn if reply.data.is_empty() => Action::Done(Err(LinkError::NotSent(
                LinkFault::ReaderProtocol("power-on without ATR".to_owned()),
            ))),
            ConnectStep::PowerOn => Action::Done(Ok(reply.data)),
            ConnectStep::Finished => Action::Done(Err(out_of_turn())),
        }
    }
}

sequenced_machine!(Connect, Vec<u8>);

/// The transmit session: one APDU in an XfrBlock; its output is the reply (`data || SW1 SW2`).
pub struct Transmit {
    sequencer: Sequencer,
    apdu: Zeroizing<Vec<u8>>,
    reply: Zeroizing<Vec<u8>>,
    /// True once the APDU's XfrBlock was answered (later failures are NoReply).
    answered: bool,
    finished: bool,
}

impl Transmit {
    /// Sends `apdu` to the card in `slot`, numbering messages from `seq`.
    pub fn new(slot: u8, seq: u8, apdu: &[u8]) -> Transmit {
        Transmit {
            sequencer: Sequencer::new(slot, seq),
            apdu: Zeroizing::new(apdu.to_vec()),
            reply: Zeroizing::new(Vec::new()),
            answered: false,
            finished: false,
        }
    }

    fn begin(&mut self) -> Action<Reply> {
        if self.apdu.is_empty() {
            return Action::Done(Err(LinkError::NotSent(LinkFault::Reader(
                "an empty command cannot be sent".to_owned(),
            ))));
        }
        let apdu = &self.apdu;
        self.sequencer.start(
            |slot, seq| Message::xfr_block(slot, seq, apdu),
            ReplyKind::DataBlock,
            XFR_TIMEOUT_MS,
        )
    }

    fn done(&mut self, result: Result<Vec<u8>, LinkError>) -> Action<Vec<u8>> {
        self.finished = true;
        Action::Done(result)
    }

    fn on_reply(&mut self, result: Result<Reply, LinkError>) -> Action<Vec<u8>> {
        if self.finished {
            return Action::Done(Err(out_of_turn()));
        }
        let answered = self.answered;
        let promote = |error: LinkError| match error {
            LinkError::NotSent(fault) if answered => LinkError::NoReply(fault),
            other => other,
        };
        let reply = match result {
            Ok(reply) => reply,
            Err(error) => return self.done(Err(promote(error))),
        };
        if reply.command == CommandStatus::Failed {
            return self.done(Err(promote(xfr_block_error(&reply))));
        }
        self.answered = true;
        if self.reply.len() + reply.data.len() > MAX_REPLY {
            let error = LinkFault::ReaderProtocol("reply too long".to_owned());
            return self.done(Err(LinkError::NoReply(error)));
        }
        self.reply.extend_from_slice(&reply.data);
        drop(Zeroizing::new(reply.data));
        match reply.specific {
            // The answer is complete (0x00) or its last part (0x02).
            0x00 | 0x02 => {
                let reply = core::mem::take(&mut *self.reply);
                self.done(Ok(reply))
            }
            // More follows: ask for it with an empty XfrBlock.
            0x01 | 0x03 | 0x10 => {
                let [low, high] = LEVEL_CONTINUE_RESPONSE.to_le_bytes();
                let action = self.sequencer.start(
                    |slot, seq| Message::new(PC_TO_RDR_XFR_BLOCK, slot, seq, [0, low, high]),
                    ReplyKind::DataBlock,
                    XFR_TIMEOUT_MS,
                );
                self.forward(action)
            }
            other => self.done(Err(LinkError::NoReply(LinkFault::ReaderProtocol(format!(
                "chain parameter {other:02X}"
            ))))),
        }
    }
}

sequenced_machine!(Transmit, Vec<u8>);

/// The close session: power the card off. Best-effort; reports whether it worked.
pub struct Close {
    sequencer: Sequencer,
    finished: bool,
}

impl Close {
    /// Powers off the card in `slot`, numbering messages from `seq`.
    pub fn new(slot: u8, seq: u8) -> Close {
        Close {
            sequencer: Sequencer::new(slot, seq),
            finished: false,
        }
    }

    fn begin(&mut self) -> Action<Reply> {
        self.sequencer.start(
            Message::icc_power_off,
            ReplyKind::SlotStatus,
            STATUS_TIMEOUT_MS,
        )
    }

    fn on_reply(&mut self, result: Result<Reply, LinkError>) -> Action<()> {
        if core::mem::replace(&mut self.finished, true) {
            return Action::Done(Err(out_of_turn()));
        }
        match result {
            Ok(reply) if reply.command == CommandStatus::Failed => {
                Action::Done(Err(slot_error(&reply)))
            }
            Ok(_) => Action::Done(Ok(())),
            Err(error) => Action::Done(Err(error)),
        }
    }
}

sequenced_machine!(Close, ());
