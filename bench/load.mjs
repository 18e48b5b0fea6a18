// Load time: from navigation start until the wizard is interactive (the secret box rendered by
// the WebAssembly app), in headless Chromium against a local server. Fresh browser context per
// run (cold HTTP cache, no service worker; bench/load-page.mjs). Runs N times without throttling
// and N times with Chromium's 4x CPU slowdown (DevTools protocol Emulation.setCPUThrottlingRate).
// Usage: node bench/load.mjs [dist] [runs]  → prints JSON
import { launchChromium } from '../tests/e2e/lib/harness.mjs';
import { startStaticServer } from '../tests/e2e/lib/static-server.mjs';
import { loadOnce } from './load-page.mjs';

const dist = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;
const runs = Number(process.argv[3] ?? 15);

const server = await startStaticServer({ root: dist });
const browser = await launchChromium();

const once = (throttle) => loadOnce(browser, server.url, throttle, () => window.__kilnInteractive);

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { runs: s.length, median_ms: +q(0.5).toFixed(1), p10_ms: +q(0.1).toFixed(1), p90_ms: +q(0.9).toFixed(1), min_ms: +s[0].toFixed(1), max_ms: +s[s.length - 1].toFixed(1) };
}

const result = {};
for (const throttle of [1, 4]) {
  await once(throttle); // warm the server and the browser process
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once(throttle));
  result[`cpu_x${throttle}`] = stats(samples);
}
await browser.close();
await server.close();
console.log(JSON.stringify(result, null, 2));
