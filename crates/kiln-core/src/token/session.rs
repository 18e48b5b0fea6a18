//! Sans-IO token sessions: Identify, Burn, Time sync and Seed only (§4.1).
//!
//! A [`Session`] never touches a reader or a clock. Ask it what to send with
//! [`Session::next`] (passing the current time, which it uses only when it builds the config, as
//! late as possible), hand it the reply with [`Session::on_reply`] or the transport failure with
//! [`Session::on_link_error`], and repeat until it says [`Next::Done`]. [`Session::report`] then
//! tells, per step, what reached the token and what the token now holds.
//!
//! Rules enforced here: GET INFO first; unknown serial prefixes stop the session before anything
//! else is sent; one authentication, never retried; config before seed; the seed buffer is wiped
//! as soon as the seed has been sent.

use zeroize::Zeroize;

use super::apdu::{self, Command};
use super::config::TokenSettings;
use super::crypto::DEVICE_KEY;
use super::info::{TokenInfo, parse_info};
use super::model::Model;
use super::reply::{Reply, classify_reply};
use super::report::{Failure, Operation, Report, Step, StepStatus};
use super::seed::{SeedBytes, SeedError};
use crate::link::LinkError;
use crate::secret::Secret;

/// What the caller must do next: send a command, or read [`Session::report`].
pub type Next = crate::session_runner::Next<Command>;

/// Whether the user accepted that a clock write erases the seed on restricted models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedWipe {
    /// The user saw the warning and accepted it.
    Acknowledged,
    /// Not accepted: a time sync stops before writing on restricted models.
    NotAcknowledged,
}

/// One conversation with one token.
#[derive(Debug)]
pub struct Session {
    operation: Operation,
    plan: &'static [Step],
    statuses: Vec<StepStatus>,
    cursor: usize,
    in_flight: bool,
    finished: bool,
    seed: Option<SeedBytes>,
    settings: Option<TokenSettings>,
    seed_wipe: SeedWipe,
    expected_serial: Option<String>,
    info: Option<TokenInfo>,
    model: Option<Model>,
    challenge: Option<[u8; 8]>,
    written_clock: Option<u32>,
    failure: Option<Failure>,
}

const IDENTIFY: &[Step] = &[Step::ReadInfo];
const BURN: &[Step] = &[
    Step::ReadInfo,
    Step::GetChallenge,
    Step::Authenticate,
    Step::WriteConfig,
    Step::WriteSeed,
];
const TIME_SYNC: &[Step] = &[
    Step::ReadInfo,
    Step::GetChallenge,
    Step::Authenticate,
    Step::WriteConfig,
];
const SEED_ONLY: &[Step] = &[
    Step::ReadInfo,
    Step::GetChallenge,
    Step::Authenticate,
    Step::WriteSeed,
];

impl Session {
    /// Reads the serial, model and clock. Sends GET INFO only.
    pub fn identify() -> Session {
        Session::new(
            Operation::Identify,
            IDENTIFY,
            None,
            None,
            SeedWipe::NotAcknowledged,
        )
    }

    /// The full burn: info, authentication, config (clock, algorithm, period, display), seed.
    pub fn burn(secret: &Secret, settings: TokenSettings) -> Result<Session, SeedError> {
        let seed = SeedBytes::new(secret)?;
        Ok(Session::new(
            Operation::Burn,
            BURN,
            Some(seed),
            Some(settings),
            SeedWipe::Acknowledged,
        ))
    }

    /// Sets the clock (a full config write). On restricted models this erases the seed, so the
    /// caller must pass [`SeedWipe::Acknowledged`] after warning the user; otherwise the session
    /// stops after GET INFO on those models.
    pub fn time_sync(settings: TokenSettings, seed_wipe: SeedWipe) -> Session {
        Session::new(
            Operation::TimeSync,
            TIME_SYNC,
            None,
            Some(settings),
            seed_wipe,
        )
    }

    /// Replaces the seed only; the token keeps its clock and settings.
    pub fn seed_only(secret: &Secret) -> Result<Session, SeedError> {
        let seed = SeedBytes::new(secret)?;
        Ok(Session::new(
            Operation::SeedOnly,
            SEED_ONLY,
            Some(seed),
            None,
            SeedWipe::NotAcknowledged,
        ))
    }

    /// Stops before any write unless the token reports this serial (for example the one the
    /// user identified a moment ago), so a token swapped on the reader is never written by
    /// mistake.
    pub fn expect_serial(mut self, serial: impl Into<String>) -> Session {
        self.expected_serial = Some(serial.into());
        self
    }

    fn new(
        operation: Operation,
        plan: &'static [Step],
        seed: Option<SeedBytes>,
        settings: Option<TokenSettings>,
        seed_wipe: SeedWipe,
    ) -> Session {
        Session {
            operation,
            plan,
            statuses: vec![StepStatus::NotSent; plan.len()],
            cursor: 0,
            in_flight: false,
            finished: false,
            seed,
            settings,
            seed_wipe,
            expected_serial: None,
            info: None,
            model: None,
            challenge: None,
            written_clock: None,
            failure: None,
        }
    }

    /// The next command to transmit. `now_unix` is the current UTC time in seconds; it becomes
    /// the token's clock when this call builds the config, so call it right before sending.
    pub fn next(&mut self, now_unix: u64) -> Next {
        if self.finished {
            return Next::Done;
        }
        if self.in_flight {
            // The caller asked for a new command without reporting what happened to the last one.
            self.statuses[self.cursor] = StepStatus::Unknown;
            return self.fail(Failure::OutOfOrder);
        }
        let Some(&step) = self.plan.get(self.cursor) else {
            self.finished = true;
            return Next::Done;
        };
        let command = match self.build(step, now_unix) {
            Ok(command) => command,
            Err(failure) => return self.fail(failure),
        };
        self.in_flight = true;
        self.statuses[self.cursor] = StepStatus::Sending;
        Next::Send(command)
    }

