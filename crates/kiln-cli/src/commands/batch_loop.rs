//! The batch loop: wait for a token, identify it, decide, burn, record, wait for it to leave.
//! A problem with one token (it left early, an unknown model, a refused row) is reported and
//! the loop goes on with the next; only the reader or the service going away ends the batch
//! early, and then the files are still written.

use std::time::Instant;

use kiln_core::fleet::{AttemptOutcome, Burn, Ledger, NewAttempt};
use kiln_core::token::{Outcome, Session};
use kiln_pcsc::{CardKind, Connection, Pcsc, ReaderStatus, StopHandle, Waited, Watcher};
use serde_json::json;

use super::batch_decide::{Repeats, choose};
use super::batch_events::Events;
use super::batch_setup::Plan;
use crate::clock;
use crate::exit::CliError;
use crate::output::Output;
use crate::pcsc_errors::pcsc_error;
use crate::progress::Progress;
use crate::reader_choice;

/// A running batch.
pub struct BatchLoop<'a> {
    plan: &'a Plan,
    events: Events,
    pcsc: Pcsc,
    watcher: Watcher,
    /// The reader the batch uses, once known.
    reader: Option<String>,
    repeats: Repeats,
    /// The attempts so far.
    pub ledger: Ledger,
    /// Tokens left alone (already burned, refused row, unknown model, left early).
    pub skipped: usize,
}

/// Whether to go on.
enum Next {
    Continue,
    Stop,
}

