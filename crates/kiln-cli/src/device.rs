//! The token on a PC/SC reader or a PN532 board (`--serial-port`): connect, identify, run a session, turn a failed session into an
//! error with the report's plain-language summary.

use kiln_core::token::{Model, Outcome, Report, Session, TokenInfo};
use kiln_pcsc::{Connection, Pcsc};

use crate::clock;
use crate::exit::CliError;
use crate::pcsc_errors::pcsc_error;
use crate::reader_choice;
use crate::report_json;
use crate::serial_board::{self, Board};

/// A connected token.
pub struct Device {
    /// The reader's name.
    pub reader: String,
    connection: Backend,
}

/// How the token is reached: a PC/SC reader, or a PN532 board on `--serial-port`.
enum Backend {
    Pcsc(Connection),
    Serial(Board),
}

/// What GET INFO said about a supported token.
pub struct Identified {
    /// Serial number and clock.
    pub info: TokenInfo,
    /// The model (only supported models get here).
    pub model: Model,
    /// This computer's time right after the reply, for the clock offset.
    pub host_time: u64,
}

impl Device {
    /// Finds the reader (`--reader`, or the only one with a contactless card) and connects to its
    /// card.
    pub fn open(wanted: Option<&str>) -> Result<Device, CliError> {
        if let Some(path) = serial_board::chosen() {
            if wanted.is_some() {
                return Err(CliError::usage(
                    "usage",
                    "Give either --reader (a PC/SC reader) or --serial-port (a PN532 board), \
                     not both.",
                ));
            }
            let board = Board::open(path)?;
            return Ok(Device {
                reader: board.describe(path),
                connection: Backend::Serial(board),
            });
        }
        let pcsc = Pcsc::establish().map_err(|e| pcsc_error(e, None))?;
        let readers = pcsc.readers().map_err(|e| pcsc_error(e, None))?;
        let listed: Vec<reader_choice::Listed> = readers
            .iter()
            .map(|r| (r.name.as_str(), r.card()))
            .collect();
        let chosen = reader_choice::choose(&listed, wanted)?;
        let Some(reader) = readers.into_iter().nth(chosen) else {
            return Err(crate::pcsc_errors::no_reader());
        };
        let connection = pcsc
            .connect(&reader)
            .map_err(|e| pcsc_error(e, Some(&reader.name)))?;
        Ok(Device {
            reader: reader.name,
            connection: Backend::Pcsc(connection),
        })
    }

    /// Runs a session with this computer's clock; `observe` sees every report snapshot. Fails
    /// only when the session cannot start (the card is gone before the first command).
    pub fn run(
        &mut self,
        session: Session,
        observe: impl FnMut(&Report),
    ) -> Result<Report, CliError> {
        match &mut self.connection {
            Backend::Pcsc(connection) => connection
                .run_session(session, &clock::now_unix, observe)
                .map_err(|e| pcsc_error(e, Some(&self.reader))),
            Backend::Serial(board) => Ok(board.run_session(session, &clock::now_unix, observe)),
        }
    }

    /// GET INFO only: serial, model and clock. Unknown models are an error.
    pub fn identify(&mut self) -> Result<Identified, CliError> {
        let report = self.run(Session::identify(), |_| {})?;
        let host_time = clock::now_unix();
        if report.outcome() != Outcome::Success {
            return Err(session_error(&report));
        }
        match (report.info, report.model) {
            (Some(info), Some(model)) => Ok(Identified {
                info,
                model,
                host_time,
            }),
            _ => Err(CliError::device(
                "internal_error",
                "The token answered, but its identity was lost (an internal error). Try again.",
            )),
        }
    }
}

/// The error for a session that did not succeed: exit 4 or 5, the report's summary as the
/// message, and the whole report in JSON.
pub fn session_error(report: &Report) -> CliError {
    let exit = report_json::exit_for(report);
    CliError::new(exit, report_json::failure_code(report), report.summary())
        .with_fields(report_json::report_json(report))
}
