//! A PN532 board on a serial port (`--serial-port`), for computers without pcscd or a PC/SC
//! reader: the `serialport` crate (built without libudev: kiln names the port, it does not
//! enumerate them) opens the port at 115 200 baud, 8N1, no flow control, and kiln-core's
//! `Pn532Link` does the rest (docs/readers.md §6).

use std::io::{ErrorKind, Read, Write};
use std::sync::OnceLock;
use std::time::Duration;

use kiln_core::link::pn532::{PN532_BAUD, Pn532Link, SerialPipe};
use kiln_core::link::{LinkError, LinkFault, PipeError};
use kiln_core::session_runner::{Clock, run_session};
use kiln_core::token::{Report, Session};
use serialport::{DataBits, FlowControl, Parity, StopBits};
use zeroize::Zeroize;

use crate::exit::CliError;

/// The port given with `--serial-port`, set once by `main` before any command runs.
static CHOSEN: OnceLock<String> = OnceLock::new();

/// Remembers `--serial-port` for [`chosen`].
pub fn choose(path: Option<String>) {
    if let Some(path) = path {
        let _ = CHOSEN.set(path);
    }
}

/// The serial port to use instead of PC/SC, if one was given.
pub fn chosen() -> Option<&'static str> {
    CHOSEN.get().map(String::as_str)
}

/// Most bytes taken from the port per read (a whole frame is at most 275).
const READ_CHUNK: usize = 512;

/// An open serial port as the byte stream under the PN532 link.
pub struct Port(Box<dyn serialport::SerialPort>);

impl SerialPipe for Port {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        self.0
            .write_all(data)
            .and_then(|()| self.0.flush())
            .map_err(|e| pipe_error(&e))
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        self.0
            .set_timeout(Duration::from_millis(u64::from(timeout_ms.max(1))))
            .map_err(|e| PipeError::Io(e.to_string()))?;
        let mut buffer = [0u8; READ_CHUNK];
        let result = match self.0.read(&mut buffer) {
            Ok(0) => Err(PipeError::Timeout),
            Ok(n) => Ok(buffer.get(..n).unwrap_or_default().to_vec()),
            Err(e) => Err(pipe_error(&e)),
        };
        buffer.zeroize();
        result
    }
}

fn pipe_error(error: &std::io::Error) -> PipeError {
    match error.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock | ErrorKind::Interrupted => PipeError::Timeout,
        ErrorKind::BrokenPipe
        | ErrorKind::NotConnected
        | ErrorKind::UnexpectedEof
        | ErrorKind::NotFound => PipeError::Disconnected,
        _ => PipeError::Io(error.to_string()),
    }
}

/// A PN532 board with the token activated on it.
pub struct Board {
    link: Pn532Link<Port>,
}

impl Board {
    /// Opens `path`, wakes the board and activates the token.
    pub fn open(path: &str) -> Result<Board, CliError> {
        let port = serialport::new(path, PN532_BAUD)
            .data_bits(DataBits::Eight)
            .parity(Parity::None)
            .stop_bits(StopBits::One)
            .flow_control(FlowControl::None)
            .timeout(Duration::from_millis(1_000))
            .open()
            .map_err(|e| open_error(path, &e))?;
        let link = pollster::block_on(Pn532Link::connect(Port(port)))
            .map_err(|e| connect_error(path, &e))?;
        Ok(Board { link })
    }

    /// What to call the reader in messages: "PN532 v1.6 on /dev/ttyUSB0".
    pub fn describe(&self, path: &str) -> String {
        format!("{} on {path}", self.link.firmware().describe())
    }

    /// Runs `session` over the board; everything that happens is in the report.
    pub fn run_session<C: Clock + ?Sized>(
        &mut self,
        session: Session,
        clock: &C,
        observe: impl FnMut(&Report),
    ) -> Report {
        pollster::block_on(run_session(session, &mut self.link, clock, observe))
    }
}

fn open_error(path: &str, error: &serialport::Error) -> CliError {
    let detail = error.to_string();
    // serialport reports a port another program holds (TIOCEXCL or its lock) as NoDevice, so
    // tell the two apart by the system's words.
    let busy = detail.contains("busy") || detail.contains("lock");
    let (code, message) = match error.kind() {
        _ if busy => (
            "serial_port_busy",
            format!(
                "{path} is in use by another program ({detail}). Close it (a serial monitor, \
                 another kiln, a browser tab using the board) and retry."
            ),
        ),
        serialport::ErrorKind::NoDevice | serialport::ErrorKind::Io(ErrorKind::NotFound) => (
            "serial_port_missing",
            format!(
                "There is no serial port {path} ({detail}). Check that the board's USB-serial \
                 adapter is plugged in and give its port (Linux: /dev/ttyUSB0 or /dev/ttyACM0; \
                 macOS: /dev/cu.usbserial-…; Windows: COM3)."
            ),
        ),
        serialport::ErrorKind::Io(ErrorKind::PermissionDenied) => (
            "serial_port_denied",
            format!(
                "You may not open {path} ({detail}). On Linux, add yourself to the dialout group \
                 (sudo usermod -aG dialout $USER), log out and in again, and retry."
            ),
        ),
        _ => (
            "serial_port_error",
            format!(
                "Could not open {path}: {detail}. Unplug the board, plug it back in and retry."
            ),
        ),
    };
    CliError::device(code, message)
}

fn connect_error(path: &str, error: &LinkError) -> CliError {
    match error {
        LinkError::NoReply(LinkFault::ReaderGone) | LinkError::NotSent(LinkFault::ReaderGone) => {
            CliError::device(
                "not_a_pn532",
                format!(
                    "No PN532 answered on {path}: this serial device is not a PN532 board in HSU \
                     mode. Check the board's mode switches (HSU: both off), that TX goes to RX \
                     and RX to TX, and that the port is the board's."
                ),
            )
        }
        LinkError::NotSent(fault @ LinkFault::NoToken) => {
            CliError::device("no_card", fault.to_string())
        }
        LinkError::NotSent(fault @ LinkFault::NotAToken { .. }) => {
            CliError::device("card_unresponsive", fault.to_string())
        }
        other => CliError::device("reader_error", other.to_string()),
    }
}
