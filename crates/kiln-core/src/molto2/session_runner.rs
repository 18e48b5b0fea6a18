//! Runs a Molto2 [`Session`] over a [`Link`], as `crate::session_runner` does for the single-profile
//! token: the clock is read right before each command is built.

use super::report::Report;
use super::session::{Next, Session};
use crate::link::Link;
use crate::session_runner::Clock;

/// Runs `session` to the end; `observe` sees a report before each command and after each reply.
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
        drop(command); // wipes the command bytes
        observe(&session.report());
    }
    session.report()
}