impl<'a> BatchLoop<'a> {
    /// Connects to the smart-card service and picks the reader when it can already.
    pub fn new(
        plan: &'a Plan,
        ledger: Ledger,
        events: Events,
        reader: Option<&str>,
        ask: bool,
        reburn: bool,
    ) -> Result<BatchLoop<'a>, CliError> {
        let pcsc = Pcsc::establish().map_err(|e| pcsc_error(e, None))?;
        let readers = pcsc.readers().map_err(|e| pcsc_error(e, None))?;
        let listed: Vec<reader_choice::Listed> = readers
            .iter()
            .map(|r| (r.name.as_str(), r.card()))
            .collect();
        let any_token = listed
            .iter()
            .any(|(_, card)| *card == Some(CardKind::Contactless));
        // By name; without a name, the reader with the token on it (several: an error); with
        // no token anywhere yet, the first reader a token arrives on.
        let chosen = if reader.is_some() || any_token || listed.is_empty() {
            let index = reader_choice::choose(&listed, reader)?;
            readers.get(index).map(|r| r.name.clone())
        } else {
            None
        };
        let watcher = pcsc.watcher();
        Ok(BatchLoop {
            plan,
            events,
            pcsc,
            watcher,
            reader: chosen,
            repeats: Repeats { ask, reburn },
            ledger,
            skipped: 0,
        })
    }

    /// Ends the waits from another thread (Ctrl+C).
    pub fn stop_handle(&self) -> StopHandle {
        self.watcher.stop_handle()
    }

    /// Burns tokens until the batch is complete or stopped. An error ends it early.
    pub fn run(&mut self, stop: &StopHandle) -> Result<(), CliError> {
        while !self.finished() && !stop.is_stopped() {
            if let Next::Stop = self.one_token(stop)? {
                break;
            }
        }
        Ok(())
    }

    fn finished(&self) -> bool {
        self.plan.batch.is_complete(&self.ledger)
    }

    fn one_token(&mut self, stop: &StopHandle) -> Result<Next, CliError> {
        let where_ = self.reader.clone().unwrap_or_else(|| "any reader".into());
        self.events.emit(
            "waiting",
            json!({"reader": self.reader}),
            &format!("Put the next token on {where_} (Ctrl+C to finish the batch)."),
        );
        let Some(status) = self.wait_for_card()? else {
            return Ok(Next::Stop);
        };
        let arrived = Instant::now();
        let reader = status.name.clone();
        self.reader = Some(reader.clone());
        let event_count = status.event_count;
        let Some((mut connection, serial, model)) = self.identify(&status) else {
            self.skipped += 1;
            return self.wait_for_removal(&reader, event_count, None);
        };
        self.events.emit(
            "token",
            json!({"serial": serial, "model": model}),
            &format!("Token {serial} ({model})."),
        );
        let burn = match choose(
            &self.plan.batch,
            &self.ledger,
            &serial,
            self.repeats,
            self.events,
        )? {
            Some(burn) => burn,
            None => {
                self.skipped += 1;
                return self.wait_for_removal(&reader, event_count, Some(&serial));
            }
        };
        self.burn(&mut connection, &serial, burn, arrived)?;
        drop(connection);
        if self.finished() || stop.is_stopped() {
            return Ok(Next::Stop);
        }
        self.wait_for_removal(&reader, event_count, Some(&serial))
    }

    fn wait_for_card(&self) -> Result<Option<ReaderStatus>, CliError> {
        let readers = self.pcsc.readers().map_err(|e| pcsc_error(e, None))?;
        let names: Vec<&str> = match &self.reader {
            Some(name) => vec![name.as_str()],
            None => readers.iter().map(|r| r.name.as_str()).collect(),
        };
        let any_card = self.reader.is_some();
        let waited = self
            .watcher
            .wait_for_card(&names, |s| {
                any_card || s.card() == Some(CardKind::Contactless)
            })
            .map_err(|e| pcsc_error(e, self.reader.as_deref()))?;
        Ok(match waited {
            Waited::Ready(status) => Some(status),
            Waited::Stopped => None,
        })
    }

    /// GET INFO: the serial and model, or `None` (reported) when the card is not a token kiln
    /// can program or left.
    fn identify(&self, status: &ReaderStatus) -> Option<(Connection, String, String)> {
        let refused = |code: &str, message: String| {
            self.events.emit(
                "refused",
                json!({"code": code, "message": message}),
                &message,
            );
        };
        let mut connection = match self.pcsc.connect(status) {
            Ok(connection) => connection,
            Err(error) => {
                let error = pcsc_error(error, Some(&status.name));
                refused(error.code, error.message);
                return None;
            }
        };
        let report = match connection.run_session(Session::identify(), &clock::now_unix, |_| {}) {
            Ok(report) => report,
            Err(error) => {
                let error = pcsc_error(error, Some(&status.name));
                refused(error.code, error.message);
                return None;
            }
        };
        match (report.outcome(), report.info.clone(), report.model) {
            (Outcome::Success, Some(info), Some(model)) => {
                Some((connection, info.serial, model.name().to_string()))
            }
            _ => {
                refused("not_a_token", report.summary());
                None
            }
        }
    }

    fn burn(
        &mut self,
        connection: &mut Connection,
        serial: &str,
        burn: Burn,
        arrived: Instant,
    ) -> Result<(), CliError> {
        let session = Session::burn(&burn.secret, burn.settings)
            .map_err(|e| CliError::not_burnable("seed_rejected", e.to_string()))?
            .expect_serial(serial);
        let mut progress = Progress::new(Output::new(self.events.is_json()));
        let report =
            match connection.run_session(session, &clock::now_unix, |r| progress.observe(r)) {
                Ok(report) => report,
                Err(error) => {
                    // The transaction did not start: nothing was sent, the token is as it was.
                    let error = pcsc_error(error, self.reader.as_deref());
                    self.events.emit(
                        "refused",
                        json!({"serial": serial, "code": error.code, "message": error.message}),
                        &error.message,
                    );
                    return Ok(());
                }
            };
        let outcome = AttemptOutcome::from_report(&report);
        let recorded = self.ledger.record(NewAttempt {
            unix_time: clock::now_unix(),
            serial: serial.to_string(),
            settings: burn.settings,
            secret: burn.secret,
            user: burn.user,
            user_slot: burn.user_slot,
            row: burn.row,
            outcome: outcome.clone(),
            replaces: burn.replaces,
        });
        let id = recorded.map_err(|e| CliError::device("ledger_refused", e.to_string()))?;
        let attempt = self.ledger.attempt(id);
        let upn = attempt.and_then(|a| a.user.as_ref()).map(|u| u.upn.clone());
        let fingerprint =
            attempt.map(|a| self.ledger.audit_key().fingerprint(&a.secret).to_string());
        let kiln_ms = arrived.elapsed().as_millis() as u64;
        let human = match &outcome {
            AttemptOutcome::Success => format!(
                "Row {}: token {serial} burned{}{}.",
                id.number(),
                upn.as_deref()
                    .map(|u| format!(" for {u}"))
                    .unwrap_or_default(),
                if burn.retry { " (same seed again)" } else { "" }
            ),
            AttemptOutcome::Unknown { reason } => format!(
                "Row {}: token {serial}: result unknown. {reason} Put it back on the reader: \
                 kiln burns the same seed again.",
                id.number()
            ),
            other => format!(
                "Row {}: token {serial} failed. {} Put it back to try again.",
                id.number(),
                other.reason().unwrap_or_default()
            ),
        };
        self.events.emit(
            "burned",
            json!({
                "attempt": id.number(), "serial": serial,
                "model": attempt.map(|a| a.model.name()), "upn": upn,
                "outcome": outcome.code(), "reason": outcome.reason(),
                "same_seed_again": burn.retry,
                "replaces": burn.replaces.map(|r| r.number()),
                "export_row": self.ledger.export_row(id),
                "secret_fingerprint": fingerprint, "kiln_ms": kiln_ms,
            }),
            &human,
        );
        Ok(())
    }

    fn wait_for_removal(
        &self,
        reader: &str,
        event_count: u32,
        serial: Option<&str>,
    ) -> Result<Next, CliError> {
        let name = serial.map_or("the card".to_string(), |s| format!("token {s}"));
        self.events.emit(
            "remove",
            json!({"serial": serial, "reader": reader}),
            &format!("Take {name} off the reader."),
        );
        match self
            .watcher
            .wait_for_removal(reader, event_count)
            .map_err(|e| pcsc_error(e, Some(reader)))?
        {
            Waited::Ready(()) => Ok(Next::Continue),
            Waited::Stopped => Ok(Next::Stop),
        }
    }
}
