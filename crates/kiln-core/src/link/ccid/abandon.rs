//! After a timeout: the reader may still be executing the command and answer it later.
//!
//! CCID's own remedy (§5.3.1 ABORT) needs a class request on the *control* pipe together with
//! `PC_to_RDR_Abort`; a [`BulkPipe`](crate::link::BulkPipe) has bulk endpoints only, and a bulk
//! abort alone leaves the slot waiting for the control request. So a [`CcidLink`](super::CcidLink)
//! that gave up on a command treats the slot as unusable: it sends no further APDU, and on close
//! it first collects the late answer with [`Drain`], so that answer cannot reach the next link
//! on the same reader. Any answer is matched by `bSeq` only: a late answer is never taken for
//! another command's.

use super::message::{self, HEADER_LEN, MAX_DATA_LEN, MessageError};
use super::reply::{CommandStatus, Reply};
use super::session::XFR_TIMEOUT_MS;
use crate::link::machine::{Action, Machine, out_of_turn, pipe_fault};
use crate::link::receive_buffer::ReceiveBuffer;
use crate::link::{LinkError, LinkFault, PipeError};
use zeroize::Zeroizing;

/// Reads while waiting for a late answer (time extensions and other stale messages included).
const MAX_DRAIN_READS: u32 = 8;

/// Reads and discards everything until the final answer to the abandoned command (`slot`,
/// `seq`) has arrived. Done with `Ok` when it did; with an error when the reader stayed silent
/// or failed, in which case the answer may still come.
pub struct Drain {
    slot: u8,
    seq: u8,
    rx: ReceiveBuffer,
}

impl Drain {
    /// Waits for the answer to the command numbered `seq` in `slot`.
    pub fn new(slot: u8, seq: u8) -> Drain {
        Drain {
            slot,
            seq,
            rx: ReceiveBuffer::new(),
        }
    }

    fn give_up(detail: &str) -> Action<()> {
        Action::Done(Err(LinkError::NoReply(LinkFault::ReaderProtocol(
            detail.to_owned(),
        ))))
    }
}

impl Machine for Drain {
    type Output = ();

    fn start(&mut self) -> Action<()> {
        Action::Read {
            timeout_ms: XFR_TIMEOUT_MS,
        }
    }

    fn on_written(&mut self, _result: Result<(), PipeError>) -> Action<()> {
        Action::Done(Err(out_of_turn()))
    }

    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<()> {
        let reads = match result {
            Ok(bytes) => self.rx.push(bytes),
            Err(error) => return Action::Done(Err(LinkError::NoReply(pipe_fault(&error)))),
        };
        if self.rx.len() > HEADER_LEN + MAX_DATA_LEN {
            return Drain::give_up("answer too long");
        }
        loop {
            let (message, used) = match message::decode_prefix(&self.rx) {
                Ok(decoded) => decoded,
                Err(MessageError::Incomplete) => break,
                Err(_) => return Drain::give_up("unreadable answer while waiting"),
            };
            self.rx.consume(used);
            let Ok(reply) = Reply::parse(message) else {
                return Drain::give_up("unreadable answer while waiting");
            };
            let final_answer = reply.seq == self.seq
                && reply.slot == self.slot
                && reply.command != CommandStatus::TimeExtension;
            drop(Zeroizing::new(reply.data));
            if final_answer {
                return Action::Done(Ok(()));
            }
        }
        if reads >= MAX_DRAIN_READS {
            return Drain::give_up("the late answer never came");
        }
        Action::Read {
            timeout_ms: XFR_TIMEOUT_MS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RDR_to_PC_DataBlock, slot 0, with `status` and `data`.
    fn data_block(seq: u8, status: u8, data: &[u8]) -> Vec<u8> {
        let len = u32::try_from(data.len()).unwrap().to_le_bytes();
        let mut out = vec![0x80, len[0], len[1], len[2], len[3], 0, seq, status, 1, 0];
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn only_the_final_answer_with_the_abandoned_sequence_ends_the_wait() {
        let mut drain = Drain::new(0, 7);
        assert!(matches!(drain.start(), Action::Read { .. }));
        // A stale answer to another command, then a time extension for ours: keep waiting.
        let read = drain.on_read(Ok(data_block(6, 0x00, &[0x90, 0x00])));
        assert!(matches!(read, Action::Read { .. }));
        let read = drain.on_read(Ok(data_block(7, 0x80, &[])));
        assert!(matches!(read, Action::Read { .. }));
        assert!(matches!(
            drain.on_read(Ok(data_block(7, 0x00, &[0x90, 0x00]))),
            Action::Done(Ok(()))
        ));
    }

    #[test]
    fn silence_or_endless_chatter_ends_the_wait_without_the_answer() {
        let mut drain = Drain::new(0, 7);
        drain.start();
        assert!(matches!(
            drain.on_read(Err(PipeError::Timeout)),
            Action::Done(Err(_))
        ));
        let mut drain = Drain::new(0, 7);
        drain.start();
        let mut last = Action::Read { timeout_ms: 0 };
        for _ in 0..MAX_DRAIN_READS {
            last = drain.on_read(Ok(data_block(7, 0x80, &[])));
        }
        assert!(matches!(last, Action::Done(Err(_))));
    }
}
