//! Runs a token [`Session`] over a [`Link`]: the only place where protocol and transport meet.
//!
//! One level below, inside a USB reader's `Link`, [`run_reader_machine`](crate::link::machine::run_reader_machine) runs the reader's own
//! sessions (connect, transmit, close) over its bulk pipe; this loop does not see them.
//!
//! This is the sans-IO loop of the design: the session says what to send, the link moves the
//! bytes, the clock is read right before each command is built (so the config carries the latest
//! time). It contains no I/O of its own; the futures come from the link adapter.

use crate::link::Link;
use crate::token::{Next, Report, Session};

/// Where the current time comes from (UTC seconds since 1970). The web app reads `Date.now()`,
/// the CLI `SystemTime`, tests a fixed or simulated value.
pub trait Clock {
    /// The current time.
    fn now_unix(&self) -> u64;
}

impl<F: Fn() -> u64> Clock for F {
    fn now_unix(&self) -> u64 {
        self()
    }
}

/// Runs `session` to the end and returns its report. `observe` sees a report snapshot before each
/// command is sent and after each reply, for progress displays.
pub async fn run_session<L, C, O>(
    mut session: Session,
    link: &mut L,
    clock: &C,
    mut observe: O,
) -> Report
where
    L: Link + ?Sized,
    C: Clock + ?Sized,
    O: FnMut(&Report),
{
    loop {
        let command = match session.next(clock.now_unix()) {
            Next::Send(command) => command,
            Next::Done => break,
        };
        observe(&session.report());
        match link.transmit(command.bytes()).await {
            Ok(reply) => session.on_reply(&reply),
            Err(error) => session.on_link_error(&error),
        }
        drop(command); // wipes the command bytes (a seed write is as secret as the seed)
        observe(&session.report());
    }
    session.report()
}
