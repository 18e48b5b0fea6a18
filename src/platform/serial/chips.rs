//! The USB-serial chips PN532 boards are sold with: the chooser lists only ports behind them.

/// A USB-serial bridge chip, as its USB IDs identify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsbSerialChip {
    /// USB vendor ID.
    pub vendor: u16,
    /// USB product ID.
    pub product: u16,
    /// The chip's common name.
    pub name: &'static str,
}

/// WCH CH340, Silicon Labs CP210x, Prolific PL2303, FTDI FT232R and FT-X (FT230X/FT231X).
pub const USB_SERIAL_CHIPS: [UsbSerialChip; 5] = [
    UsbSerialChip {
        vendor: 0x1a86,
        product: 0x7523,
        name: "CH340",
    },
    UsbSerialChip {
        vendor: 0x10c4,
        product: 0xea60,
        name: "CP210x",
    },
    UsbSerialChip {
        vendor: 0x067b,
        product: 0x2303,
        name: "PL2303",
    },
    UsbSerialChip {
        vendor: 0x0403,
        product: 0x6001,
        name: "FTDI FT232R",
    },
    UsbSerialChip {
        vendor: 0x0403,
        product: 0x6015,
        name: "FTDI FT-X",
    },
];

/// The port's name for messages: its chip and USB IDs when the browser gives them.
pub fn port_name(vendor: Option<u16>, product: Option<u16>) -> String {
    let chip = USB_SERIAL_CHIPS
        .iter()
        .find(|c| Some(c.vendor) == vendor && Some(c.product) == product);
    match (chip, vendor, product) {
        (Some(chip), Some(v), Some(p)) => {
            format!("{} USB-serial adapter ({v:04x}:{p:04x})", chip.name)
        }
        (_, Some(v), Some(p)) => format!("serial port {v:04x}:{p:04x}"),
        _ => "serial port".to_string(),
    }
}
