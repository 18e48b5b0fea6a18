// Issue #19: the first load stays small, and what only later screens need loads when they open.
//
// * Everything the page fetches until the wizard is usable (the Secret step takes input) adds up
//   to at most FIRST_LOAD_BUDGET bytes gzip -9, measured on the files of dist/ the browser
//   actually requested, and none of them is an on-demand chunk (kiln-split-*.wasm,
//   scripts/split-wasm.mjs).
// * Opening Batch, the tools and the steps after Secret fetches their chunks then, and the
//   screens work.
// * Offline (service worker in control, network off, server gone) those chunks come from the
//   precache and the screens still open.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { DIST_DIR, launchChromium } from './lib/harness.mjs';
import { startDeployServer } from './lib/deploy-server.mjs';
import { openKiln, waitForServiceWorkerControl } from './lib/app-session.mjs';
import { byTestId, submitSecretText, waitForScreen } from './lib/wizard-driver.mjs';

/** Issue #19's budget for the first load: 200 KB gzip. */
const FIRST_LOAD_BUDGET = 200 * 1000;
const CHUNK = /^kiln-split-.+-[0-9a-f]{16}\.wasm$/;

let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** The dist file a request's URL names (`/` is index.html). */
const fileOf = (url) => {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? 'index.html' : path;
};
const gzipSize = async (file) => gzipSync(await readFile(join(DIST_DIR, file)), { level: 9 }).length;

/** Records the dist files `page` requests; `since(mark)` lists those after a mark. */
function recordFiles(page) {
  const files = [];
  page.on('request', (request) => files.push(fileOf(request.url())));
  return { files, mark: () => files.length, since: (mark) => files.slice(mark) };
}

/** Opens `screen` with its header button and waits for its heading. */
async function openTool(page, buttonTestId, screen, heading) {
  await byTestId(page, buttonTestId).click();
  await waitForScreen(page, screen);
  await page.locator('#step-title', { hasText: heading }).waitFor({ timeout: 15_000 });
}

test('the first load until the wizard takes input is at most 200 KB gzip and holds no on-demand chunk', async (t) => {
  const site = await startDeployServer({ root: DIST_DIR });
  t.after(() => site.close());
  let requests;
  const { page, problems } = await openKiln(t, browser, site.url, {
    onContext: (context) => {
      // Registered before the page opens, so the very first request is recorded too.
      requests = [];
      context.on('request', (request) => {
        if (!request.serviceWorker()) requests.push(fileOf(request.url()));
      });
    },
  });
  await waitForScreen(page, 'secret', 30_000);
  await byTestId(page, 'secret-text').fill('JBSWY3DPEHPK3PXP');
  const firstLoad = [...new Set(requests)].filter((f) => f !== 'sw.js');
  assert.ok(firstLoad.includes('index.html') && firstLoad.some((f) => /^kiln-web-[0-9a-f]+_bg\.wasm$/.test(f)), `fetched: ${firstLoad}`);
  assert.deepEqual(firstLoad.filter((f) => CHUNK.test(f)), [], 'no on-demand chunk in the first load');
  const sizes = await Promise.all(firstLoad.map(async (f) => [f, await gzipSize(f)]));
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  t.diagnostic(`first load ${total} B gzip: ${sizes.map(([f, s]) => `${f} ${s}`).join(', ')}`);
  assert.ok(total <= FIRST_LOAD_BUDGET, `first load ${total} B gzip > ${FIRST_LOAD_BUDGET} B`);
  problems.assertNone();
});

test('Batch, Identify, Set clock and Review fetch their chunks when opened, and work', async (t) => {
  const site = await startDeployServer({ root: DIST_DIR });
  t.after(() => site.close());
  const { page, problems } = await openKiln(t, browser, site.url);
  const record = recordFiles(page);
  await waitForScreen(page, 'secret', 30_000);
  assert.deepEqual(record.files.filter((f) => CHUNK.test(f)), [], 'no chunk before a screen needs it');

  let mark = record.mark();
  await openTool(page, 'tool-batch', 'batch', 'Burn a batch of tokens');
  assert.ok(record.since(mark).some((f) => /^kiln-split-batch-/.test(f)), `Batch's chunk fetched on opening: ${record.since(mark)}`);
  // The screen is live: its settings react (a seed-list source shows its file field).
  await page.getByText('A list of seeds from a file').click();
  await page.locator('input[type="file"]').first().waitFor({ state: 'attached' });

  mark = record.mark();
  await openTool(page, 'tool-identify', 'identify-tool', 'Identify a token');
  await openTool(page, 'tool-time-sync', 'time-sync-tool', 'Set a token’s clock');
  assert.ok(record.since(mark).some((f) => /^kiln-split-tools-/.test(f)), `the tools' chunk fetched: ${record.since(mark)}`);

  // Back to the wizard: Review comes from its chunk with the account typed in.
  mark = record.mark();
  await page.getByRole('button', { name: 'Burn', exact: true }).click();
  await waitForScreen(page, 'secret');
  await submitSecretText(page, 'otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example');
  await byTestId(page, 'account-issuer').waitFor();
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Example');
  assert.ok(record.since(mark).some((f) => /^kiln-split-account-/.test(f)), `Review's chunk fetched: ${record.since(mark)}`);
  problems.assertNone();
});

test('offline, with the service worker in control, the on-demand screens open from the precache', async (t) => {
  const site = await startDeployServer({ root: DIST_DIR });
  let siteOpen = true;
  t.after(() => siteOpen && site.close());
  const failed = [];
  const { context, page, problems } = await openKiln(t, browser, site.url, {
    onContext: (ctx) => ctx.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`)),
  });
  await waitForScreen(page, 'secret', 30_000);
  await waitForServiceWorkerControl(page);
  const record = recordFiles(page);
  await context.setOffline(true);
  await site.close();
  siteOpen = false;
  const before = site.log.length;

  await openTool(page, 'tool-batch', 'batch', 'Burn a batch of tokens');
  await openTool(page, 'tool-identify', 'identify-tool', 'Identify a token');
  await openTool(page, 'tool-time-sync', 'time-sync-tool', 'Set a token’s clock');
  assert.ok(record.files.some((f) => /^kiln-split-batch-/.test(f)) && record.files.some((f) => /^kiln-split-tools-/.test(f)),
    `the chunks were asked for: ${record.files}`);
  assert.equal(site.log.length, before, 'nothing reached the server');
  assert.deepEqual(failed, [], 'requests that needed the network');
  problems.assertNone();
});
