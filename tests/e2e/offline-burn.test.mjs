// Issue #7, "offline by construction": after one visit Kiln is installable and works with no
// network at all. The first load lets the service worker precache the build; then the browser
// goes offline and the server is shut down, the page is reloaded, and a complete burn + verify +
// start over runs against the simulated reader. Any request the page or the worker still tried
// would fail and be reported, so "no problems" means nothing needed the network.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { after, before, test } from 'node:test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, DIST_DIR, REPO_ROOT, launchChromium, watchPageProblems } from './lib/harness.mjs';
import { startDeployServer } from './lib/deploy-server.mjs';
import { openKiln, waitForServiceWorkerControl } from './lib/app-session.mjs';
import { burnAndVerify, randomAccount, startOver } from './lib/burn-flow.mjs';
import { byTestId, waitForScreen } from './lib/wizard-driver.mjs';

let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test('after the first visit a reload with the network off and the server gone runs a whole burn and verify', async (t) => {
  const site = await startDeployServer({ root: DIST_DIR });
  let siteOpen = true;
  t.after(() => siteOpen && site.close());
  const failed = [];
  const { context, page, problems, sim } = await openKiln(t, browser, site.url, {
    onContext: (ctx) => ctx.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`)),
  });
  await waitForScreen(page, 'secret', 30_000);
  await waitForServiceWorkerControl(page);

  await context.setOffline(true);
  await site.close();
  siteOpen = false;
  await page.reload();
  await waitForScreen(page, 'secret', 30_000);
  assert.equal(await page.evaluate(() => navigator.onLine), false, 'the browser is offline');
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'served by the service worker');

  await burnAndVerify(page, sim, randomAccount());
  await startOver(page);
  // The QR worker (started on the first decode) comes from the precache too.
  await byTestId(page, 'qr-file').setInputFiles(join(REPO_ROOT, 'tests/fixtures/qr/github.png'));
  await waitForScreen(page, 'review', 30_000);
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'GitHub');
  assert.deepEqual(failed, [], 'requests that needed the network');
  problems.assertNone();
});

test('the web app manifest makes Kiln installable: Chromium reports no installability errors', async (t) => {
  const site = await startDeployServer({ root: DIST_DIR });
  t.after(() => site.close());
  // A normal (not incognito) profile: Chromium never offers installation in incognito contexts.
  const profile = await mkdtemp(join(tmpdir(), 'kiln-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: !process.env.HEADED,
    args: CHROMIUM_ARGS,
  });
  t.after(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watchPageProblems(page);
  await page.goto(site.url);
  await waitForScreen(page, 'secret', 30_000);
  await waitForServiceWorkerControl(page);
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'manifest parse errors');
  assert.equal(new URL(manifest.url).pathname, '/assets/manifest.webmanifest');
  const parsed = JSON.parse(manifest.data);
  assert.equal(parsed.display, 'standalone');
  assert.equal(new URL(parsed.start_url, manifest.url).href, site.url, 'starts at the app, which the worker serves offline');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'Chromium would not offer to install Kiln');
  problems.assertNone();
});
