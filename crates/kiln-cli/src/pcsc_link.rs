//! PC/SC: finding the reader, connecting to the token, and the [`Link`] that carries the
//! session's APDUs, with PC/SC errors turned into messages people can act on.
//!
//! The link must say truthfully whether a failed command may have reached the token. Before each
//! command it asks PC/SC whether the card is still there (if not, the command is certainly
//! [`LinkError::NotSent`]); once `SCardTransmit` has been called, any failure is
//! [`LinkError::NoReply`], except the few errors that stop PC/SC before it talks to the reader.

use std::ffi::CString;
use std::time::Duration;

use kiln_core::drive::{self, Clock};
use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::token::{Report, Session};
use pcsc::{Card, Context, Error, Protocols, ReaderState, Scope, ShareMode, State};

use crate::exit::CliError;
use crate::reader_choice;

/// A reader and whether a card is on it.
pub struct ReaderStatus {
    /// The reader's name as PC/SC reports it.
    pub name: String,
    c_name: CString,
    /// True when a card (or token) is in the reader's field.
    pub card_present: bool,
    /// True when another program holds the card exclusively.
    pub exclusive: bool,
    /// The card's ATR, when present.
    pub atr: Vec<u8>,
}

/// A connection to the PC/SC service.
pub struct Pcsc {
    context: Context,
}

impl Pcsc {
    /// Connects to the service (pcscd on Linux).
    pub fn establish() -> Result<Pcsc, CliError> {
        Context::establish(Scope::User)
            .map(|context| Pcsc { context })
            .map_err(service_error)
    }

    /// Every reader with its card status. An empty list is not an error here.
    pub fn readers(&self) -> Result<Vec<ReaderStatus>, CliError> {
        let names = match self.context.list_readers_owned() {
            Ok(names) => names,
            Err(Error::NoReadersAvailable) => return Ok(Vec::new()),
            Err(e) => return Err(service_error(e)),
        };
        let mut states: Vec<ReaderState> = names
            .iter()
            .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
            .collect();
        match self.context.get_status_change(Duration::ZERO, &mut states) {
            Ok(()) | Err(Error::Timeout) => {}
            Err(Error::NoReadersAvailable) => return Ok(Vec::new()),
            Err(e) => return Err(service_error(e)),
        }
        Ok(states
            .iter()
            .map(|s| ReaderStatus {
                name: s.name().to_string_lossy().into_owned(),
                c_name: s.name().to_owned(),
                card_present: s.event_state().contains(State::PRESENT),
                exclusive: s.event_state().contains(State::EXCLUSIVE),
                atr: if s.event_state().contains(State::PRESENT) {
                    s.atr().to_vec()
                } else {
                    Vec::new()
                },
            })
            .collect())
    }

    /// The reader to use: the one `wanted` names, else the only reader with a card on it
    /// (rules in [`reader_choice`]).
    pub fn choose(&self, wanted: Option<&str>) -> Result<ReaderStatus, CliError> {
        let readers = self.readers()?;
        let listed: Vec<(&str, bool)> = readers
            .iter()
            .map(|r| (r.name.as_str(), r.card_present))
            .collect();
        let chosen = reader_choice::choose(&listed, wanted)?;
        readers.into_iter().nth(chosen).ok_or_else(no_reader)
    }

    /// Connects to the card on `reader` (shared, any protocol).
    pub fn connect(&self, reader: &ReaderStatus) -> Result<Card, CliError> {
        self.context
            .connect(&reader.c_name, ShareMode::Shared, Protocols::ANY)
            .map_err(|e| connect_error(e, &reader.name))
    }
}

/// Runs `session` on `card` inside one PC/SC transaction, so no other program can slip a
/// command between authentication and the writes.
pub fn run_session<C, O>(
    card: &mut Card,
    reader: &str,
    session: Session,
    clock: &C,
    observe: O,
) -> Result<Report, CliError>
where
    C: Clock + ?Sized,
    O: FnMut(&Report),
{
    let transaction = card.transaction().map_err(|e| connect_error(e, reader))?;
    let mut link = PcscLink { card: &transaction };
    let report = pollster::block_on(drive::run(session, &mut link, clock, observe));
    // Ending the transaction can only fail when the card is gone, which the report already says.
    let _ = transaction.end(pcsc::Disposition::LeaveCard);
    Ok(report)
}

/// The [`Link`] over one PC/SC card connection.
pub struct PcscLink<'a> {
    card: &'a Card,
}

