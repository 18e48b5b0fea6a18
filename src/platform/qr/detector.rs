//! The browser's own `BarcodeDetector` (Chrome on Android, macOS and ChromeOS), used for camera
//! frames where it reads QR codes: it runs in the browser's native code, so the worker is not
//! even started. Not in web-sys's stable bindings, so reached through `Reflect`.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::platform::worker_message::object;

const QR_FORMAT: &str = "qr_code";

/// A `BarcodeDetector` limited to QR codes.
pub struct Detector {
    detector: JsValue,
    detect: Function,
}

impl Detector {
    /// The browser's detector, if it has one that reads QR codes.
    pub async fn for_qr_codes() -> Option<Detector> {
        let class: Function = Reflect::get(&js_sys::global(), &"BarcodeDetector".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let supported: Function = Reflect::get(&class, &"getSupportedFormats".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let formats: Promise = supported.call0(&class).ok()?.dyn_into().ok()?;
        let formats: Array = JsFuture::from(formats).await.ok()?.dyn_into().ok()?;
        if !formats.includes(&QR_FORMAT.into(), 0) {
            return None;
        }
        let options = object(&[("formats", &Array::of1(&QR_FORMAT.into()))]);
        let detector = Reflect::construct(&class, &Array::of1(&options)).ok()?;
        let detect = Reflect::get(&detector, &"detect".into())
            .ok()?
            .dyn_into()
            .ok()?;
        Some(Detector { detector, detect })
    }

    /// The texts of the QR codes in the current frame of `source` (a `<video>`); `Err` when the
    /// detector failed, so the caller can fall back to the worker.
    pub async fn detect(&self, source: &JsValue) -> Result<Vec<String>, ()> {
        let found: Promise = self
            .detect
            .call1(&self.detector, source)
            .map_err(|_| ())?
            .dyn_into()
            .map_err(|_| ())?;
        let found: Array = JsFuture::from(found)
            .await
            .map_err(|_| ())?
            .dyn_into()
            .map_err(|_| ())?;
        Ok(found
            .iter()
            .filter_map(|code| Reflect::get(&code, &"rawValue".into()).ok()?.as_string())
            .filter(|text| !text.is_empty())
            .collect())
    }
}
