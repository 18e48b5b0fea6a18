//! The Molto2 READ PROFILE parser, and whole Molto2 burn and list sessions fed arbitrary device
//! replies: never a panic, a record only from the documented layout, and never a success unless
//! every step was acknowledged.
#![no_main]
use kiln_core::Secret;
use kiln_core::link::{LinkError, LinkFault};
use kiln_core::molto2::{
    CustomerKey, Next, Outcome, ProfileNumber, ProfileSettings, Replace, Session, StepStatus,
    Title, parse_record,
};
use libfuzzer_sys::fuzz_target;

/// Runs `session` on length-prefixed replies taken from `data`; running out means "no reply".
fn drive(mut session: Session, mut rest: &[u8]) {
    while let Next::Send(_) = session.next(1_700_000_000) {
        match rest.split_first() {
            Some((&len, tail)) => {
                let take = usize::from(len).min(tail.len());
                session.on_reply(&tail[..take]);
                rest = &tail[take..];
            }
            None => session.on_link_error(&LinkError::NoReply(LinkFault::TokenRemoved)),
        }
    }
    let report = session.report();
    let _ = report.summary();
    if report.outcome() == Outcome::Success {
        assert!(report.failure.is_none());
        assert!(
            report
                .steps
                .iter()
                .all(|(_, s)| matches!(s, StepStatus::Done | StepStatus::AlreadyEmpty))
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = parse_record(data) {
        assert_eq!(data.len(), 33);
        assert_eq!(&data[..4], &[0x95, 0x1F, 0x70, 0x1D]);
        assert_eq!(record.occupied, data[32] == 1);
        assert!(record.title.chars().count() <= 16);
    }

    let profile = ProfileNumber::new(data.first().copied().unwrap_or(0) % 100);
    let (Some(profile), Ok(title)) = (profile, Title::new("Fuzz")) else {
        return;
    };
    if let Ok(burn) = Session::burn(
        &CustomerKey::factory_default(),
        profile,
        &Secret::from_slice(b"12345678901234567890"),
        title,
        ProfileSettings::default(),
        Replace::Confirmed,
    ) {
        drive(burn, data);
    }
    drive(Session::list(), data);
});
