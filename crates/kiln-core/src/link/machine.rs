//! The sans-IO contract of the reader sessions: a session says what to do next, the adapter does
//! it and reports back. No I/O and no clock here.
//!
//! * [`Machine`] — the contract; `Stepped` — a session made of exchanges run one at a time;
//! * [`run_reader_machine`] — the loop that runs a reader session over a [`BulkPipe`] (inside a
//!   USB reader's [`Link`](crate::link::Link)). The loop one level up, a token session over any
//!   `Link`, is [`run_session`](crate::session_runner::run_session).

use crate::link::{BulkPipe, LinkError, LinkFault, PipeError};
use core::fmt;
use zeroize::Zeroizing;

/// What a session wants done next.
pub enum Action<T> {
    /// Write these bytes to the bulk OUT endpoint, then call [`Machine::on_written`].
    Write(Zeroizing<Vec<u8>>),
    /// Read one transfer from bulk IN, waiting at most `timeout_ms`, then call
    /// [`Machine::on_read`].
    Read {
        /// How long to wait for the reader.
        timeout_ms: u32,
    },
    /// The session is over.
    Done(Result<T, LinkError>),
}

/// Written bytes may carry an APDU, so `Debug` shows only their size.
impl<T: fmt::Debug> fmt::Debug for Action<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Write(bytes) => write!(f, "Write({} bytes)", bytes.len()),
            Action::Read { timeout_ms } => write!(f, "Read({timeout_ms} ms)"),
            Action::Done(result) => write!(f, "Done({result:?})"),
        }
    }
}

/// A reader session as a state machine.
///
/// Call [`start`](Machine::start) once, then answer each [`Action::Write`] with
/// [`on_written`](Machine::on_written) and each [`Action::Read`] with
/// [`on_read`](Machine::on_read) until [`Action::Done`]. Every session ends after a bounded
/// number of steps, whatever the reader sends.
pub trait Machine {
    /// What the session produces.
    type Output;

    /// The first action.
    fn start(&mut self) -> Action<Self::Output>;

    /// The result of the last [`Action::Write`].
    fn on_written(&mut self, result: Result<(), PipeError>) -> Action<Self::Output>;

    /// The result of the last [`Action::Read`].
    fn on_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Self::Output>;
}

/// Runs a reader session (a [`Machine`]) over a pipe to its end: the whole async adapter.
pub async fn run_reader_machine<P: BulkPipe, M: Machine>(
    pipe: &mut P,
    machine: &mut M,
) -> Result<M::Output, LinkError> {
    let mut action = machine.start();
    loop {
        action = match action {
            Action::Write(bytes) => {
                let result = pipe.write(&bytes).await;
                machine.on_written(result)
            }
            Action::Read { timeout_ms } => {
                let result = pipe.read(timeout_ms).await;
                machine.on_read(result)
            }
            Action::Done(result) => return result,
        };
    }
}

/// The fault behind a failed USB transfer.
pub(crate) fn pipe_fault(error: &PipeError) -> LinkFault {
    match error {
        PipeError::Timeout | PipeError::Disconnected => LinkFault::ReaderGone,
        PipeError::Stalled | PipeError::Io(_) => LinkFault::Reader(error.to_string()),
    }
}

/// The adapter called the machine out of turn (a bug in the adapter, reported, not panicked).
pub(crate) fn out_of_turn() -> LinkError {
    LinkError::NoReply(LinkFault::ReaderProtocol(
        "reader session driven out of order".to_owned(),
    ))
}

/// A reader session made of exchanges run one at a time (connect, transmit, close of either
/// codec): it passes the running exchange's writes and reads through, and decides from each
/// exchange's result what comes next. Its [`Machine::on_written`] and [`Machine::on_read`] are
/// [`Stepped::step_written`] and [`Stepped::step_read`].
pub(crate) trait Stepped {
    /// The exchange the session runs.
    type Exchange: Machine;
    /// What the session produces.
    type Output;

    /// The exchange in progress; `None` when there is none (the session is over or was never
    /// started), so that a write or read reported now is out of turn.
    fn running(&mut self) -> Option<&mut Self::Exchange>;

    /// What follows an exchange's result (an out-of-turn call arrives here as an error).
    fn after(&mut self, result: Result<StepOutput<Self>, LinkError>) -> Action<Self::Output>;

    /// Passes an exchange's write or read through, or hands its result to [`Stepped::after`].
    fn forward(&mut self, action: Action<StepOutput<Self>>) -> Action<Self::Output> {
        match action {
            Action::Write(bytes) => Action::Write(bytes),
            Action::Read { timeout_ms } => Action::Read { timeout_ms },
            Action::Done(result) => self.after(result),
        }
    }

    /// [`Machine::on_written`]: the running exchange takes the result.
    fn step_written(&mut self, result: Result<(), PipeError>) -> Action<Self::Output> {
        let action = match self.running() {
            Some(exchange) => exchange.on_written(result),
            None => Action::Done(Err(out_of_turn())),
        };
        self.forward(action)
    }

    /// [`Machine::on_read`]: the running exchange takes the result.
    fn step_read(&mut self, result: Result<Vec<u8>, PipeError>) -> Action<Self::Output> {
        let action = match self.running() {
            Some(exchange) => exchange.on_read(result),
            None => Action::Done(Err(out_of_turn())),
        };
        self.forward(action)
    }
}

/// What one exchange of a [`Stepped`] session produces.
pub(crate) type StepOutput<S> = <<S as Stepped>::Exchange as Machine>::Output;
