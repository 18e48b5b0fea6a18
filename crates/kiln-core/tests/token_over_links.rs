//! Whole Token2 burns through the simulated USB readers, PN533 and CCID, byte for byte as a
//! browser would send them: every seed length, and the reader-level faults (unplug mid-burn,
//! stalled and garbled replies, NACKs, the token leaving the field). The report must always
//! match what the simulated token holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use kiln_core::link::ccid::CcidLink;
use kiln_core::link::pn53x::Pn533Link;
use kiln_core::link::{Link, LinkError};
use kiln_core::session_runner::run_session;
use kiln_core::token::{Outcome, Report, SeedState, Session, Step, StepStatus, TokenSettings};
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret, otp};
use kiln_sim::ccid::SimCcid;
use kiln_sim::pn533::SimPn533;
use kiln_sim::token::{Fault, Ins, SimToken, StoredSettings};
use support::SimPipe;

const NOW: u64 = 1_780_000_000;
const OLD_SEED: &[u8] = b"an old seed of 20 b!";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Reader {
    Pn533,
    Ccid,
}

/// A reader-level misbehaviour, armed right before a given step's command is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ReaderFault {
    UnplugAfterCommand,
    StallReply,
    GarbleReply,
    NackCommand,
}

/// What the tests need from either simulated reader.
trait SimReader {
    /// Takes the token off the reader, with everything it recorded.
    fn take_token(&mut self) -> SimToken;
    fn arm(&mut self, fault: ReaderFault);
}

/// What is left on a reader once its token was taken for inspection.
fn placeholder() -> SimToken {
    SimToken::new("0", NOW)
}

impl SimReader for SimPn533<SimToken> {
    fn take_token(&mut self) -> SimToken {
        self.replace_card(placeholder())
    }
    fn arm(&mut self, fault: ReaderFault) {
        match fault {
            ReaderFault::UnplugAfterCommand => self.unplug_after_next_command(),
            ReaderFault::StallReply => self.stall_next_response(),
            ReaderFault::GarbleReply => self.garble_next_response(),
            ReaderFault::NackCommand => self.nack_next_command(),
        }
    }
}

impl SimReader for SimCcid<SimToken> {
    fn take_token(&mut self) -> SimToken {
        self.replace_card(placeholder())
    }
    fn arm(&mut self, fault: ReaderFault) {
        match fault {
            ReaderFault::UnplugAfterCommand => self.unplug_after_next_command(),
            ReaderFault::StallReply => self.stall_next_reply(),
            ReaderFault::GarbleReply => self.garble_next_reply(),
            // CCID has no NACK; a delayed reply exercises bSeq matching instead.
            ReaderFault::NackCommand => self.delay_next_reply(),
        }
    }
}

enum AnyLink<P> {
    Pn533(Pn533Link<P>),
    Ccid(CcidLink<P>),
}

impl<P: kiln_core::link::BulkPipe> Link for AnyLink<P> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        match self {
            AnyLink::Pn533(l) => l.transmit(apdu).await,
            AnyLink::Ccid(l) => l.transmit(apdu).await,
        }
    }
}

/// Runs `session` on `token` through `reader`, arming `fault` before `at`'s command.
/// Returns the report (or the connect error) and the token as it is afterwards.
fn run(
    reader: Reader,
    token: SimToken,
    session: Session,
    fault: Option<(Step, ReaderFault)>,
) -> (Result<Report, LinkError>, SimToken) {
    match reader {
        Reader::Pn533 => run_on(
            SimPn533::new(token),
            |p| async move { Pn533Link::connect(p).await.map(AnyLink::Pn533) },
            session,
            fault,
        ),
        Reader::Ccid => run_on(
            SimCcid::new(token),
            |p| async move { CcidLink::connect(p).await.map(AnyLink::Ccid) },
            session,
            fault,
        ),
    }
}

