//! Web Serial adapter: a PN532 board (HSU mode) behind a USB-serial chip, as kiln-core's
//! [`SerialPipe`](kiln_core::link::pn532::SerialPipe), so the same `Pn532Link` and token sessions
//! run over it as over the CLI's serial port.
//!
//! Bindings: web-sys's Web Serial types (`Serial`, `SerialPort`, …), which are unstable and need
//! `--cfg=web_sys_unstable_apis`; .cargo/config.toml already passes it for wasm32 (WebUSB needs
//! it too), so trunk, clippy and the wasm tests all build with it.
//!
//! Web Serial exists in Chrome, Edge and Opera on computers, and in Chrome 148+ on Android (with
//! an OTG adapter); Firefox and Safari have none.

mod chips;
mod error;
mod open;
mod port;

pub use chips::{USB_SERIAL_CHIPS, UsbSerialChip};
pub use error::SerialConnectError;
pub use open::choose_board;
pub use port::SerialReader;
