//! The batch ledger: every burn attempt, in order, with what it wrote and how it ended.
//!
//! Rows are never overwritten. Burning a serial again (a new seed after a success, the same
//! seed after an "unknown") adds a row and marks the earlier one *replaced*, and only when the
//! caller names the row it replaces, so a repeat can never happen by accident. An attempt that
//! stopped before writing anything replaces nothing: the token still holds what it held. The ledger holds
//! the secrets until the batch is exported and wiped: they are wiped on drop, and `Debug` never
//! shows them.

use core::fmt;

use super::fingerprint::AuditKey;
use super::random::{RandomSource, RandomUnavailable};
use super::users::User;
use crate::secret::Secret;
use crate::token::{Model, Outcome, Report, SeedState, SettingsState, TokenSettings};

/// An attempt's number in the batch (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttemptId(usize);

impl AttemptId {
    /// The attempt's number, from 1, as the table and the audit log show it.
    pub fn number(self) -> usize {
        self.0
    }
}

/// How a burn ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// Every command was acknowledged: the token holds this seed and these settings.
    Success,
    /// The burn stopped after a write: the token does not hold this seed (a restricted model
    /// may hold no seed at all). The reason is for the operator.
    Failed {
        /// Plain-language reason.
        reason: String,
    },
    /// The burn stopped before any write: the token is exactly as it was, so this attempt
    /// replaces nothing (an earlier success on the same token stays current).
    NothingWritten {
        /// Plain-language reason.
        reason: String,
    },
    /// A write was sent but no reply came: the token may or may not hold the seed. Burn it
    /// again (with the same seed) before handing it out.
    Unknown {
        /// Plain-language reason.
        reason: String,
    },
}

impl AttemptOutcome {
    /// `success`, `failed` or `unknown` (exports and `--json`).
    pub fn code(&self) -> &'static str {
        match self {
            AttemptOutcome::Success => "success",
            AttemptOutcome::Failed { .. } | AttemptOutcome::NothingWritten { .. } => "failed",
            AttemptOutcome::Unknown { .. } => "unknown",
        }
    }

    /// The outcome of a finished burn session, with its summary as the reason.
    pub fn from_report(report: &Report) -> AttemptOutcome {
        let reason = report.summary();
        match report.outcome() {
            Outcome::Success => AttemptOutcome::Success,
            Outcome::Unknown => AttemptOutcome::Unknown { reason },
            Outcome::Failed
                if report.seed_state() == SeedState::Unchanged
                    && report.settings_state() == SettingsState::Unchanged =>
            {
                AttemptOutcome::NothingWritten { reason }
            }
            Outcome::Failed => AttemptOutcome::Failed { reason },
        }
    }

    /// The reason, for failed and unknown outcomes.
    pub fn reason(&self) -> Option<&str> {
        match self {
            AttemptOutcome::Success => None,
            AttemptOutcome::Failed { reason }
            | AttemptOutcome::NothingWritten { reason }
            | AttemptOutcome::Unknown { reason } => Some(reason),
        }
    }
}

/// The optional quick check after a burn (the operator types the code the token shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeCheck {
    /// Not checked.
    #[default]
    Unchecked,
    /// The typed code matched.
    Matched,
    /// The typed code did not match.
    Mismatched,
}

/// What the caller reports after a burn.
#[derive(Debug, Clone)]
pub struct NewAttempt {
    /// When the burn ended (unix seconds; kiln-core reads no clock).
    pub unix_time: u64,
    /// The serial read from the chip.
    pub serial: String,
    /// What was written.
    pub settings: TokenSettings,
    /// The seed that was written (or attempted).
    pub secret: Secret,
    /// The user the token is for, if any.
    pub user: Option<User>,
    /// The user's position in the user list, if it came from one (see `binding`).
    pub user_slot: Option<usize>,
    /// The seed list row it came from, if any.
    pub row: Option<usize>,
    /// How the burn ended.
    pub outcome: AttemptOutcome,
    /// The attempt this one replaces: must be the serial's current attempt when the serial was
    /// seen earlier in this batch, and `None` otherwise.
    pub replaces: Option<AttemptId>,
}

