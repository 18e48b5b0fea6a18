//! Noticing that the open reader was unplugged.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::UsbDevice;

use super::open::usb;

/// Watches `navigator.usb` for this device's disconnection while the reader is open.
pub(super) struct DisconnectListener {
    usb: Option<web_sys::Usb>,
    callback: Option<Closure<dyn Fn(web_sys::Event)>>,
}

impl DisconnectListener {
    pub(super) fn install(
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
