//! Sans-IO Molto2 sessions, like `token::session`: ask [`Session::next`] what to send (passing
//! the current time, used only when a clock is built), hand over the reply with
//! [`Session::on_reply`] or the transport failure with [`Session::on_link_error`], repeat until
//! [`Next::Done`], then read [`Session::report`].
//!
//! Rules enforced here: GET INFO first, and a device whose answer is unreadable or carries a
//! single-profile serial gets nothing else; a profile is read before it is written, and one
//! that holds a seed is never overwritten unless the caller asked to replace it (then it is
//! deleted first); one authentication, never retried (`63 NN` stops the session); seed →
//! title → config in that one session; buffers holding the seed and keys are wiped on drop.

use zeroize::{Zeroize, Zeroizing};

use super::apdu::{self, Command};
use super::key::CustomerKey;
use super::plan::{Plan, SyncTarget, check_device};
use super::profile::{ProfileNumber, ProfileRecord, parse_record};
use super::reply::{Reply, classify};
use super::report::{Failure, Report};
use super::settings::{ProfileSettings, Title};
use super::step::{Operation, Step, StepStatus};
use crate::link::LinkError;
use crate::secret::Secret;
use crate::token::seed::SeedBytes;
use crate::token::{TokenInfo, parse_info};

pub use super::plan::BurnError;
pub use super::step::{Next, Replace};

/// One conversation with one Molto2.
#[derive(Debug)]
pub struct Session {
    plan: Plan,
    statuses: Vec<StepStatus>,
    cursor: usize,
    in_flight: bool,
    finished: bool,
    key: Option<Zeroizing<[u8; 16]>>,
    seed: Option<SeedBytes>,
    title: Option<Title>,
    settings: Option<ProfileSettings>,
    new_key: Option<CustomerKey>,
    replace: Replace,
    expected_serial: Option<String>,
    info: Option<TokenInfo>,
    profiles: Vec<(ProfileNumber, ProfileRecord)>,
    challenge: Option<[u8; 8]>,
    written_clock: Option<u32>,
    failure: Option<Failure>,
}

impl Session {
    fn with_plan(plan: Plan) -> Session {
        let statuses = vec![StepStatus::NotSent; plan.steps.len()];
        Session {
            plan,
            statuses,
            cursor: 0,
            in_flight: false,
            finished: false,
            key: None,
            seed: None,
            title: None,
            settings: None,
            new_key: None,
            replace: Replace::No,
            expected_serial: None,
            info: None,
            profiles: Vec::new(),
            challenge: None,
            written_clock: None,
            failure: None,
        }
    }

    /// Serial and clock: GET INFO only.
    pub fn identify() -> Session {
        Session::with_plan(Plan::identify())
    }

    /// Serial, clock and every profile (stops at 50 on a Molto2 v1). No authentication.
    pub fn list() -> Session {
        Session::with_plan(Plan::list())
    }

    /// Seed, title and config into `profile`, in one authenticated session.
    pub fn burn(
        key: &CustomerKey,
        profile: ProfileNumber,
        secret: &Secret,
        title: Title,
        settings: ProfileSettings,
        replace: Replace,
    ) -> Result<Session, BurnError> {
        let seed = super::plan::checked_seed(secret)?;
        let mut session = Session::with_plan(Plan::burn(profile));
        session.key = Some(key.sm4_key());
        session.seed = Some(seed);
        session.title = Some(title);
        session.settings = Some(settings);
        session.replace = replace;
        Ok(session)
    }

    /// Deletes the seed of `profile` (title and config stay). No authentication (§2.7).
    pub fn delete(profile: ProfileNumber) -> Session {
        Session::with_plan(Plan::delete(profile))
    }

    /// Sets the clock through one profile, or through each in turn (the vendor's "sync all").
    pub fn sync_time(key: &CustomerKey, target: SyncTarget) -> Session {
        let mut session = Session::with_plan(Plan::sync_time(target));
        session.key = Some(key.sm4_key());
        session
    }

    /// Replaces the customer key; the device commits it when its ▲ button is pressed.
    pub fn change_key(current: &CustomerKey, new: CustomerKey) -> Session {
        let mut session = Session::with_plan(Plan::change_key());
        session.key = Some(current.sm4_key());
        session.new_key = Some(new);
        session
    }

