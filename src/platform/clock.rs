//! This device's clock. `SystemTime` does not exist on wasm32, so time comes from `Date.now()`.

/// Milliseconds since 1970 (UTC).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whole seconds since 1970 (UTC).
pub fn now_unix() -> u64 {
    (now_ms() / 1000.0).max(0.0) as u64
}
