//! The smart-card service: its readers, what is on each, and connections to their cards.

use std::ffi::CString;
use std::time::Duration;

use kiln_core::session_runner::{Clock, run_session};
use kiln_core::token::{Report, Session};
use pcsc::{Card, Context, Error, Protocols, ReaderState, Scope, ShareMode, State};

use crate::atr::CardKind;
use crate::error::PcscError;
use crate::link::PcscLink;

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
    /// PC/SC's count of card insertions and removals on this reader: a new value means another
    /// card (or the same one put back).
    pub event_count: u32,
}

impl ReaderStatus {
    /// What is on the reader: `None` when it is empty.
    pub fn card(&self) -> Option<CardKind> {
        self.card_present.then(|| CardKind::of_atr(&self.atr))
    }

    /// The status PC/SC reported in `state`.
    pub(crate) fn from_state(state: &ReaderState) -> ReaderStatus {
        let present = state.event_state().contains(State::PRESENT);
        ReaderStatus {
            name: state.name().to_string_lossy().into_owned(),
            c_name: state.name().to_owned(),
            card_present: present,
            exclusive: state.event_state().contains(State::EXCLUSIVE),
            atr: if present {
                state.atr().to_vec()
            } else {
                Vec::new()
            },
            event_count: state.event_count(),
        }
    }
}

/// A connection to the PC/SC service.
pub struct Pcsc {
    pub(crate) context: Context,
}

impl Pcsc {
    /// Connects to the service (pcscd on Linux).
    pub fn establish() -> Result<Pcsc, PcscError> {
        Context::establish(Scope::User)
            .map(|context| Pcsc { context })
            .map_err(PcscError::of_service)
    }

    /// Every reader with its card status. An empty list is not an error here.
    pub fn readers(&self) -> Result<Vec<ReaderStatus>, PcscError> {
        let names = match self.context.list_readers_owned() {
            Ok(names) => names,
            Err(Error::NoReadersAvailable) => return Ok(Vec::new()),
            Err(e) => return Err(PcscError::of_service(e)),
        };
        let mut states: Vec<ReaderState> = names
            .iter()
            .map(|n| ReaderState::new(n.clone(), State::UNAWARE))
            .collect();
        match self.context.get_status_change(Duration::ZERO, &mut states) {
            Ok(()) | Err(Error::Timeout) => {}
            Err(Error::NoReadersAvailable) => return Ok(Vec::new()),
            Err(e) => return Err(PcscError::of_service(e)),
        }
        Ok(states.iter().map(ReaderStatus::from_state).collect())
    }

    /// Connects to the card on `reader` (shared, any protocol).
    pub fn connect(&self, reader: &ReaderStatus) -> Result<Connection, PcscError> {
        self.connect_in(reader, ShareMode::Shared)
    }

    /// Connects to the card on `reader` so that no other program can use it until the
    /// connection is dropped (for `kiln bridge`, which holds a card across many messages).
    pub fn connect_exclusive(&self, reader: &ReaderStatus) -> Result<Connection, PcscError> {
        self.connect_in(reader, ShareMode::Exclusive)
    }

    fn connect_in(&self, reader: &ReaderStatus, mode: ShareMode) -> Result<Connection, PcscError> {
        let card = self
            .context
            .connect(&reader.c_name, mode, Protocols::ANY)
            .map_err(PcscError::of_connection)?;
        Ok(Connection {
            card,
            _context: self.context.clone(),
        })
    }
}

/// The card on one reader.
pub struct Connection {
    card: Card,
    // Keeps the PC/SC context alive for the card's lifetime.
    _context: Context,
}

impl Connection {
    /// Runs `session` inside one PC/SC transaction, so no other program can slip a command
    /// between authentication and the writes. Fails only when the transaction cannot start;
    /// everything after that is in the report.
    pub fn run_session<C, O>(
        &mut self,
        session: Session,
        clock: &C,
        observe: O,
    ) -> Result<Report, PcscError>
    where
        C: Clock + ?Sized,
        O: FnMut(&Report),
    {
        let transaction = self.card.transaction().map_err(PcscError::of_connection)?;
        let mut link = PcscLink::new(&transaction);
        let report = pollster::block_on(run_session(session, &mut link, clock, observe));
        // Ending the transaction can only fail when the card is gone, which the report says.
        let _ = transaction.end(pcsc::Disposition::LeaveCard);
        Ok(report)
    }

    /// Sends one APDU outside a transaction: for an exclusive connection, which no other program
    /// can interleave with anyway. Failures say whether the command may have reached the card.
    pub fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, kiln_core::link::LinkError> {
        let mut link = PcscLink::new(&self.card);
        pollster::block_on(kiln_core::link::Link::transmit(&mut link, apdu))
    }

    /// Runs `work` with the link inside one PC/SC transaction, for sessions other than the
    /// single-profile token's (kiln-core's Molto2 sessions). Fails only when the transaction
    /// cannot start.
    pub fn with_link<R>(
        &mut self,
        work: impl FnOnce(&mut PcscLink<'_>) -> R,
    ) -> Result<R, PcscError> {
        let transaction = self.card.transaction().map_err(PcscError::of_connection)?;
        let mut link = PcscLink::new(&transaction);
        let result = work(&mut link);
        let _ = transaction.end(pcsc::Disposition::LeaveCard);
        Ok(result)
    }
}
