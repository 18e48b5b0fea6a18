//! A CCID reader that answers a command after the link gave up on it (kiln-sim's
//! `late_next_reply`: the first read after the command times out, the answer comes on the next
//! read, with the old `bSeq`). The link must treat the slot as busy: no further APDU on it, the
//! late answer collected on close, and never taken as the answer to a later command. Over a
//! whole burn, the report must then say "unknown", never "done", whatever the late answer says.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use kiln_core::link::ccid::CcidLink;
use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::session_runner::run_session;
use kiln_core::token::{Outcome, Report, SeedState, Session, Step, StepStatus, TokenSettings};
use kiln_core::{Secret, link::BulkPipe};
use kiln_sim::SimUsbDevice;
use kiln_sim::ccid::{SimCcid, SimIn};
use kiln_sim::token::{SimToken, StoredSettings};
use pollster::block_on;
use support::{SimPipe, TestCard, Wire, echo_of};

type Sim<C> = Rc<RefCell<SimCcid<C>>>;

const XFR_BLOCK: u8 = 0x6F;
const ICC_POWER_OFF: u8 = 0x63;

fn connected<C: kiln_sim::Card + 'static>(card: C) -> (CcidLink<SimPipe<SimCcid<C>>>, Sim<C>) {
    let (pipe, sim, _) = SimPipe::new(SimCcid::new(card));
    let link = block_on(CcidLink::connect(pipe)).expect("connect");
    (link, sim)
}

/// The XfrBlocks the reader received: (bSeq, APDU).
fn xfr_blocks<C: kiln_sim::Card>(sim: &Sim<C>) -> Vec<(u8, Vec<u8>)> {
    sim.borrow()
        .log()
        .iter()
        .filter(|c| c.message_type == XFR_BLOCK)
        .map(|c| (c.seq, c.data.clone()))
        .collect()
}

#[test]
fn after_a_timeout_the_link_sends_nothing_more() {
    let (mut link, sim) = connected(TestCard::echo());
    sim.borrow_mut().late_next_reply();
    assert_eq!(
        block_on(link.transmit(&[0x80, 0x01])),
        Err(LinkError::NoReply(LinkFault::ReaderGone))
    );
    assert!(!link.is_usable());
    // The late answer (80 01 90 00) is waiting in the reader; a later command must not be sent,
    // let alone answered with it.
    assert_eq!(
        block_on(link.transmit(&[0x80, 0x02])),
        Err(LinkError::NotSent(LinkFault::ReaderGone))
    );
    assert_eq!(xfr_blocks(&sim), vec![(2, vec![0x80, 0x01])]);
    assert_eq!(sim.borrow().card().received, vec![vec![0x80, 0x01]]);
}

#[test]
fn close_collects_the_late_answer_before_powering_off() {
    let (pipe, sim, wire) = SimPipe::new(SimCcid::new(TestCard::echo()));
    let mut link = block_on(CcidLink::connect(pipe)).expect("connect");
    sim.borrow_mut().late_next_reply();
    assert!(block_on(link.transmit(&[0x80, 0x01])).is_err());
    let pipe = block_on(link.close());
    // On the wire: the late DataBlock (bSeq 2, 80 01 90 00) was read *before* IccPowerOff was
    // written, so the reader was idle when it got the next command.
    let wire = wire.borrow();
    let power_off = wire
        .iter()
        .rposition(|w| matches!(w, Wire::Write(bytes) if bytes.first() == Some(&ICC_POWER_OFF)))
        .expect("IccPowerOff was sent");
    let late = wire[..power_off].iter().rev().find_map(|w| match w {
        Wire::Read {
            result: Ok(bytes), ..
        } => Some(bytes.clone()),
        _ => None,
    });
    assert_eq!(
        late,
        Some(vec![
            0x80, 4, 0, 0, 0, 0, 2, 0, 0, 0, 0x80, 0x01, 0x90, 0x00
        ])
    );
    drop(wire);
    let types: Vec<u8> = sim.borrow().log().iter().map(|c| c.message_type).collect();
    assert_eq!(types.last(), Some(&ICC_POWER_OFF));
    assert_eq!(sim.borrow_mut().bulk_in(), SimIn::Nothing);
    let mut next = block_on(CcidLink::connect(pipe)).expect("reconnect");
    assert_eq!(
        block_on(next.transmit(&[0x80, 0x02])),
        Ok(echo_of(&[0x80, 0x02]))
    );
}

