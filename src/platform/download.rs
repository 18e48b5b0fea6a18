//! Files made in the page: a Blob, a temporary object URL and a click on a download link.
//! Nothing is sent anywhere; the URL is revoked right after the click.

use wasm_bindgen::JsCast;

/// The browser did not start the download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadRefused;

impl std::fmt::Display for DownloadRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "The browser did not save the file. The batch is still in this page: allow downloads \
             for this site (or free some disk space) and export again.",
        )
    }
}

/// Offers `text` as a file called `name` of type `mime`.
pub fn offer_download(name: &str, mime: &str, text: &str) -> Result<(), DownloadRefused> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| DownloadRefused)?;
    offer_blob(name, &blob)
}

/// Offers `bytes` (e.g. an encrypted file) as a file called `name` of type `mime`.
pub fn offer_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), DownloadRefused> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| DownloadRefused)?;
    offer_blob(name, &blob)
}

fn offer_blob(name: &str, blob: &web_sys::Blob) -> Result<(), DownloadRefused> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(DownloadRefused)?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| DownloadRefused)?;
    let link = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let result = match link {
        Some(link) => {
            link.set_href(&url);
            link.set_download(name);
            link.click();
            Ok(())
        }
        None => Err(DownloadRefused),
    };
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}
