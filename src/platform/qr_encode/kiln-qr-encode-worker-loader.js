// Starts Kiln's QR encoding worker (src/bin/qr_encode_worker.rs; the page creates it each time
// the user asks to see the account as a QR code, see src/platform/qr_encode/client.rs). If the
// wasm cannot be loaded the page is told at once instead of waiting for its timeout. Plain
// script: workers built by trunk use wasm-bindgen's no-modules glue.
importScripts('./kiln-qr-encode-worker.js');
wasm_bindgen({ module_or_path: './kiln-qr-encode-worker_bg.wasm' }).catch(() => {
  self.postMessage({ failed: true });
});