    /// Erases every profile and restores the factory key, on a ▲ press.
    pub fn factory_reset() -> Session {
        Session::with_plan(Plan::factory_reset())
    }

    /// Stops before any write unless the device reports this serial.
    pub fn expect_serial(mut self, serial: impl Into<String>) -> Session {
        self.expected_serial = Some(serial.into());
        self
    }

    /// The next command to transmit; `now_unix` becomes the clock if this call builds one.
    pub fn next(&mut self, now_unix: u64) -> Next {
        if self.finished {
            return Next::Done;
        }
        if self.in_flight {
            self.statuses[self.cursor] = StepStatus::Unknown;
            return self.fail(Failure::OutOfOrder);
        }
        let Some(&step) = self.plan.steps.get(self.cursor) else {
            self.finish();
            return Next::Done;
        };
        match self.build(step, now_unix) {
            Ok(command) => {
                self.in_flight = true;
                self.statuses[self.cursor] = StepStatus::Sending;
                Next::Send(command)
            }
            Err(failure) => self.fail(failure),
        }
    }

    fn build(&mut self, step: Step, now_unix: u64) -> Result<Command, Failure> {
        let key = self.key.as_deref();
        Ok(match step {
            Step::ReadInfo => apdu::get_info(),
            Step::ReadProfile(p) => apdu::read_profile(p),
            Step::DeleteSeed(p) => apdu::delete_seed(p),
            Step::GetChallenge => apdu::get_challenge(),
            Step::FactoryReset => apdu::factory_reset(),
            Step::Authenticate => {
                let challenge = self.challenge.take().ok_or(Failure::OutOfOrder)?;
                apdu::answer_challenge(key.ok_or(Failure::OutOfOrder)?, &challenge)
            }
            Step::WriteSeed(p) => {
                let seed = self.seed.as_ref().ok_or(Failure::OutOfOrder)?;
                apdu::write_seed(key.ok_or(Failure::OutOfOrder)?, p, seed)
            }
            Step::WriteTitle(p) => {
                let title = self.title.as_ref().ok_or(Failure::OutOfOrder)?;
                apdu::write_title(key.ok_or(Failure::OutOfOrder)?, p, title)
            }
            Step::WriteConfig(p) => {
                let settings = self.settings.ok_or(Failure::OutOfOrder)?;
                let clock = u32::try_from(now_unix).map_err(|_| Failure::ClockOutOfRange)?;
                self.written_clock = Some(clock);
                apdu::write_config(key.ok_or(Failure::OutOfOrder)?, p, &settings, clock)
            }
            Step::SyncTime(p) => {
                let clock = u32::try_from(now_unix).map_err(|_| Failure::ClockOutOfRange)?;
                self.written_clock = Some(clock);
                apdu::sync_time(key.ok_or(Failure::OutOfOrder)?, p, clock)
            }
            Step::ChangeKey => {
                let new_key = self.new_key.as_ref().ok_or(Failure::OutOfOrder)?;
                apdu::change_key(key.ok_or(Failure::OutOfOrder)?, new_key)
            }
        })
    }

    /// Gives the session the reply to the command it last returned.
    pub fn on_reply(&mut self, reply: &[u8]) {
        if !self.in_flight || self.finished {
            return;
        }
        self.in_flight = false;
        let step = self.plan.steps[self.cursor];
        match classify(step, reply) {
            Reply::Ok(data) => self.accept(step, data),
            Reply::AwaitingButton => self.advance(StepStatus::AwaitingButton),
            Reply::AlreadyEmpty => self.advance(StepStatus::AlreadyEmpty),
            Reply::WrongKey(remaining) => {
                let error = crate::token::TokenError::AuthFailed {
                    remaining: remaining.min(15),
                };
                self.statuses[self.cursor] = StepStatus::Refused(error);
                self.fail(Failure::WrongKey { remaining });
            }
            Reply::Refused(error) => {
                self.statuses[self.cursor] = StepStatus::Refused(error);
                if self.plan.ends_at_v1_boundary(step) {
                    self.end_sweep();
                    return;
                }
                let failure = match step {
                    Step::ReadProfile(p) if p.get() >= 50 => Failure::NoSuchProfile { profile: p },
                    _ => Failure::Refused { step, error },
                };
                self.fail(failure);
            }
            Reply::MayHaveChanged(_) if self.plan.ends_at_v1_boundary(step) => {
                // A time-only write to a profile a v1 does not have stores nothing.
                self.end_sweep();
            }
            Reply::MayHaveChanged(status) => {
                self.statuses[self.cursor] = StepStatus::Unknown;
                self.fail(Failure::UnclearStatus { step, status });
            }
            Reply::Unreadable => {
                self.statuses[self.cursor] = StepStatus::Unknown;
                self.fail(Failure::BadReply { step });
            }
        }
    }