impl Link for PcscLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        if let Some(fault) = card_gone(self.card) {
            return Err(LinkError::NotSent(fault));
        }
        let mut buffer = [0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        let outcome = match self.card.transmit(apdu, &mut buffer) {
            // Every answer ends with a status word. Some drivers (vsmartcard's vpcd) report
            // a card that left mid-exchange as success with an empty answer.
            Ok(reply) if reply.len() >= 2 => Ok(reply.to_vec()),
            Ok(_) => Err(LinkError::NoReply(diagnose(
                self.card,
                LinkFault::ReaderProtocol("the reader returned an empty answer".to_string()),
            ))),
            Err(error) if certainly_not_sent(error) => Err(LinkError::NotSent(fault_of(error))),
            Err(error) => Err(LinkError::NoReply(diagnose(self.card, fault_of(error)))),
        };
        // The reply buffer may hold a challenge; wipe it.
        zeroize::Zeroize::zeroize(&mut buffer);
        outcome
    }
}

/// Why an exchange failed: a card that left the reader is the likeliest cause, but PC/SC may
/// notice the removal a little later (pcscd polls readers a few times a second), so look for
/// up to a second before settling for `otherwise`.
fn diagnose(card: &Card, otherwise: LinkFault) -> LinkFault {
    for _ in 0..5 {
        if let Some(fault) = card_gone(card) {
            return fault;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    otherwise
}

/// `Some` when PC/SC says the card is no longer there.
fn card_gone(card: &Card) -> Option<LinkFault> {
    match card.status2_owned() {
        Ok(status) if status.status().contains(pcsc::Status::PRESENT) => None,
        Ok(_) => Some(LinkFault::TokenRemoved),
        Err(Error::RemovedCard | Error::NoSmartcard) => Some(LinkFault::TokenRemoved),
        Err(Error::ResetCard) => Some(LinkFault::Reader(
            "another program reset the connection to the token".to_string(),
        )),
        Err(Error::ReaderUnavailable | Error::UnknownReader) => Some(LinkFault::ReaderGone),
        Err(Error::NoService | Error::ServiceStopped | Error::InvalidHandle) => {
            Some(LinkFault::ReaderGone)
        }
        Err(_) => None,
    }
}

/// Errors PC/SC reports before it passes the command to the reader.
fn certainly_not_sent(error: Error) -> bool {
    matches!(
        error,
        Error::InvalidHandle
            | Error::InvalidParameter
            | Error::InvalidValue
            | Error::NoService
            | Error::ProtoMismatch
    )
}

fn fault_of(error: Error) -> LinkFault {
    match error {
        Error::RemovedCard | Error::NoSmartcard | Error::ResetCard => LinkFault::TokenRemoved,
        Error::Timeout | Error::UnresponsiveCard => LinkFault::TokenMute,
        Error::ReaderUnavailable
        | Error::UnknownReader
        | Error::NoService
        | Error::ServiceStopped
        | Error::Shutdown => LinkFault::ReaderGone,
        other => LinkFault::Reader(format!("PC/SC: {other}")),
    }
}

fn service_error(error: Error) -> CliError {
    match error {
        Error::NoService | Error::ServiceStopped => CliError::device(
            "pcscd_not_running",
            "The smart-card service is not running, so no reader can be used. On Linux start \
                 it with `sudo systemctl start pcscd` (or run `sudo pcscd`); on Windows start the \
                 \"Smart Card\" service; on macOS it starts when a reader is plugged in.",
        ),
        Error::NoReadersAvailable => no_reader(),
        other => CliError::device(
            "pcsc_error",
            format!(
                "The smart-card service reported an error ({other}). Unplug the reader, plug it \
                 back in and try again."
            ),
        ),
    }
}

/// No reader at all: what to plug in.
pub fn no_reader() -> CliError {
    CliError::device(
        "no_reader",
        "No smart-card reader was found. Plug in the NFC reader (for example an ACR122U or \
         ACR1252U) and try again; on Linux check that its driver is installed (package libccid).",
    )
}

fn connect_error(error: Error, reader: &str) -> CliError {
    match error {
        Error::NoSmartcard | Error::RemovedCard | Error::ResetCard => CliError::device(
            "no_card",
            format!(
                "No token was found on the reader \"{reader}\". Switch the token on (hold its \
                 button until the display lights up), lay it flat on the reader and try again."
            ),
        ),
        Error::UnresponsiveCard | Error::UnpoweredCard | Error::UnsupportedCard => {
            CliError::device(
                "card_unresponsive",
                format!(
                    "The card on the reader \"{reader}\" does not answer like a programmable \
                     token. Take other cards away, switch the token on, lay it flat on the \
                     reader and try again."
                ),
            )
        }
        Error::SharingViolation => CliError::device(
            "reader_busy",
            format!(
                "Another program is using the reader \"{reader}\". Close it (a browser tab, a \
                 smart-card tool) and try again."
            ),
        ),
        Error::UnknownReader | Error::ReaderUnavailable => CliError::device(
            "reader_gone",
            format!(
                "The reader \"{reader}\" is no longer available. Plug it back in and try again."
            ),
        ),
        other => service_error(other),
    }
}
