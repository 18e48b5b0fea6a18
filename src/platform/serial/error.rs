//! Why a PN532 board could not be used, in words a non-expert can act on.

/// Why a serial port could not be opened as a PN532 board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialConnectError {
    /// No `navigator.serial` (Firefox, Safari, Chrome on Android before 148).
    NoWebSerial,
    /// Not https or localhost.
    NotSecure,
    /// The user closed the chooser without picking a port.
    Cancelled,
    /// Another program (or tab) has the port open: `open()` failed.
    PortBusy {
        /// The port's name (chip and USB IDs).
        name: String,
    },
    /// Nothing answered like a PN532 within the wake-up time.
    NotAPn532 {
        /// The port's name (chip and USB IDs).
        name: String,
    },
    /// Unplugged while opening or checking.
    Gone,
    /// Anything else, with the browser's own words.
    Other(String),
}

impl std::fmt::Display for SerialConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SerialConnectError::NoWebSerial => f.write_str(
                "This browser cannot use serial devices from a web page (Firefox and Safari do not \
                 support Web Serial). Open Kiln in Chrome, Edge or Opera on a computer, or in \
                 Chrome 148 or newer on Android with the board on a USB-OTG adapter, or use Kiln’s \
                 command-line tool (kiln --serial-port).",
            ),
            SerialConnectError::NotSecure => f.write_str(
                "Serial access needs a secure page. Open Kiln from its https:// address (or from \
                 http://localhost on your own computer).",
            ),
            SerialConnectError::Cancelled => f.write_str(
                "No serial port was chosen. Plug the board’s USB cable in, click the button again \
                 and pick it in the browser’s list.",
            ),
            SerialConnectError::PortBusy { name } => write!(
                f,
                "The {name} is in use by another program (a serial monitor, the Arduino IDE, \
                 another browser tab or kiln). Close that program and connect again."
            ),
            SerialConnectError::NotAPn532 { name } => write!(
                f,
                "Nothing answered on the {name}: this serial device is not a PN532 board in HSU \
                 mode — check its mode switches (HSU: both off), that TX goes to RX and RX to TX, \
                 then connect again."
            ),
            SerialConnectError::Gone => {
                f.write_str("The board was unplugged. Plug it back in and connect again.")
            }
            SerialConnectError::Other(detail) => write!(
                f,
                "The browser could not open the serial port ({detail}). Unplug the board, plug it \
                 back in and try again."
            ),
        }
    }
}
