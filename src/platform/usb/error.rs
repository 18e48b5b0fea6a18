//! Why a USB reader could not be opened, in words that say what to do next.

/// Why a reader could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// No `navigator.usb`.
    NoWebUsb,
    /// Not https or localhost.
    NotSecure,
    /// The user closed the chooser without picking a device.
    Cancelled,
    /// A CCID reader, refused by the browser's protected-class rule.
    ProtectedClass {
        /// The reader's name.
        name: String,
    },
    /// A Token2 Molto2 (a CCID device too): refused like a smart-card reader, and the page has
    /// no Molto2 profile editor; the CLI programs it.
    Molto2 {
        /// The device's name.
        name: String,
    },
    /// The interface is held by the operating system or another program.
    ClaimFailed {
        /// The reader's name.
        name: String,
        /// Show the Linux kernel-driver advice.
        linux: bool,
    },
    /// The OS refused to open the device (Windows without WinUSB, Linux without permission).
    AccessDenied {
        /// The reader's name.
        name: String,
        /// Show the Windows driver advice.
        windows: bool,
    },
    /// A device with no usable reader interface.
    Unsupported {
        /// The device's name.
        name: String,
    },
    /// Unplugged while opening.
    Gone,
    /// Anything else, with the browser's own words.
    Other(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::NoWebUsb => f.write_str(
                "This browser cannot use USB devices from a web page (Firefox and Safari do not \
                 support WebUSB). Open Kiln in Chrome, Edge or Opera on a computer or an Android \
                 phone, or use Kiln's command-line tool, which works with every PC/SC reader.",
            ),
            ConnectError::NotSecure => f.write_str(
                "USB access needs a secure page. Open Kiln from its https:// address (or from \
                 http://localhost on your own computer).",
            ),
            ConnectError::Cancelled => f.write_str(
                "No reader was chosen. Plug the reader in, click the button again and pick it in \
                 the browser's list.",
            ),
            ConnectError::ProtectedClass { name } => write!(
                f,
                "{name} is a smart-card (CCID) reader. Browsers do not let ordinary web pages use \
                 smart-card readers: Chrome allows it only for installed Isolated Web Apps. Use a \
                 PN533 reader such as Token2's StickID or an SCM SCL3711 here, or burn with Kiln's \
                 command-line tool (kiln), which works with every PC/SC reader."
            ),
            ConnectError::Molto2 { name } => write!(
                f,
                "{name} is a Token2 Molto2 multi-profile token. Browsers do not let ordinary web \
                 pages use smart-card (CCID) devices, and the Molto2 is one, so this page cannot \
                 program it. Use Kiln's command-line tool: `kiln molto2 list` shows its profiles \
                 and `kiln molto2 burn --profile N --title NAME --uri -` writes an account into \
                 a free profile."
            ),
            ConnectError::ClaimFailed { name, linux: true } => write!(
                f,
                "{name} is held by the operating system. On Linux the pn533_usb kernel driver \
                 takes PN533 readers: run `sudo modprobe -r pn533_usb pn533 nfc`, or blacklist \
                 those modules and add the udev rule from Kiln's README, then unplug the reader, \
                 plug it back in and connect again. Also close other tabs or programs using it."
            ),
            ConnectError::ClaimFailed { name, linux: false } => write!(
                f,
                "{name} is in use by another program or browser tab. Close it, unplug the reader, \
                 plug it back in and connect again."
            ),
            ConnectError::AccessDenied {
                name,
                windows: true,
            } => write!(
                f,
                "Windows did not let the browser open {name}. The reader needs the WinUSB driver: \
                 install it once (for example with Zadig, choosing WinUSB for this device), then \
                 unplug the reader, plug it back in and connect again."
            ),
            ConnectError::AccessDenied {
                name,
                windows: false,
            } => write!(
                f,
                "The system did not let the browser open {name}. On Linux, add the udev rule from \
                 Kiln's README so your user may use the reader, then unplug it and plug it back in."
            ),
            ConnectError::Unsupported { name } => write!(
                f,
                "{name} is not a reader Kiln can use. Kiln works with PN533 readers (Token2 \
                 StickID, SCL3711) in the browser, and with any PC/SC reader through its \
                 command-line tool."
            ),
            ConnectError::Gone => {
                f.write_str("The reader was unplugged. Plug it back in and connect again.")
            }
            ConnectError::Other(detail) => write!(
                f,
                "The browser could not open the reader ({detail}). Unplug it, plug it back in and \
                 try again."
            ),
        }
    }
}