fn run_on<D, C, F>(
    device: D,
    connect: C,
    session: Session,
    fault: Option<(Step, ReaderFault)>,
) -> (Result<Report, LinkError>, SimToken)
where
    D: kiln_sim::SimUsbDevice + SimReader + 'static,
    C: FnOnce(SimPipe<D>) -> F,
    F: std::future::Future<Output = Result<AnyLink<SimPipe<D>>, LinkError>>,
{
    let (pipe, sim, _wire) = SimPipe::new(device);
    let result = pollster::block_on(async {
        let mut link = connect(pipe).await?;
        let armed = Rc::new(RefCell::new(fault));
        let sim_for_observer = sim.clone();
        let observe = move |report: &Report| {
            let mut armed = armed.borrow_mut();
            if let Some((step, fault)) = *armed
                && report
                    .steps
                    .iter()
                    .any(|(s, st)| *s == step && *st == StepStatus::Sending)
            {
                sim_for_observer.borrow_mut().arm(fault);
                *armed = None;
            }
        };
        Ok(run_session(session, &mut link, &|| NOW, observe).await)
    });
    let token = sim.borrow_mut().take_token();
    (result, token)
}

fn token(serial: &str) -> SimToken {
    SimToken::new(serial, NOW)
        .with_seed(OLD_SEED, StoredSettings::default())
        .with_clock_offset(-90)
}

#[test]
fn every_seed_length_burns_through_both_readers() {
    for reader in [Reader::Pn533, Reader::Ccid] {
        for len in 1..=63usize {
            let seed: Vec<u8> = (0..len)
                .map(|i| (i as u8).wrapping_mul(37).wrapping_add(len as u8))
                .collect();
            let secret = Secret::new(seed.clone());
            let (algorithm, period) = match len % 3 {
                0 => (Algorithm::Sha256, Period::S60),
                1 => (Algorithm::Sha1, Period::S30),
                _ => (Algorithm::Sha256, Period::S30),
            };
            let settings = TokenSettings {
                algorithm,
                period,
                display: DisplayTimeout::S60,
            };
            let (report, token) = run(
                reader,
                token("8659622000123"),
                Session::burn(&secret, settings).unwrap(),
                None,
            );
            let report = report.unwrap();
            assert_eq!(
                report.outcome(),
                Outcome::Success,
                "{reader:?} len {len}: {}",
                report.summary()
            );
            assert_eq!(&token.seed().unwrap()[..len], &seed[..]);
            for t in [NOW, NOW + 45, NOW + 3_600_007] {
                assert_eq!(
                    token.displayed_code(t).unwrap(),
                    otp::code_at(&secret, algorithm, period, t),
                    "{reader:?} len {len} at {t}"
                );
            }
        }
    }
}

#[test]
fn recoverable_reader_hiccups_do_not_break_a_burn() {
    // PN533: a NACK instead of an ACK, and a garbled response, are recovered by the link (resend,
    // NACK to re-request): the burn completes and each command reached the token exactly once.
    // (CCID has no such recovery; its faults are in the next test.)
    for reader in [Reader::Pn533] {
        for (step, fault) in [
            (Step::WriteSeed, ReaderFault::NackCommand),
            (Step::WriteConfig, ReaderFault::GarbleReply),
        ] {
            let secret = Secret::new(b"12345678901234567890".to_vec());
            let (report, token) = run(
                reader,
                token("8659600000042"),
                Session::burn(&secret, TokenSettings::default()).unwrap(),
                Some((step, fault)),
            );
            let report = report.unwrap();
            assert_eq!(
                report.outcome(),
                Outcome::Success,
                "{reader:?} {fault:?}: {}",
                report.summary()
            );
            assert_eq!(token.seed(), Some(&b"12345678901234567890"[..]));
            assert_eq!(token.executed(), Ins::ALL, "{reader:?} {fault:?}");
        }
    }
}