    fn build(&mut self, step: Step, now_unix: u64) -> Result<Command, Failure> {
        match step {
            Step::ReadInfo => Ok(apdu::get_info()),
            Step::GetChallenge => Ok(apdu::get_challenge()),
            Step::Authenticate => {
                let challenge = self.challenge.take().ok_or(Failure::OutOfOrder)?;
                Ok(apdu::answer_challenge(&DEVICE_KEY, &challenge))
            }
            Step::WriteConfig => {
                let settings = self.settings.ok_or(Failure::OutOfOrder)?;
                let clock = u32::try_from(now_unix).map_err(|_| Failure::ClockOutOfRange)?;
                self.written_clock = Some(clock);
                Ok(apdu::write_config(&DEVICE_KEY, &settings, clock))
            }
            Step::WriteSeed => {
                let seed = self.seed.as_ref().ok_or(Failure::OutOfOrder)?;
                Ok(apdu::write_seed(&DEVICE_KEY, seed))
            }
        }
    }

    /// Gives the session the token's reply to the command it last returned.
    pub fn on_reply(&mut self, reply: &[u8]) {
        if !self.in_flight || self.finished {
            return; // a stray reply changes nothing
        }
        self.in_flight = false;
        let step = self.plan[self.cursor];
        match classify_reply(step, reply) {
            Reply::Ok(data) => self.accept(step, data),
            Reply::Refused(error) => {
                self.statuses[self.cursor] = StepStatus::Refused(error);
                self.fail(Failure::Refused { step, error });
            }
            Reply::Unreadable => {
                self.statuses[self.cursor] = StepStatus::Unknown;
                self.fail(Failure::BadReply { step });
            }
            Reply::MayHaveChanged(status) => {
                self.statuses[self.cursor] = StepStatus::Unknown;
                self.fail(Failure::UnclearStatus { step, status });
            }
        }
    }

    /// Tells the session the last command got no reply.
    pub fn on_link_error(&mut self, error: &LinkError) {
        if !self.in_flight || self.finished {
            return;
        }
        self.in_flight = false;
        let step = self.plan[self.cursor];
        self.statuses[self.cursor] = match error {
            LinkError::NotSent(_) => StepStatus::NotSent,
            LinkError::NoReply(_) => StepStatus::Unknown,
        };
        self.fail(Failure::Link {
            step,
            error: error.clone(),
        });
    }

    fn accept(&mut self, step: Step, data: &[u8]) {
        match step {
            Step::ReadInfo => match parse_info(data) {
                Ok(info) => {
                    self.statuses[self.cursor] = StepStatus::Done;
                    let refusal = self.check_token(&info);
                    self.info = Some(info);
                    if let Some(failure) = refusal {
                        self.fail(failure);
                        return;
                    }
                }
                Err(error) => {
                    self.statuses[self.cursor] = StepStatus::Unknown;
                    self.fail(Failure::UnreadableInfo(error));
                    return;
                }
            },
            Step::GetChallenge => {
                // classify_reply guarantees exactly 8 bytes.
                let mut challenge = [0u8; 8];
                challenge.copy_from_slice(data);
                self.challenge = Some(challenge);
                self.statuses[self.cursor] = StepStatus::Done;
            }
            Step::Authenticate | Step::WriteConfig => {
                self.statuses[self.cursor] = StepStatus::Done;
            }
            Step::WriteSeed => {
                self.statuses[self.cursor] = StepStatus::Done;
                self.seed = None; // wipes the seed buffer (SeedBytes zeroizes on drop)
            }
        }
        self.cursor += 1;
        if self.cursor == self.plan.len() {
            self.finish();
        }
    }

    /// The checks that must pass before anything but GET INFO is sent.
    fn check_token(&mut self, info: &TokenInfo) -> Option<Failure> {
        let Some(model) = Model::from_serial(&info.serial) else {
            return Some(Failure::UnknownModel {
                serial: info.serial.clone(),
            });
        };
        self.model = Some(model);
        if let Some(expected) = &self.expected_serial
            && *expected != info.serial
        {
            return Some(Failure::DifferentToken {
                expected: expected.clone(),
                found: info.serial.clone(),
            });
        }
        if self.operation == Operation::TimeSync
            && model.restricted_sync()
            && self.seed_wipe != SeedWipe::Acknowledged
        {
            return Some(Failure::SeedWipeNotAcknowledged { model });
        }
        None
    }

    fn fail(&mut self, failure: Failure) -> Next {
        self.failure = Some(failure);
        self.finish();
        Next::Done
    }

    fn finish(&mut self) {
        self.finished = true;
        self.in_flight = false;
        self.seed = None;
        if let Some(mut challenge) = self.challenge.take() {
            challenge.zeroize();
        }
    }

    /// True once the session has nothing more to send.
    pub fn is_done(&self) -> bool {
        self.finished
    }

    /// The step whose command is in flight or comes next.
    pub fn current_step(&self) -> Option<Step> {
        (!self.finished)
            .then(|| self.plan.get(self.cursor).copied())
            .flatten()
    }

    /// What is known so far; final once [`Session::is_done`].
    pub fn report(&self) -> Report {
        Report {
            operation: self.operation,
            steps: self
                .plan
                .iter()
                .copied()
                .zip(self.statuses.iter().copied())
                .collect(),
            info: self.info.clone(),
            model: self.model,
            settings: self.settings,
            written_clock: self.written_clock,
            failure: self.failure.clone(),
            finished: self.finished,
        }
    }
}
