// Issue #7, "updates cleanly when a new build is deployed (no stale mix of old JS and new
// WebAssembly)". A second build is deployed at the same origin while Kiln is open: the page keeps
// running the version it loaded, consistently (its scripts, WebAssembly, styles and even files it
// fetches later all come from the old build), and offers "A new version of Kiln is ready". Only
// "Reload now" switches, and then everything is the new build and the old cache is gone.
//
// The second build comes from tests/e2e/lib/next-build.mjs (new names, sw.js regenerated).
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DIST_DIR, launchChromium, watchPageProblems } from './lib/harness.mjs';
import { startDeployServer } from './lib/deploy-server.mjs';
import { cacheNames, openKiln, waitForServiceWorkerControl } from './lib/app-session.mjs';
import { describeBuild, makeNextBuild, runningBuild } from './lib/next-build.mjs';
import { byTestId, waitForScreen } from './lib/wizard-driver.mjs';

let browser;
let current;
let next;
before(async () => {
  browser = await launchChromium();
  current = await describeBuild(DIST_DIR);
  next = await makeNextBuild(DIST_DIR);
  assert.notEqual(next.version, current.version, 'post-build gave the next build a new service worker version');
});
after(async () => {
  await browser?.close();
  if (next) await rm(next.dir, { recursive: true, force: true });
});

/**
 * Loads the current build, deploys the next one at the same origin, reloads, and checks the
 * whole update.
 */
async function checkUpdate(t) {
  const site = await startDeployServer({ root: current.dir });
  t.after(() => site.close());
  const { page, problems } = await openKiln(t, browser, site.url);
  await waitForScreen(page, 'secret', 30_000);
  await waitForServiceWorkerControl(page);
  assert.deepEqual(await cacheNames(page), [`kiln-${current.version}`]);

  site.deploy(next.dir);
  await page.reload();
  await waitForScreen(page, 'secret', 30_000);
  const banner = page.getByText('A new version of Kiln is ready');
  await banner.waitFor({ timeout: 30_000 });

  // Still the old version, all of it, until the user says so.
  assert.deepEqual(await runningBuild(page), { boot: current.boot, js: [current.js], wasm: [current.wasm], marker: '' });
  assert.ok(current.qrLoader, 'the build names its QR worker start script');
  assert.notEqual(next.qrLoader, current.qrLoader, 'the next build has a new QR worker start script');
  const later = await page.evaluate((name) => fetch(`./${name}`).then((r) => r.text()), current.qrLoader);
  assert.equal(later, current.qrLoaderText, 'a file fetched later still comes from the running build');
  const waiting = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { waiting: registration?.waiting?.state ?? null, active: registration?.active?.scriptURL ?? null };
  });
  assert.equal(waiting.waiting, 'installed', 'the new version waits');
  assert.deepEqual((await cacheNames(page)).sort(), [`kiln-${current.version}`, `kiln-${next.version}`].sort());

  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), page.getByRole('button', { name: 'Reload now' }).click()]);
  await waitForScreen(page, 'secret', 30_000);
  assert.deepEqual(await runningBuild(page), { boot: next.boot, js: [next.js], wasm: [next.wasm], marker: 'next' });
  assert.equal(await banner.count(), 0, 'no banner after the switch');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // The old cache goes once no page runs the old version (the reloaded page's requests prune it).
  await page.waitForFunction((name) => caches.keys().then((keys) => keys.join() === name), `kiln-${next.version}`, { timeout: 10_000 });
  assert.equal(await page.evaluate((name) => fetch(`./${name}`).then((r) => r.text()), next.qrLoader), next.qrLoaderText);
  // The new version works: the first step accepts a secret.
  await byTestId(page, 'secret-text').fill('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  await byTestId(page, 'secret-submit').click();
  await waitForScreen(page, 'review');
  problems.assertNone();
}

test('a deployed update waits behind "A new version of Kiln is ready": the page keeps running the old build until Reload now, then only the new build and its cache remain', async (t) => {
  await checkUpdate(t);
});

test('with two Kiln tabs open, the tab that did not click Reload now still offers it and its reload gets the new build', async (t) => {
  const site = await startDeployServer({ root: current.dir });
  t.after(() => site.close());
  const first = await openKiln(t, browser, site.url);
  await waitForScreen(first.page, 'secret', 30_000);
  await waitForServiceWorkerControl(first.page);
  const second = await first.context.newPage();
  const secondProblems = watchPageProblems(second);
  await second.goto(site.url);
  await waitForScreen(second, 'secret', 30_000);

  site.deploy(next.dir);
  await first.page.reload();
  for (const page of [first.page, second]) {
    await page.getByText('A new version of Kiln is ready').waitFor({ timeout: 30_000 });
  }
  await Promise.all([first.page.waitForEvent('load'), first.page.getByRole('button', { name: 'Reload now' }).click()]);
  await waitForScreen(first.page, 'secret', 30_000);
  assert.equal((await runningBuild(first.page)).boot, next.boot);

  // The other tab was not reloaded under the user's feet: same old build, banner still there.
  assert.deepEqual(await runningBuild(second), { boot: current.boot, js: [current.js], wasm: [current.wasm], marker: '' });
  await second.getByText('A new version of Kiln is ready').waitFor();
  await Promise.all([second.waitForEvent('load'), second.getByRole('button', { name: 'Reload now' }).click()]);
  await waitForScreen(second, 'secret', 30_000);
  assert.deepEqual(await runningBuild(second), { boot: next.boot, js: [next.js], wasm: [next.wasm], marker: 'next' });
  await second.waitForFunction((name) => caches.keys().then((keys) => keys.join() === name), `kiln-${next.version}`, { timeout: 10_000 });
  first.problems.assertNone('the first tab');
  secondProblems.assertNone('the second tab');
});
