//! WebUSB adapter: opens a USB NFC reader and moves bytes for kiln-core's PN53x and CCID links.
//!
//! Only vendor-class PN533 readers (StickID 04cc:2533, SCL3711 04e6:5591) work on ordinary
//! pages. Smart-card-class (CCID) readers are offered in the chooser too, because Chrome grants
//! them where smart-card access is allowed (Isolated Web Apps); elsewhere `claimInterface` fails
//! with a SecurityError, which is explained instead of hidden. Every failure becomes a
//! [`ConnectError`] with what to do next.

mod disconnect;
mod error;
mod open;
mod pipe;

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::JsFuture;
use web_sys::UsbDevice;

use disconnect::DisconnectListener;
pub use error::ConnectError;
pub use open::{choose_reader, open_device};

/// Which protocol the reader speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderKind {
    /// Raw PN533 frames on a vendor-specific interface.
    Pn533,
    /// USB CCID (smart-card class).
    Ccid,
}

/// An open, claimed USB reader. Implements [`BulkPipe`](kiln_core::link::BulkPipe) (`pipe`).
pub struct UsbReader {
    device: UsbDevice,
    kind: ReaderKind,
    name: String,
    interface: u8,
    endpoint_out: u8,
    endpoint_in: u8,
    packet_size: usize,
    /// A transferIn still pending after a read timed out: WebUSB cannot cancel it, so the next
    /// read waits on it instead of starting another.
    pending_in: Option<JsFuture<web_sys::UsbInTransferResult>>,
    gone: Rc<Cell<bool>>,
    _disconnect_listener: DisconnectListener,
}

impl UsbReader {
    /// PN533 or CCID.
    pub fn kind(&self) -> ReaderKind {
        self.kind
    }

    /// The reader's name for display.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True once the reader was unplugged.
    pub fn is_gone(&self) -> bool {
        self.gone.get()
    }

    /// Releases the interface and closes the device.
    pub async fn close(self) {
        if !self.gone.get() {
            let _ = JsFuture::from(self.device.release_interface(self.interface)).await;
            let _ = JsFuture::from(self.device.close()).await;
        }
    }
}
