//! WebUSB adapter: opens a USB NFC reader and moves bytes for kiln-core's PN53x and CCID links.
//!
//! Only vendor-class PN533 readers (StickID 04cc:2533, SCL3711 04e6:5591) work on ordinary
//! pages. Smart-card-class (CCID) readers are offered in the chooser too, because Chrome grants
//! them where smart-card access is allowed (Isolated Web Apps); elsewhere `claimInterface` fails
//! with a SecurityError, which is explained instead of hidden. Every failure becomes a
//! [`ConnectError`] with what to do next.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use kiln_core::link::ccid::CCID_CLASS;
use kiln_core::link::pn53x::{PN533_BULK_PACKET, PN533_READERS};
use kiln_core::link::{BulkPipe, PipeError};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{UsbDevice, UsbDirection, UsbEndpointType, UsbTransferStatus};

/// Largest bulk IN transfer requested (any PN533 frame or CCID message of a Token2 exchange fits).
const READ_LENGTH: u32 = 1024;

/// Which protocol the reader speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderKind {
    /// Raw PN533 frames on a vendor-specific interface.
    Pn533,
    /// USB CCID (smart-card class).
    Ccid,
}

/// An open, claimed USB reader. Implements [`BulkPipe`].
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

fn usb() -> Option<web_sys::Usb> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let usb = js_sys::Reflect::get(&navigator, &JsValue::from_str("usb")).ok()?;
    if usb.is_undefined() || usb.is_null() {
        None
    } else {
        Some(usb.unchecked_into())
    }
}

/// The name of a DOMException (e.g. "SecurityError"), or "" for other values.
fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn error_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

fn device_name(device: &UsbDevice) -> String {
    let product = device.product_name().filter(|n| !n.trim().is_empty());
    let known = PN533_READERS
        .iter()
        .find(|r| r.vendor == device.vendor_id() && r.product == device.product_id())
        .map(|r| r.name.to_string());
    product.or(known).unwrap_or_else(|| {
        format!(
            "The USB device {:04x}:{:04x}",
            device.vendor_id(),
            device.product_id()
        )
    })
}

/// How the chosen device will be driven.
struct Plan {
    kind: ReaderKind,
    configuration: u8,
    interface: u8,
    endpoint_out: u8,
    endpoint_in: u8,
    packet_size: usize,
}

/// Finds a PN533 vendor interface or a CCID interface with bulk endpoints.
fn plan_for(device: &UsbDevice) -> Option<Plan> {
    let is_pn533 = PN533_READERS
        .iter()
        .any(|r| r.vendor == device.vendor_id() && r.product == device.product_id());
    for configuration in device.configurations().iter() {
        for interface in configuration.interfaces().iter() {
            let alternate = interface.alternate();
            let class = alternate.interface_class();
            let kind = if is_pn533 && class == 0xFF {
                ReaderKind::Pn533
            } else if class == CCID_CLASS {
                ReaderKind::Ccid
            } else {
                continue;
            };
            let mut out = None;
            let mut inp = None;
            for endpoint in alternate.endpoints().iter() {
                if endpoint.type_() != UsbEndpointType::Bulk {
                    continue;
                }
                match endpoint.direction() {
                    UsbDirection::Out => {
                        out = Some((endpoint.endpoint_number(), endpoint.packet_size()))
                    }
                    UsbDirection::In => inp = Some(endpoint.endpoint_number()),
                    _ => {}
                }
            }
            if let (Some((endpoint_out, packet)), Some(endpoint_in)) = (out, inp) {
                return Some(Plan {
                    kind,
                    configuration: configuration.configuration_value(),
                    interface: interface.interface_number(),
                    endpoint_out,
                    endpoint_in,
                    packet_size: if packet == 0 {
                        PN533_BULK_PACKET
                    } else {
                        packet as usize
                    },
                });
            }
        }
    }
    None
}

/// Asks the user to pick a reader in the browser's chooser, then opens and claims it.
/// Must be called from a click handler (browsers require a user gesture). `on_unplugged` runs if
/// the reader disappears later.
pub async fn choose_reader(
    linux: bool,
    windows: bool,
    on_unplugged: impl Fn() + 'static,
) -> Result<UsbReader, ConnectError> {
    let window = web_sys::window().ok_or(ConnectError::NoWebUsb)?;
    let usb = usb().ok_or(ConnectError::NoWebUsb)?;
    if !window.is_secure_context() {
        return Err(ConnectError::NotSecure);
    }
    let mut filters: Vec<web_sys::UsbDeviceFilter> = PN533_READERS
        .iter()
        .map(|r| {
            let filter = web_sys::UsbDeviceFilter::new();
            filter.set_vendor_id(r.vendor);
            filter.set_product_id(r.product);
            filter
        })
        .collect();
    let ccid = web_sys::UsbDeviceFilter::new();
    ccid.set_class_code(CCID_CLASS);
    filters.push(ccid);
    let options = web_sys::UsbDeviceRequestOptions::new(&filters);
    let device: UsbDevice = match JsFuture::from(usb.request_device(&options)).await {
        Ok(device) => device.unchecked_into(),
        Err(error) if error_name(&error) == "NotFoundError" => return Err(ConnectError::Cancelled),
        Err(error) => return Err(ConnectError::Other(error_message(&error))),
    };
    open_device(device, linux, windows, on_unplugged).await
}

