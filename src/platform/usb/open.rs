//! Choosing, opening, configuring and claiming a reader: finds the PN533 vendor interface or the
//! CCID interface and its bulk endpoints, and maps each refusal to a [`ConnectError`].

use std::cell::Cell;
use std::rc::Rc;

use kiln_core::link::ccid::CCID_CLASS;
use kiln_core::link::pn53x::{PN533_BULK_PACKET, PN533_READERS};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{UsbDevice, UsbDirection, UsbEndpointType};

use super::disconnect::DisconnectListener;
use super::error::ConnectError;
use super::{ReaderKind, UsbReader};
use crate::platform::js::{error_message, error_name};

pub(super) fn usb() -> Option<web_sys::Usb> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let usb = js_sys::Reflect::get(&navigator, &JsValue::from_str("usb")).ok()?;
    if usb.is_undefined() || usb.is_null() {
        None
    } else {
        Some(usb.unchecked_into())
    }
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
            "SecurityError" if is_molto2(&device) => ConnectError::Molto2 { name },
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

/// The Molto2v2's USB vendor id (349E:0300, docs/protocol.md). The product name is checked too,
/// for Molto2 models whose ids are not documented; "TOKEN2" alone would also match Token2's
/// FIDO keys, so it is not used.
const MOLTO2_VENDOR_ID: u16 = 0x349E;

/// A Token2 Molto2, by its vendor id or its product name.
fn is_molto2(device: &UsbDevice) -> bool {
    device.vendor_id() == MOLTO2_VENDOR_ID
        || device
            .product_name()
            .is_some_and(|name| name.to_ascii_lowercase().contains("molto2"))
}
