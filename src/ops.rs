//! Reader operations: open a link to the token on the current reader, run a kiln-core session
//! over it, close the link. The only place where the app, the reader and the protocol meet.

use kiln_core::link::ccid::CcidLink;
use kiln_core::link::pn53x::Pn533Link;
use kiln_core::link::pn532::Pn532Link;
use kiln_core::link::{Link, LinkError, LinkFault};
use kiln_core::session_runner;
use kiln_core::token::{Outcome, Report, Session};
use leptos::prelude::*;

use crate::platform::bridge::{BridgeError, BridgeLink, BridgeReader};
use crate::platform::clock;
use crate::platform::open_reader::OpenReader;
use crate::platform::serial::SerialReader;
use crate::platform::usb::{ReaderKind, UsbReader};
use crate::state::{AppState, TokenFacts};

/// A link to the token through whichever reader is open.
enum AnyLink<'a> {
    Pn533(Pn533Link<&'a mut UsbReader>),
    Ccid(CcidLink<&'a mut UsbReader>),
    Pn532(Pn532Link<&'a mut SerialReader>),
    Bridge(BridgeLink<'a>),
}

impl Link for AnyLink<'_> {
    async fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, LinkError> {
        match self {
            AnyLink::Pn533(link) => link.transmit(apdu).await,
            AnyLink::Ccid(link) => link.transmit(apdu).await,
            AnyLink::Pn532(link) => link.transmit(apdu).await,
            AnyLink::Bridge(link) => link.transmit(apdu).await,
        }
    }
}

impl AnyLink<'_> {
    async fn close(self) {
        match self {
            AnyLink::Pn533(link) => {
                link.close().await;
            }
            AnyLink::Ccid(link) => {
                link.close().await;
            }
            AnyLink::Pn532(link) => {
                link.close().await;
            }
            AnyLink::Bridge(link) => link.close().await,
        }
    }
}

/// Why an operation did not produce a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationError {
    /// No reader is open.
    NoReader,
    /// Another operation is using the reader.
    Busy,
    /// The token could not be reached (nothing was sent to it).
    Connect(LinkError),
    /// The serial port is open but no PN532 answered on it (nothing was sent to the token).
    NotAPn532,
    /// The bridge could not take the reader or check the token (nothing was sent to it).
    Bridge(BridgeError),
}

impl std::fmt::Display for OperationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OperationError::NoReader => {
                f.write_str("No reader is connected. Go back to the Reader step and connect one.")
            }
            OperationError::Busy => {
                f.write_str("Kiln is already talking to the token. Wait a moment.")
            }
            OperationError::Connect(error) => {
                write!(f, "{error} Nothing was written to the token.")
            }
            OperationError::NotAPn532 => f.write_str(
                "The board on the serial port did not answer: this serial device is not a PN532 \
                 board in HSU mode — check its mode switches (HSU: both off), then connect it \
                 again in the Reader step. Nothing was written to the token.",
            ),
            OperationError::Bridge(error) => write!(f, "{error} Nothing was written to the token."),
        }
    }
}

/// Runs `session` on the token of the app's reader. `observe` sees progress snapshots.
pub async fn run_session(
    state: AppState,
    session: Session,
    observe: impl FnMut(&Report),
) -> Result<Report, OperationError> {
    let slot = state.reader.get_value();
    let Some(mut reader) = slot.borrow_mut().take() else {
        return Err(if state.busy.get_untracked() {
            OperationError::Busy
        } else {
            OperationError::NoReader
        });
    };
    state.busy.set(true);
    let result = run_on(&mut reader, session, observe).await;
    let result = explain_silence(&reader, result);
    if reader.is_gone() {
        state.reader_name.set(None);
        reader.close().await;
    } else {
        *slot.borrow_mut() = Some(reader);
    }
    state.busy.set(false);
    result
}

async fn run_on(
    reader: &mut OpenReader,
    session: Session,
    observe: impl FnMut(&Report),
) -> Result<Report, OperationError> {
    let clock = clock::now_unix;
    let mut link = match reader {
        OpenReader::Usb(reader) => usb_link(reader).await?,
        OpenReader::Serial(reader) => serial_link(reader).await?,
        OpenReader::Bridge(reader) => bridge_link(reader).await?,
    };
    let report = session_runner::run_session(session, &mut link, &clock, observe).await;
    link.close().await;
    Ok(report)
}

async fn usb_link(reader: &mut UsbReader) -> Result<AnyLink<'_>, OperationError> {
    Ok(match reader.kind() {
        ReaderKind::Pn533 => AnyLink::Pn533(
            Pn533Link::connect(reader)
                .await
                .map_err(OperationError::Connect)?,
        ),
        ReaderKind::Ccid => AnyLink::Ccid(
            CcidLink::connect(reader)
                .await
                .map_err(OperationError::Connect)?,
        ),
    })
}

async fn serial_link(reader: &mut SerialReader) -> Result<AnyLink<'_>, OperationError> {
    Pn532Link::connect(reader)
        .await
        .map(AnyLink::Pn532)
        .map_err(OperationError::Connect)
}

async fn bridge_link(reader: &mut BridgeReader) -> Result<AnyLink<'_>, OperationError> {
    reader
        .connect()
        .await
        .map(AnyLink::Bridge)
        .map_err(OperationError::Bridge)
}

/// A serial port that is still there but where no PN532 answered is not (or no longer) a PN532
/// in HSU mode: said plainly rather than as "the reader was unplugged".
fn explain_silence(
    reader: &OpenReader,
    result: Result<Report, OperationError>,
) -> Result<Report, OperationError> {
    match (reader, result) {
        (OpenReader::Serial(serial), Err(OperationError::Connect(error)))
            if *error.fault() == LinkFault::ReaderGone && !serial.is_gone() =>
        {
            Err(OperationError::NotAPn532)
        }
        (_, result) => result,
    }
}

/// What an identify report says about the token, if it succeeded.
pub fn facts_from(report: &Report, read_at: u64) -> Option<TokenFacts> {
    if report.outcome() != Outcome::Success {
        return None;
    }
    let info = report.info.clone()?;
    let model = report.model?;
    Some(TokenFacts {
        clock_offset: info.clock_offset(read_at),
        info,
        model,
    })
}