/// One row of the ledger.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Its number.
    pub id: AttemptId,
    /// When it ended (unix seconds).
    pub unix_time: u64,
    /// The token's serial.
    pub serial: String,
    /// The token's model (from the serial).
    pub model: Model,
    /// What was written.
    pub settings: TokenSettings,
    /// The seed.
    pub secret: Secret,
    /// The user, if any.
    pub user: Option<User>,
    /// The user's position in the user list.
    pub user_slot: Option<usize>,
    /// The seed list row.
    pub row: Option<usize>,
    /// How it ended.
    pub outcome: AttemptOutcome,
    /// The later attempt on the same token that replaced it.
    pub replaced_by: Option<AttemptId>,
    /// The quick check.
    pub check: CodeCheck,
}

impl Attempt {
    /// True when it says what the token holds now: it changed the token (or tried to) and no
    /// later attempt on the same token replaced it.
    pub fn is_current(&self) -> bool {
        self.replaced_by.is_none() && !matches!(self.outcome, AttemptOutcome::NothingWritten { .. })
    }

    /// True when the token may hold this seed: current, and a success or unknown outcome. Such
    /// an attempt keeps its user and seed-list row.
    pub fn holds_token(&self) -> bool {
        self.is_current() && !matches!(self.outcome, AttemptOutcome::Failed { .. })
    }

    /// True when it goes into the Entra and Graph exports: current and successful.
    pub fn is_exported(&self) -> bool {
        self.is_current() && self.outcome == AttemptOutcome::Success
    }
}

/// Why the ledger refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// The serial is not one of a token Kiln can program.
    UnsupportedSerial {
        /// The serial.
        serial: String,
    },
    /// The token was already burned in this batch and the caller did not say to replace it.
    SeenEarlier {
        /// The serial.
        serial: String,
        /// Its current attempt.
        current: AttemptId,
    },
    /// `replaces` does not name the serial's current attempt.
    NotCurrent {
        /// The attempt named.
        named: AttemptId,
    },
    /// Another token of this batch may already hold this seed.
    SeedOnAnotherToken {
        /// That token's serial.
        serial: String,
    },
    /// No attempt has this number.
    NoSuchAttempt,
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::UnsupportedSerial { serial } => write!(
                f,
                "Token {serial} is not a model Kiln can program, so it cannot be part of the batch."
            ),
            LedgerError::SeenEarlier { serial, current } => write!(
                f,
                "Token {serial} was already burned in this batch (row {}). Choose to skip it, or \
                 to burn it again: the earlier row will be marked as replaced.",
                current.number()
            ),
            LedgerError::NotCurrent { named } => write!(
                f,
                "Row {} is not this token's latest row, so it cannot be replaced. Start again \
                 from the token's latest row.",
                named.number()
            ),
            LedgerError::SeedOnAnotherToken { serial } => write!(
                f,
                "Token {serial} may already hold this seed, and two tokens must never share one. \
                 Use a new seed."
            ),
            LedgerError::NoSuchAttempt => f.write_str("There is no such row in this batch."),
        }
    }
}

/// Every attempt of one batch, and the batch's audit key.
#[derive(Debug, Clone)]
pub struct Ledger {
    key: AuditKey,
    attempts: Vec<Attempt>,
}

impl Ledger {
    /// An empty ledger with a new random audit key.
    pub fn start(random: &mut dyn RandomSource) -> Result<Ledger, RandomUnavailable> {
        Ok(Ledger::with_key(AuditKey::generate(random)?))
    }

    /// An empty ledger with a given audit key.
    pub fn with_key(key: AuditKey) -> Ledger {
        Ledger {
            key,
            attempts: Vec::new(),
        }
    }

