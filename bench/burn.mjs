// Host-side time per burn in WebAssembly inside Chromium: builds bench/wasm-burn (kiln-core's
// Burn session against canned replies), loads it in a page and times batches with
// performance.now(). Usage: node bench/burn.mjs  → prints JSON
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from '../tests/e2e/lib/harness.mjs';
import { startStaticServer } from '../tests/e2e/lib/static-server.mjs';

const root = new URL('..', import.meta.url).pathname;
const crate = join(root, 'bench/wasm-burn');
const out = join(root, 'bench/out/wasm-burn');
const target = join(root, 'target/bench-wasm-burn');
execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--target-dir', target], { cwd: crate, stdio: 'inherit' });
await mkdir(out, { recursive: true });
execFileSync('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out,
  join(target, 'wasm32-unknown-unknown/release/kiln_bench_wasm_burn.wasm')], { stdio: 'inherit' });
await writeFile(join(out, 'index.html'), '<!doctype html><title>burn bench</title>');

const server = await startStaticServer({ root: out });
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(server.url);
const result = await page.evaluate(async () => {
  const mod = await import('./kiln_bench_wasm_burn.js');
  await mod.default();
  if (mod.burns(1) !== 5) throw new Error('a burn is not 5 APDUs');
  mod.burns(500); // warm up the JIT tiers
  const iterations = 2000;
  const samples = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const sent = mod.burns(iterations);
    const dt = performance.now() - t0;
    if (sent !== iterations * 5) throw new Error('burn failed');
    samples.push((dt * 1000) / iterations);
  }
  samples.sort((a, b) => a - b);
  return { median_us: samples[7], min_us: samples[0], max_us: samples[14], batches: 15, burns_per_batch: iterations };
});
await browser.close();
await server.close();
console.log(JSON.stringify({ wasm_chromium: result }, null, 2));
