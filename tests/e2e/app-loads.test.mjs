// The release build in dist/ loads in real Chromium, the WASM starts and renders the app, and
// the browser reports nothing wrong along the way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness } from './lib/harness.mjs';

let h;
before(async () => {
  h = await startHarness();
});
after(() => h?.close());

test('the served index.html is an empty shell, so any visible app content comes from the wasm', async () => {
  const html = await (await fetch(h.url)).text();
  assert.match(html, /_bg\.wasm/, 'trunk should reference the wasm module from index.html');
  assert.doesNotMatch(html, /<main|<header|<h[1-6]/i, 'index.html must not contain app markup itself');
});

test('the wasm module is served as application/wasm and renders the app (banner, main and a step title) without browser errors', async (t) => {
  const wasmResponses = [];
  const { page, problems } = await h.openApp('', {
    beforeLoad: async (p) => {
      p.on('response', (res) => {
        if (new URL(res.url()).pathname.endsWith('.wasm')) wasmResponses.push(res);
      });
    },
  });

  // index.html has neither a <header> nor a <main> (checked above): the wasm rendered these.
  const main = page.locator('main');
  await main.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await page.getByRole('banner').innerText(), /Kiln/);
  const mainHeading = main.getByRole('heading').first();
  assert.notEqual((await mainHeading.innerText()).trim(), '', 'the current step should have a title');

  // The app's module once; the chunks of what comes next may follow (src/on_demand.rs).
  const app = wasmResponses.filter((res) => /\/kiln-web-[0-9a-f]+_bg\.wasm$/.test(new URL(res.url()).pathname));
  assert.equal(app.length, 1, 'the app’s wasm module should be fetched exactly once');
  for (const res of wasmResponses) {
    assert.equal(res.status(), 200, res.url());
    assert.equal(res.headers()['content-type'], 'application/wasm', res.url());
  }

  // 127.0.0.1 is a secure context: WebUSB and the camera need one.
  assert.equal(await page.evaluate(() => window.isSecureContext), true);

  const shot = await h.screenshot(page, 'app-loads');
  t.diagnostic(`screenshot: ${shot}`);
  problems.assertNone('the app page');
});