    /// The key of the secret fingerprints.
    pub fn audit_key(&self) -> &AuditKey {
        &self.key
    }

    /// Every attempt, in order.
    pub fn attempts(&self) -> &[Attempt] {
        &self.attempts
    }

    /// The attempt with this id.
    pub fn attempt(&self, id: AttemptId) -> Option<&Attempt> {
        self.attempts.get(id.0.checked_sub(1)?)
    }

    /// The token's current attempt, when the serial was seen earlier in this batch.
    pub fn seen_earlier(&self, serial: &str) -> Option<&Attempt> {
        self.attempts
            .iter()
            .rev()
            .find(|a| a.serial == serial && a.is_current())
    }

    /// The seed to burn again when the token's current attempt ended "unknown": the token may
    /// already hold it, so a new seed would leave two candidates.
    pub fn retry_seed(&self, serial: &str) -> Option<&Secret> {
        self.seen_earlier(serial)
            .filter(|a| matches!(a.outcome, AttemptOutcome::Unknown { .. }))
            .map(|a| &a.secret)
    }

    /// Adds an attempt. See [`NewAttempt::replaces`].
    pub fn record(&mut self, new: NewAttempt) -> Result<AttemptId, LedgerError> {
        let Some(model) = Model::from_serial(&new.serial) else {
            return Err(LedgerError::UnsupportedSerial { serial: new.serial });
        };
        let current = self.seen_earlier(&new.serial).map(|a| a.id);
        match (current, new.replaces) {
            (None, None) => {}
            (Some(current), Some(named)) if current == named => {}
            (Some(current), None) => {
                return Err(LedgerError::SeenEarlier {
                    serial: new.serial,
                    current,
                });
            }
            (_, Some(named)) => return Err(LedgerError::NotCurrent { named }),
        }
        if let Some(other) = self
            .attempts
            .iter()
            .find(|a| a.holds_token() && a.serial != new.serial && a.secret == new.secret)
        {
            return Err(LedgerError::SeedOnAnotherToken {
                serial: other.serial.clone(),
            });
        }
        let id = AttemptId(self.attempts.len() + 1);
        let changed_token = !matches!(new.outcome, AttemptOutcome::NothingWritten { .. });
        if let Some(replaced) = current
            .filter(|_| changed_token)
            .and_then(|c| self.attempts.get_mut(c.0 - 1))
        {
            replaced.replaced_by = Some(id);
        }
        self.attempts.push(Attempt {
            id,
            unix_time: new.unix_time,
            serial: new.serial,
            model,
            settings: new.settings,
            secret: new.secret,
            user: new.user,
            user_slot: new.user_slot,
            row: new.row,
            outcome: new.outcome,
            replaced_by: None,
            check: CodeCheck::Unchecked,
        });
        Ok(id)
    }

    /// Records the quick check of an attempt.
    pub fn set_check(&mut self, id: AttemptId, check: CodeCheck) -> Result<(), LedgerError> {
        let index = id.0.checked_sub(1).ok_or(LedgerError::NoSuchAttempt)?;
        let attempt = self
            .attempts
            .get_mut(index)
            .ok_or(LedgerError::NoSuchAttempt)?;
        attempt.check = check;
        Ok(())
    }

    /// The attempts that go into the Entra and Graph exports, in order.
    pub fn exported(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts.iter().filter(|a| a.is_exported())
    }

    /// The row (from 1) an attempt became in the Entra and Graph exports, if it is exported.
    pub fn export_row(&self, id: AttemptId) -> Option<usize> {
        let position = self.exported().position(|a| a.id == id)?;
        Some(position + 1)
    }

    /// Wipes every secret and the audit key, and empties the ledger.
    pub fn wipe(&mut self) {
        for attempt in &mut self.attempts {
            attempt.secret.wipe();
        }
        self.attempts.clear();
        self.key.wipe();
    }
}
