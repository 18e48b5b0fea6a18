//! The GET INFO parser and a whole Burn session fed arbitrary token replies: never a panic, and
//! never a success unless every step was acknowledged.
#![no_main]
use kiln_core::Secret;
use kiln_core::link::{LinkError, LinkFault};
use kiln_core::token::{Next, Outcome, SeedState, Session, StepStatus, TokenSettings, parse_info};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_info(data);

    let secret = Secret::from_slice(b"12345678901234567890");
    let Ok(mut session) = Session::burn(&secret, TokenSettings::default()) else {
        return;
    };
    // The input is a sequence of length-prefixed replies; running out means "no reply".
    let mut rest = data;
    while let Next::Send(_) = session.next(1_700_000_000) {
        match rest.split_first() {
            Some((&len, tail)) => {
                let take = usize::from(len).min(tail.len());
                session.on_reply(&tail[..take]);
                rest = &tail[take..];
            }
            None => session.on_link_error(&LinkError::NoReply(LinkFault::TokenMute)),
        }
    }
    let report = session.report();
    let _ = report.summary();
    if report.outcome() == Outcome::Success {
        assert!(report.steps.iter().all(|(_, s)| *s == StepStatus::Done));
        assert_eq!(report.seed_state(), SeedState::New);
    }
});