/// Opens, configures and claims a device the user picked.
pub async fn open_device(
    device: UsbDevice,
    linux: bool,
    windows: bool,
    on_unplugged: impl Fn() + 'static,
) -> Result<UsbReader, ConnectError> {
    let name = device_name(&device);
    let plan = plan_for(&device).ok_or_else(|| ConnectError::Unsupported { name: name.clone() })?;
    if let Err(error) = JsFuture::from(device.open()).await {
        return Err(match error_name(&error).as_str() {
            "NotFoundError" => ConnectError::Gone,
            "SecurityError" | "NetworkError" | "InvalidStateError" => {
                ConnectError::AccessDenied { name, windows }
            }
            _ => ConnectError::Other(error_message(&error)),
        });
    }
    let configured = device
        .configuration()
        .is_some_and(|c| c.configuration_value() == plan.configuration);
    if !configured
        && let Err(error) = JsFuture::from(device.select_configuration(plan.configuration)).await
    {
        let _ = JsFuture::from(device.close()).await;
        return Err(ConnectError::Other(error_message(&error)));
    }
    if let Err(error) = JsFuture::from(device.claim_interface(plan.interface)).await {
        let _ = JsFuture::from(device.close()).await;
        return Err(match error_name(&error).as_str() {
            "SecurityError" => ConnectError::ProtectedClass { name },
            "NotFoundError" => ConnectError::Gone,
            "NetworkError" | "InvalidStateError" => ConnectError::ClaimFailed { name, linux },
            _ => ConnectError::Other(error_message(&error)),
        });
    }
    let gone = Rc::new(Cell::new(false));
    let listener = DisconnectListener::install(&device, gone.clone(), on_unplugged);
    Ok(UsbReader {
        device,
        kind: plan.kind,
        name,
        interface: plan.interface,
        endpoint_out: plan.endpoint_out,
        endpoint_in: plan.endpoint_in,
        packet_size: plan.packet_size.max(1),
        pending_in: None,
        gone,
        _disconnect_listener: listener,
    })
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

    fn transfer_error(&self, error: &JsValue) -> PipeError {
        if self.gone.get() || error_name(error) == "NotFoundError" {
            PipeError::Disconnected
        } else {
            PipeError::Io(error_message(error))
        }
    }
}

impl BulkPipe for UsbReader {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        if self.gone.get() {
            return Err(PipeError::Disconnected);
        }
        let promise = self
            .device
            .transfer_out_with_u8_slice(self.endpoint_out, data)
            .map_err(|e| self.transfer_error(&e))?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|e| self.transfer_error(&e))?;
        match result.status() {
            UsbTransferStatus::Ok => {}
            UsbTransferStatus::Stall => return Err(PipeError::Stalled),
            other => return Err(PipeError::Io(format!("transfer status {other:?}"))),
        }
        // A transfer that fills whole packets must end with a zero-length packet.
        if !data.is_empty() && data.len().is_multiple_of(self.packet_size) {
            let promise = self
                .device
                .transfer_out_with_u8_slice(self.endpoint_out, &[])
                .map_err(|e| self.transfer_error(&e))?;
            JsFuture::from(promise)
                .await
                .map_err(|e| self.transfer_error(&e))?;
        }
        Ok(())
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        if self.gone.get() {
            return Err(PipeError::Disconnected);
        }
        let mut transfer = match self.pending_in.take() {
            Some(pending) => pending,
            None => JsFuture::from(self.device.transfer_in(self.endpoint_in, READ_LENGTH)),
        };
        let mut timer = sleep(timeout_ms);
        let outcome = std::future::poll_fn(|cx| {
            if let Poll::Ready(result) = Pin::new(&mut transfer).poll(cx) {
                return Poll::Ready(Some(result));
            }
            if Pin::new(&mut timer).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            Poll::Pending
        })
        .await;
        let Some(result) = outcome else {
            if self.gone.get() {
                return Err(PipeError::Disconnected);
            }
            self.pending_in = Some(transfer);
            return Err(PipeError::Timeout);
        };
        let result = result.map_err(|e| self.transfer_error(&e))?;
        match result.status() {
            UsbTransferStatus::Ok => Ok(result
                .data()
                .map(|view| {
                    js_sys::Uint8Array::new_with_byte_offset_and_length(
                        &view.buffer(),
                        view.byte_offset() as u32,
                        view.byte_length() as u32,
                    )
                    .to_vec()
                })
                .unwrap_or_default()),
            UsbTransferStatus::Stall => Err(PipeError::Stalled),
            other => Err(PipeError::Io(format!("transfer status {other:?}"))),
        }
    }
}

/// A future that resolves after `ms` milliseconds.
fn sleep(ms: u32) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.min(i32::MAX as u32) as i32,
            );
        }
    });
    JsFuture::from(promise)
}

/// Watches `navigator.usb` for this device's disconnection while the reader is open.
struct DisconnectListener {
    usb: Option<web_sys::Usb>,
    callback: Option<Closure<dyn Fn(web_sys::Event)>>,
}

impl DisconnectListener {
    fn install(
        device: &UsbDevice,
        gone: Rc<Cell<bool>>,
        on_unplugged: impl Fn() + 'static,
    ) -> Self {
        let Some(usb) = usb() else {
            return DisconnectListener {
                usb: None,
                callback: None,
            };
        };
        let device = device.clone();
        let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let target = js_sys::Reflect::get(&event, &JsValue::from_str("device"))
                .unwrap_or(JsValue::UNDEFINED);
            if JsValue::from(device.clone()) == target {
                gone.set(true);
                on_unplugged();
            }
        });
        let _ =
            usb.add_event_listener_with_callback("disconnect", callback.as_ref().unchecked_ref());
        DisconnectListener {
            usb: Some(usb),
            callback: Some(callback),
        }
    }
}

impl Drop for DisconnectListener {
    fn drop(&mut self) {
        if let (Some(usb), Some(callback)) = (&self.usb, &self.callback) {
            let _ = usb.remove_event_listener_with_callback(
                "disconnect",
                callback.as_ref().unchecked_ref(),
            );
        }
    }
}
