//! Runs a token session (single-profile [`crate::token::Session`] or
//! [`crate::molto2::Session`]) over a [`Link`]: the only place where protocol and transport meet.
//!
//! One level below, inside a USB reader's `Link`, [`run_reader_machine`](crate::link::machine::run_reader_machine) runs the reader's own
//! sessions (connect, transmit, close) over its bulk pipe; this loop does not see them.
//!
//! This is the sans-IO loop of the design: the session says what to send, the link moves the
//! bytes, the clock is read right before each command is built (so the config carries the latest
//! time). It contains no I/O of its own; the futures come from the link adapter.

use crate::command::Command;
use crate::link::{Link, LinkError};

/// What the caller of a sans-IO session must do next.
#[derive(Debug)]
pub enum Next<C> {
    /// Transmit this command and give the session the reply (or the link failure).
    Send(C),
    /// The session is over; read its report.
    Done,
}

/// What [`run_session`] needs from a sans-IO session; both protocols' sessions implement it.
pub trait SessionMachine {
    /// The protocol's command kinds.
    type Kind: Copy;
    /// What the session did, per step.
    type Report;
    /// The next command to transmit; `now_unix` is the clock if this call builds one.
    fn next(&mut self, now_unix: u64) -> Next<Command<Self::Kind>>;
    /// Gives the session the reply to the command it last returned.
    fn on_reply(&mut self, reply: &[u8]);
    /// Tells the session the last command got no reply.
    fn on_link_error(&mut self, error: &LinkError);
    /// What is known so far.
    fn report(&self) -> Self::Report;
}

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
pub async fn run_session<S, L, C, O>(
    mut session: S,
    link: &mut L,
    clock: &C,
    mut observe: O,
) -> S::Report
where
    S: SessionMachine,
    L: Link + ?Sized,
    C: Clock + ?Sized,
    O: FnMut(&S::Report),
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

/// Both protocols' sessions, as the runner drives them (the same methods they have of their own).
macro_rules! session_machine {
    ($protocol:ident) => {
        impl SessionMachine for crate::$protocol::Session {
            type Kind = crate::$protocol::apdu::CommandKind;
            type Report = crate::$protocol::Report;

            fn next(&mut self, now_unix: u64) -> Next<Command<Self::Kind>> {
                crate::$protocol::Session::next(self, now_unix)
            }

            fn on_reply(&mut self, reply: &[u8]) {
                crate::$protocol::Session::on_reply(self, reply)
            }

            fn on_link_error(&mut self, error: &LinkError) {
                crate::$protocol::Session::on_link_error(self, error)
            }

            fn report(&self) -> Self::Report {
                crate::$protocol::Session::report(self)
            }
        }
    };
}

session_machine!(token);
session_machine!(molto2);
