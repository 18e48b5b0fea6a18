//! Before opening the WebSocket: `GET /hello` on the bridge. The browser reports a refused
//! WebSocket handshake only as "closed", so this plain request is what tells "not running",
//! "declined by the browser" and "this origin is not allowed" apart.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{PermissionState, PermissionStatus, Response};

use super::error::BridgeError;
use super::json::{self, Json};

/// The bridge's protocol version this page speaks.
const PROTOCOL_VERSION: u64 = 1;

/// This page's origin (`scheme://host[:port]`), as the bridge compares it.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

/// Asks the bridge on `host:port` whether it runs and accepts this page.
pub async fn say_hello(host: &str, port: u16) -> Result<(), BridgeError> {
    let window = web_sys::window().ok_or(BridgeError::NotRunning { port })?;
    let url = format!("http://{host}:{port}/hello");
    let response = match JsFuture::from(window.fetch_with_str(&url)).await {
        Ok(response) => response,
        Err(_) if local_network_declined().await => return Err(BridgeError::LocalNetworkDeclined),
        Err(_) => return Err(BridgeError::NotRunning { port }),
    };
    let not_a_bridge = BridgeError::NotABridge { port };
    let response: Response = response.dyn_into().map_err(|_| not_a_bridge.clone())?;
    if response.status() != 200 {
        return Err(not_a_bridge);
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let hello = text
        .and_then(|text| json::parse(&text).ok())
        .ok_or(not_a_bridge.clone())?;
    if hello.get("kiln_bridge").and_then(Json::as_u64) != Some(PROTOCOL_VERSION) {
        return Err(not_a_bridge);
    }
    match hello.get("origin_allowed").and_then(Json::as_bool) {
        Some(true) => Ok(()),
        Some(false) => {
            let origin = page_origin();
            let command = super::start_command(&origin, port);
            Err(BridgeError::OriginNotAllowed { origin, command })
        }
        None => Err(not_a_bridge),
    }
}

/// Chromium asks before a page reaches this computer's local services (Local Network Access).
/// True when the user (or a policy) said no. The permission's name changed between versions:
/// every name this browser knows is asked; one it does not know is skipped.
async fn local_network_declined() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(permissions) = window.navigator().permissions() else {
        return false;
    };
    for name in ["local-network-access", "loopback-network", "local-network"] {
        let descriptor = js_sys::Object::new();
        if js_sys::Reflect::set(&descriptor, &"name".into(), &JsValue::from_str(name)).is_err() {
            continue;
        }
        let Ok(query) = permissions.query(&descriptor) else {
            continue;
        };
        let Ok(status) = JsFuture::from(query).await else {
            continue; // a name this browser does not know
        };
        let status: PermissionStatus = status.unchecked_into();
        if status.state() == PermissionState::Denied {
            return true;
        }
    }
    false
}