#[test]
fn a_late_answer_reaching_a_new_link_is_dropped_by_its_sequence_number() {
    // The first link is dropped without close (as if the program forgot), so the late answer
    // is still in the reader when the next link starts numbering again from 0.
    let (pipe, sim, _) = SimPipe::new(SimCcid::new(TestCard::echo()));
    let mut pipe = pipe;
    {
        let mut link = block_on(CcidLink::connect(&mut pipe)).expect("connect");
        sim.borrow_mut().late_next_reply();
        assert!(block_on(link.transmit(&[0x80, 0x01])).is_err());
    }
    let mut next = block_on(CcidLink::connect(&mut pipe)).expect("reconnect");
    assert_eq!(
        block_on(next.transmit(&[0x80, 0x02])),
        Ok(echo_of(&[0x80, 0x02]))
    );
    assert_eq!(
        block_on(next.transmit(&[0x80, 0x03])),
        Ok(echo_of(&[0x80, 0x03]))
    );
}

/// A CCID link that arms the late-reply fault right before the command with instruction `ins`.
struct ArmedLink<P> {
    link: CcidLink<P>,
    sim: Sim<SimToken>,
    ins: u8,
    sent_after_timeout: Rc<Cell<u32>>,
    timed_out: bool,
}

impl<P: BulkPipe> Link for ArmedLink<P> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        if self.timed_out {
            self.sent_after_timeout
                .set(self.sent_after_timeout.get() + 1);
        }
        if apdu.get(1) == Some(&self.ins) {
            self.sim.borrow_mut().late_next_reply();
        }
        let result = self.link.transmit(apdu).await;
        self.timed_out |= result.is_err();
        result
    }
}

#[test]
fn a_burn_whose_write_is_answered_late_is_unknown_never_done() {
    for (ins, step) in [(0xD4u8, Step::WriteConfig), (0xC5, Step::WriteSeed)] {
        for serial in ["8659622000123", "8659632000001"] {
            let old = b"an old seed of 20 b!";
            let token = SimToken::new(serial, 1_780_000_000)
                .with_seed(old, StoredSettings::default())
                .with_clock_offset(-90);
            let (pipe, sim, _) = SimPipe::new(SimCcid::new(token));
            let new: Vec<u8> = (1..=20).collect();
            let secret = Secret::new(new.clone());
            let session = Session::burn(&secret, TokenSettings::default()).unwrap();
            let sent_after_timeout = Rc::new(Cell::new(0));
            let report: Report = block_on(async {
                let link = CcidLink::connect(pipe).await.expect("connect");
                let mut armed = ArmedLink {
                    link,
                    sim: sim.clone(),
                    ins,
                    sent_after_timeout: sent_after_timeout.clone(),
                    timed_out: false,
                };
                let report = run_session(session, &mut armed, &|| 1_780_000_000, |_| {}).await;
                armed.link.close().await;
                report
            });
            let label = format!("{step:?} on {serial}: {}", report.summary());
            let status = report.steps.iter().find(|(s, _)| *s == step).unwrap().1;
            // The token executed the write and its late answer said 90 00, but it came after
            // the link gave up: the step's effect is unknown, not done.
            assert_eq!(status, StepStatus::Unknown, "{label}");
            assert_eq!(report.outcome(), Outcome::Unknown, "{label}");
            assert_eq!(sent_after_timeout.get(), 0, "{label}");
            let writes = xfr_blocks(&sim)
                .iter()
                .filter(|(_, apdu)| apdu.get(1) == Some(&ins))
                .count();
            let sim = sim.borrow();
            let holds_new = sim.card().seed() == Some(new.as_slice());
            let holds_old = sim.card().seed() == Some(old.as_slice());
            let allowed = match report.seed_state() {
                SeedState::NewOrUnchanged => holds_new || holds_old,
                SeedState::NewOrErased => holds_new || sim.card().seed().is_none(),
                SeedState::ErasedOrUnchanged => holds_old || sim.card().seed().is_none(),
                SeedState::Unchanged => holds_old,
                other => panic!("{other:?}: {label}"),
            };
            assert!(allowed, "{label}");
            // Exactly one XfrBlock carried the write, and nothing was sent after it.
            assert_eq!(writes, 1, "{label}");
        }
    }
}