    /// Tells the session the last command got no reply.
    pub fn on_link_error(&mut self, error: &LinkError) {
        if !self.in_flight || self.finished {
            return;
        }
        self.in_flight = false;
        let step = self.plan.steps[self.cursor];
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
            Step::ReadInfo => {
                let info = match parse_info(data) {
                    Ok(info) => info,
                    Err(error) => {
                        self.statuses[self.cursor] = StepStatus::Unknown;
                        self.fail(Failure::UnreadableInfo(error));
                        return;
                    }
                };
                self.statuses[self.cursor] = StepStatus::Done;
                let refusal = check_device(&info, self.expected_serial.as_deref());
                self.info = Some(info);
                if let Some(failure) = refusal {
                    self.fail(failure);
                    return;
                }
            }
            Step::ReadProfile(p) => {
                let record = match parse_record(data) {
                    Ok(record) => record,
                    Err(error) => {
                        self.statuses[self.cursor] = StepStatus::Unknown;
                        self.fail(Failure::UnreadableRecord { profile: p, error });
                        return;
                    }
                };
                self.statuses[self.cursor] = StepStatus::Done;
                let occupied = record.occupied;
                let title = record.title.clone();
                self.profiles.push((p, record));
                if let Some(failure) = self.on_profile_read(p, occupied, title) {
                    self.fail(failure);
                    return;
                }
            }
            Step::GetChallenge => {
                let mut challenge = [0u8; 8];
                challenge.copy_from_slice(data); // classify checked: exactly 8 bytes
                self.challenge = Some(challenge);
                self.statuses[self.cursor] = StepStatus::Done;
            }
            Step::WriteSeed(_) => {
                self.seed = None; // wipes the seed buffer
                self.statuses[self.cursor] = StepStatus::Done;
            }
            _ => self.statuses[self.cursor] = StepStatus::Done,
        }
        self.cursor += 1;
        if self.cursor == self.plan.steps.len() {
            self.finish();
        }
    }

    /// Ends an all-profiles sweep at profile 50 of a v1: the plan stops before it.
    fn end_sweep(&mut self) {
        self.plan.steps.truncate(self.cursor);
        self.statuses.truncate(self.cursor);
        self.finish();
    }

    /// Marks the current step and moves on.
    fn advance(&mut self, status: StepStatus) {
        self.statuses[self.cursor] = status;
        self.cursor += 1;
        if self.cursor == self.plan.steps.len() {
            self.finish();
        }
    }

    /// Occupancy policy after READ PROFILE of the profile a burn or delete is about.
    fn on_profile_read(
        &mut self,
        p: ProfileNumber,
        occupied: bool,
        title: String,
    ) -> Option<Failure> {
        match self.plan.operation {
            Operation::Burn if occupied && self.replace == Replace::Confirmed => {
                self.plan.steps.insert(self.cursor + 1, Step::DeleteSeed(p));
                self.statuses.insert(self.cursor + 1, StepStatus::NotSent);
                None
            }
            Operation::Burn if occupied => Some(Failure::ProfileOccupied { profile: p, title }),
            Operation::Delete if !occupied => {
                // Nothing to delete: say so without sending the command.
                self.statuses[self.cursor + 1] = StepStatus::AlreadyEmpty;
                self.cursor += 1;
                None
            }
            _ => None,
        }
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
        self.key = None;
        self.new_key = None;
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
            .then(|| self.plan.steps.get(self.cursor).copied())
            .flatten()
    }

    /// What is known so far; final once [`Session::is_done`].
    pub fn report(&self) -> Report {
        Report {
            operation: self.plan.operation,
            steps: self
                .plan
                .steps
                .iter()
                .copied()
                .zip(self.statuses.iter().copied())
                .collect(),
            info: self.info.clone(),
            profiles: self.profiles.clone(),
            written_clock: self.written_clock,
            failure: self.failure.clone(),
            finished: self.finished,
        }
    }
}
