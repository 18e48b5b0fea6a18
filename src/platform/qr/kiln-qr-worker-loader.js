// Starts Kiln's QR worker (src/bin/qr_worker.rs; the page creates it on the first decode, see
// src/platform/qr/client.rs). If the wasm cannot be loaded the page is told at once instead of
// waiting for its timeout. Plain script: workers built by trunk use wasm-bindgen's no-modules glue.
importScripts('./kiln-qr-worker.js');
wasm_bindgen({ module_or_path: './kiln-qr-worker_bg.wasm' }).catch(() => {
  self.postMessage({ failed: true });
});
