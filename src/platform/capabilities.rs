//! What this browser can do, detected (never guessed from the user agent where a feature test
//! exists), with plain explanations.

use wasm_bindgen::JsValue;

fn has_property(target: &JsValue, name: &str) -> bool {
    js_sys::Reflect::has(target, &JsValue::from_str(name)).unwrap_or(false)
}

/// Facts about the browser that decide which readers and inputs work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// HTTPS or localhost: required for WebUSB and the camera.
    pub secure_context: bool,
    /// `navigator.usb` exists (Chrome, Edge, Opera, Samsung Internet; not Firefox or Safari).
    pub webusb: bool,
    /// `navigator.serial` exists (Chrome, Edge, Opera on computers; Chrome 148+ on Android).
    pub web_serial: bool,
    /// `NDEFReader` exists (Chrome on Android).
    pub web_nfc: bool,
    /// `navigator.mediaDevices.getUserMedia` exists.
    pub camera: bool,
    /// `getDisplayMedia` exists (desktop browsers).
    pub screen_capture: bool,
    /// `BarcodeDetector` exists (Chrome on Android, macOS, ChromeOS).
    pub barcode_detector: bool,
    /// Looks like a phone or tablet (touch-first), for wording only.
    pub mobile: bool,
    /// Looks like Linux (for the kernel-driver hint) — wording only.
    pub linux: bool,
    /// Looks like Windows (for the WinUSB hint) — wording only.
    pub windows: bool,
}

impl Capabilities {
    /// Detects the current browser.
    pub fn detect() -> Capabilities {
        let Some(window) = web_sys::window() else {
            return Capabilities::none();
        };
        let navigator = window.navigator();
        let nav: &JsValue = navigator.as_ref();
        let media = js_sys::Reflect::get(nav, &JsValue::from_str("mediaDevices"))
            .unwrap_or(JsValue::UNDEFINED);
        let user_agent = navigator.user_agent().unwrap_or_default().to_lowercase();
        let mobile = user_agent.contains("android")
            || user_agent.contains("iphone")
            || user_agent.contains("ipad");
        Capabilities {
            secure_context: window.is_secure_context(),
            webusb: has_property(nav, "usb"),
            web_serial: has_property(nav, "serial"),
            web_nfc: has_property(window.as_ref(), "NDEFReader"),
            camera: !media.is_undefined() && has_property(&media, "getUserMedia"),
            screen_capture: !mobile
                && !media.is_undefined()
                && has_property(&media, "getDisplayMedia"),
            barcode_detector: has_property(window.as_ref(), "BarcodeDetector"),
            mobile,
            linux: user_agent.contains("linux") && !user_agent.contains("android"),
            windows: user_agent.contains("windows"),
        }
    }

    fn none() -> Capabilities {
        Capabilities {
            secure_context: false,
            webusb: false,
            web_serial: false,
            web_nfc: false,
            camera: false,
            screen_capture: false,
            barcode_detector: false,
            mobile: false,
            linux: false,
            windows: false,
        }
    }
}