#[test]
fn reader_faults_on_writes_are_never_a_success_and_match_the_token() {
    let mut cases = 0;
    for reader in [Reader::Pn533, Reader::Ccid] {
        for serial in ["8659622000123", "8659632000001"] {
            for step in [Step::WriteConfig, Step::WriteSeed] {
                for fault in [
                    ReaderFault::UnplugAfterCommand,
                    ReaderFault::StallReply,
                    ReaderFault::GarbleReply,
                    ReaderFault::NackCommand,
                ] {
                    if reader == Reader::Pn533
                        && matches!(fault, ReaderFault::GarbleReply | ReaderFault::NackCommand)
                    {
                        continue; // recovered by the PN533 link (previous test)
                    }
                    let new = b"a brand new seed 20b".to_vec();
                    let secret = Secret::new(new.clone());
                    let (report, token) = run(
                        reader,
                        token(serial),
                        Session::burn(&secret, TokenSettings::default()).unwrap(),
                        Some((step, fault)),
                    );
                    let report = report.unwrap();
                    let label = format!(
                        "{reader:?} {serial} {step:?} {fault:?}: {}",
                        report.summary()
                    );
                    assert_eq!(report.outcome(), Outcome::Unknown, "{label}");
                    // The reader executed the command before failing, so the token holds the
                    // result of that write; the report must allow exactly that.
                    let holds = token.seed();
                    match report.seed_state() {
                        SeedState::NewOrErased => {
                            assert!(holds.is_none() || holds == Some(&new[..]), "{label}")
                        }
                        SeedState::NewOrUnchanged => assert!(
                            holds == Some(OLD_SEED) || holds == Some(&new[..]),
                            "{label}"
                        ),
                        SeedState::ErasedOrUnchanged => {
                            assert!(holds.is_none() || holds == Some(OLD_SEED), "{label}")
                        }
                        // A config write on a model that keeps its seed: the seed is certain.
                        SeedState::Unchanged => {
                            assert!(
                                serial.starts_with("8659632") && step == Step::WriteConfig,
                                "{label}"
                            );
                            assert_eq!(holds, Some(OLD_SEED), "{label}");
                        }
                        other => panic!("{other:?} is not an uncertain state: {label}"),
                    }
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 2 * 2 * (2 + 4));
}

#[test]
fn the_token_leaving_the_field_mid_burn_is_reported_truthfully() {
    for reader in [Reader::Pn533, Reader::Ccid] {
        let mut t = token("8659601000001"); // restricted: the config write erases the seed
        t.inject(Ins::WriteSeed, Fault::RemovedBeforeExecuting);
        let secret = Secret::new(b"a brand new seed 20b".to_vec());
        let (report, token) = run(
            reader,
            t,
            Session::burn(&secret, TokenSettings::default()).unwrap(),
            None,
        );
        let report = report.unwrap();
        assert_eq!(
            report.outcome(),
            Outcome::Unknown,
            "{reader:?}: {}",
            report.summary()
        );
        assert_eq!(report.seed_state(), SeedState::NewOrErased);
        assert_eq!(
            token.seed(),
            None,
            "the token lost its old seed and never got the new one"
        );
        assert!(
            report.summary().contains("erased its old seed"),
            "{}",
            report.summary()
        );
    }
}

#[test]
fn no_token_on_the_reader_sends_nothing_to_any_token() {
    for reader in [Reader::Pn533, Reader::Ccid] {
        let mut t = token("8659622000123");
        t.remove();
        let secret = Secret::new(b"12345678901234567890".to_vec());
        let (result, token) = run(
            reader,
            t,
            Session::burn(&secret, TokenSettings::default()).unwrap(),
            None,
        );
        let error = result.unwrap_err();
        assert!(
            matches!(error, LinkError::NotSent(_)),
            "{reader:?}: {error:?}"
        );
        assert_eq!(token.seed(), Some(OLD_SEED));
    }
}
