// Where the interactive time goes (issue #19): the phases of one load, from navigation start,
// in headless Chromium against a local server, cold cache, the same way bench/load.mjs loads
// (bench/load-page.mjs).
//
//   the JS module and the main wasm downloaded (Resource Timing),
//   the module evaluated: the start code calls wasm-bindgen's init (compile, instantiate),
//   the app's `main` starts (wasm-bindgen calls `__wbindgen_start` once instantiated),
//   interactive: the secret box is in the page (bench/load.mjs's mark).
//
// The two middle marks need a copy of dist/ under bench/out/load-phases with one
// `performance.now()` written into the bundle before each of those two calls; nothing else
// changes, and dist/ itself is left alone. Each figure is the median of RUNS loads.
// Usage: (cd tests/e2e && node ../../bench/load-phases.mjs [dist] [runs])  → prints JSON
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from '../tests/e2e/lib/harness.mjs';
import { startStaticServer } from '../tests/e2e/lib/static-server.mjs';
import { loadOnce } from './load-page.mjs';

const dist = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;
const runs = Number(process.argv[3] ?? 15);
const copy = new URL('./out/load-phases', import.meta.url).pathname;

await rm(copy, { recursive: true, force: true });
await cp(dist, copy, { recursive: true });
const bundleName = (await readdir(copy)).find((f) => /^kiln-web-[0-9a-f]+\.js$/.test(f));
if (!bundleName) throw new Error(`load-phases: no kiln-web-<hash>.js in ${dist}`);
let bundle = await readFile(join(copy, bundleName), 'utf8');
/**
 * Records `window.<mark> = performance.now()` just before the one call that `pattern` matches,
 * by turning the callee `f` (group 2) into `(window.<mark> = performance.now(), f)`: the same
 * call, valid wherever the call stands.
 */
function markBefore(pattern, mark) {
  const found = bundle.match(new RegExp(pattern.source, 'g')) ?? [];
  if (found.length !== 1) throw new Error(`load-phases: ${found.length} matches of ${pattern} in ${bundleName}`);
  bundle = bundle.replace(pattern, (_, before, callee, after) => `${before}(window.${mark}=performance.now(),${callee})${after}`);
}
// The start code (scripts/split-wasm.mjs): `… = await init({ module_or_path: … })`.
markBefore(/(await )([\w$]+)(\(\{\s*module_or_path:)/, '__kilnInit');
// wasm-bindgen's finalize step: `exports.__wbindgen_start()` runs the app's main.
markBefore(/()([\w$]+)(\.__wbindgen_start\(\))/, '__kilnMain');
await writeFile(join(copy, bundleName), bundle);

const server = await startStaticServer({ root: copy });
const browser = await launchChromium();

const once = (throttle) =>
  loadOnce(browser, server.url, throttle, () => {
    const end = (pattern) => performance.getEntriesByType('resource').find((e) => pattern.test(e.name))?.responseEnd;
    return {
      js_downloaded: end(/\/kiln-web-[0-9a-f]+\.js$/),
      wasm_downloaded: end(/\/kiln-web-[0-9a-f]+_bg\.wasm$/),
      module_evaluated: window.__kilnInit,
      main_started: window.__kilnMain,
      interactive: window.__kilnInteractive,
    };
  });

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return +s[s.length >> 1].toFixed(1);
};
const result = {};
for (const throttle of [1, 4]) {
  await once(throttle); // warm the server and the browser process
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once(throttle));
  const at = Object.fromEntries(Object.keys(samples[0]).map((k) => [k, median(samples.map((s) => s[k]))]));
  result[`cpu_x${throttle}`] = {
    runs,
    median_ms_from_navigation_start: at,
    median_ms_between: {
      init_compile_and_instantiate: median(samples.map((s) => s.main_started - s.module_evaluated)),
      main_to_interactive: median(samples.map((s) => s.interactive - s.main_started)),
    },
  };
}
await browser.close();
await server.close();
console.log(JSON.stringify(result, null, 2));
