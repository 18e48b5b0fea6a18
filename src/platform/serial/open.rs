//! Choosing and opening the board's serial port, then checking that a PN532 answers on it.

use kiln_core::link::LinkFault;
use kiln_core::link::pn532::{PN532_BAUD, Pn532Link};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{FlowControlType, ParityType, SerialOptions, SerialPort, SerialPortFilter};

use super::chips::{USB_SERIAL_CHIPS, port_name};
use super::error::SerialConnectError;
use super::port::{SerialReader, lock_readable, lock_writable};
use crate::platform::js::{error_message, error_name};

fn serial() -> Option<web_sys::Serial> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    let serial = js_sys::Reflect::get(&navigator, &JsValue::from_str("serial")).ok()?;
    if serial.is_undefined() || serial.is_null() {
        None
    } else {
        Some(serial.unchecked_into())
    }
}

/// Asks the user to pick the board's port in the browser's chooser (USB-serial chips only),
/// opens it at 115 200 8N1 and checks that a PN532 answers. Must be called from a click handler
/// (browsers require a user gesture). `on_unplugged` runs if the port disappears later.
pub async fn choose_board(
    on_unplugged: impl Fn() + 'static,
) -> Result<SerialReader, SerialConnectError> {
    let window = web_sys::window().ok_or(SerialConnectError::NoWebSerial)?;
    let serial = serial().ok_or(SerialConnectError::NoWebSerial)?;
    if !window.is_secure_context() {
        return Err(SerialConnectError::NotSecure);
    }
    let filters: Vec<SerialPortFilter> = USB_SERIAL_CHIPS
        .iter()
        .map(|chip| {
            let filter = SerialPortFilter::new();
            filter.set_usb_vendor_id(chip.vendor);
            filter.set_usb_product_id(chip.product);
            filter
        })
        .collect();
    let options = web_sys::SerialPortRequestOptions::new();
    options.set_filters(&filters);
    let port: SerialPort = match JsFuture::from(serial.request_port_with_options(&options)).await {
        Ok(port) => port.unchecked_into(),
        Err(error) if error_name(&error) == "NotFoundError" => {
            return Err(SerialConnectError::Cancelled);
        }
        Err(error) => return Err(SerialConnectError::Other(error_message(&error))),
    };
    let info = port.get_info();
    let name = port_name(info.get_usb_vendor_id(), info.get_usb_product_id());
    let mut reader = open_port(port, name.clone(), on_unplugged).await?;
    match check_board(&mut reader, &name).await {
        Ok(()) => Ok(reader),
        Err(error) => {
            reader.close().await;
            Err(error)
        }
    }
}

/// Opens `port` at 115 200 baud, 8 data bits, no parity, 1 stop bit, no flow control.
async fn open_port(
    port: SerialPort,
    name: String,
    on_unplugged: impl Fn() + 'static,
) -> Result<SerialReader, SerialConnectError> {
    let options = SerialOptions::new(PN532_BAUD);
    options.set_data_bits(8);
    options.set_parity(ParityType::None);
    options.set_stop_bits(1);
    options.set_flow_control(FlowControlType::None);
    if let Err(error) = JsFuture::from(port.open(&options)).await {
        return Err(match error_name(&error).as_str() {
            // Already open elsewhere (InvalidStateError) or the OS refused: busy (NetworkError).
            "InvalidStateError" | "NetworkError" => SerialConnectError::PortBusy { name },
            "NotFoundError" => SerialConnectError::Gone,
            _ => SerialConnectError::Other(error_message(&error)),
        });
    }
    let (Some(reader), Some(writer)) = (lock_readable(&port), lock_writable(&port)) else {
        let _ = JsFuture::from(port.close()).await;
        return Err(SerialConnectError::Gone);
    };
    let board = format!("PN532 board on a {name}");
    Ok(SerialReader::new(port, reader, writer, board, on_unplugged))
}

/// Wakes the board and brings it up once. The board is there if it answered at all: no token on
/// it yet is fine. Silence (or bytes that are not PN532 frames) means another device, or a board
/// not in HSU mode. Nothing is sent to a token.
async fn check_board(reader: &mut SerialReader, name: &str) -> Result<(), SerialConnectError> {
    let error = match Pn532Link::connect(&mut *reader).await {
        Ok(link) => {
            link.close().await;
            return Ok(());
        }
        Err(error) => error,
    };
    match error.fault() {
        _ if reader.is_gone() => Err(SerialConnectError::Gone),
        LinkFault::ReaderGone | LinkFault::ReaderProtocol(_) => {
            Err(SerialConnectError::NotAPn532 {
                name: name.to_string(),
            })
        }
        _ => Ok(()),
    }
}
