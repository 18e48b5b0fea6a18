//! Web NFC (Chrome on Android): the page can notice that the phone sees a token, but it cannot
//! program it — `NDEFReader` only reads and writes NDEF messages and offers no way to send the
//! token's commands. The NFC check (`components::nfc_check`) uses this to explain why a USB
//! reader is needed.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the phone's NFC antenna reported during a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NfcReading {
    /// An NFC tag the browser could read, with its NFC identifier.
    Tag {
        /// `serialNumber` as the browser gives it ("" when it gives none).
        serial: String,
    },
    /// Something NFC that is not a tag the browser can read (a programmable token, for one).
    Unreadable,
}

/// Why a scan ended without a reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanEnd {
    /// Stopped on purpose ([`NfcScan::abort`]): not a failure.
    Aborted,
    /// The browser refused or failed, in its own words.
    Failed(String),
}

/// One scan's `AbortController`: aborting it makes the browser stop listening to the antenna.
#[derive(Debug, Clone)]
pub struct NfcScan {
    controller: JsValue,
}

impl NfcScan {
    /// A new, not yet started scan; `None` when the browser has no `AbortController`.
    pub fn new() -> Option<NfcScan> {
        new_instance("AbortController")
            .ok()
            .map(|controller| NfcScan { controller })
    }

    /// Stops the scan (the browser stops listening to the NFC antenna).
    pub fn abort(&self) {
        if let Ok(abort) = js_sys::Reflect::get(&self.controller, &JsValue::from_str("abort"))
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = abort.call0(&self.controller);
        }
    }

    /// Starts listening; `on_reading` runs for every reading until the scan is aborted. Returns
    /// once the browser started the scan, or why it could not.
    pub async fn listen(&self, on_reading: impl Fn(NfcReading) + 'static) -> Result<(), ScanEnd> {
        self.start(on_reading).await.map_err(|error| {
            let name = js_sys::Reflect::get(&error, &JsValue::from_str("name"))
                .ok()
                .and_then(|v| v.as_string());
            if name.as_deref() == Some("AbortError") {
                return ScanEnd::Aborted;
            }
            let message = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "NFC is off or not allowed".to_string());
            ScanEnd::Failed(message)
        })
    }

    async fn start(&self, on_reading: impl Fn(NfcReading) + 'static) -> Result<(), JsValue> {
        let reader = new_instance("NDEFReader")?;
        let on_reading = std::rc::Rc::new(on_reading);
        let on_tag = {
            let on_reading = std::rc::Rc::clone(&on_reading);
            Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                let serial = js_sys::Reflect::get(&event, &JsValue::from_str("serialNumber"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                on_reading(NfcReading::Tag { serial });
            })
        };
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |_| on_reading(NfcReading::Unreadable));
        js_sys::Reflect::set(&reader, &JsValue::from_str("onreading"), on_tag.as_ref())?;
        js_sys::Reflect::set(
            &reader,
            &JsValue::from_str("onreadingerror"),
            on_error.as_ref(),
        )?;
        on_tag.forget();
        on_error.forget();
        let signal = js_sys::Reflect::get(&self.controller, &JsValue::from_str("signal"))?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &JsValue::from_str("signal"), &signal)?;
        let scan: js_sys::Function =
            js_sys::Reflect::get(&reader, &JsValue::from_str("scan"))?.dyn_into()?;
        let promise: js_sys::Promise = scan.call1(&reader, &options)?.dyn_into()?;
        JsFuture::from(promise).await?;
        Ok(())
    }
}

fn new_instance(name: &str) -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&window, &JsValue::from_str(name))?.dyn_into()?;
    js_sys::Reflect::construct(&constructor, &js_sys::Array::new())
}
