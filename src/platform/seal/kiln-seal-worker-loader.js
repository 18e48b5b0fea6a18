// Starts Kiln's seal worker (src/bin/seal_worker.rs; the page creates it for each encrypted
// export, see src/platform/seal/client.rs). If the wasm cannot be loaded the page is told at once
// instead of waiting for its timeout. Plain script: workers built by trunk use wasm-bindgen's
// no-modules glue.
importScripts('./kiln-seal-worker.js');
wasm_bindgen({ module_or_path: './kiln-seal-worker_bg.wasm' }).catch(() => {
  self.postMessage({ failed: true });
});
