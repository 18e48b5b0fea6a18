// Issue #13, "a page must never run a mix of two deployed versions". The service worker installs a
// version only when every one of its files was fetched and matches the SHA-256 that
// scripts/post-build.mjs wrote into sw.js:
// - a new build copied over the live folder one file at a time (a non-atomic deployment) is not
//   installed while any file is missing or still old; the open tab keeps running the old version
//   whole; once the copy is complete the new version installs and waits for "Reload now";
// - after another tab switched to the new version, the old tab still decodes a QR code with its
//   own QR worker (from the old version's cache: the server no longer has it), then reloads
//   cleanly into the new version, and the old cache is deleted;
// - a file whose bytes were changed under the same name is refused, the version is not installed.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST_DIR, REPO_ROOT, launchChromium, watchPageProblems } from './lib/harness.mjs';
import { startDeployServer } from './lib/deploy-server.mjs';
import { cacheNames, openKiln, waitForServiceWorkerControl } from './lib/app-session.mjs';
import { MANIFEST, describeBuild, makeNextBuild, runningBuild } from './lib/next-build.mjs';
import { byTestId, waitForScreen } from './lib/wizard-driver.mjs';

const GITHUB_QR = join(REPO_ROOT, 'tests/fixtures/qr/github.png');
const BANNER = 'A new version of Kiln is ready';

let browser;
let current;
let next;
const temps = [];
before(async () => {
  browser = await launchChromium();
  current = await describeBuild(DIST_DIR);
  next = await makeNextBuild(DIST_DIR);
  temps.push(next.dir);
  assert.notEqual(next.version, current.version);
  assert.ok(current.qrLoader && next.qrLoader && current.qrLoader !== next.qrLoader, 'each build has its own QR worker start script');
  assert.notEqual(next.manifestText, current.manifestText);
});
after(async () => {
  await browser?.close();
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** A writable copy of `dir` (the live folder of a server). */
async function copyOf(dir) {
  const copy = await mkdtemp(join(tmpdir(), 'kiln-live-'));
  temps.push(copy);
  await cp(dir, copy, { recursive: true });
  return copy;
}

/** Every file under `root`, as relative paths. */
async function filesUnder(root, at = root) {
  const out = [];
  for (const entry of await readdir(at, { withFileTypes: true })) {
    const path = join(at, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(root, path)));
    else out.push(relative(root, path).split(sep).join('/'));
  }
  return out.sort();
}

/**
 * Asks the browser to look for an update now and waits until a new worker found by it has
 * finished installing (or failed). Returns whether a version is waiting and the cache names.
 */
const updateCheck = (page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration.update().catch(() => {});
    const installing = registration.installing;
    if (installing) {
      await new Promise((resolve) => {
        const settled = () => installing.state !== 'installing';
        if (settled()) resolve();
        installing.addEventListener('statechange', () => settled() && resolve());
      });
    }
    return { waiting: registration.waiting !== null, caches: (await caches.keys()).sort() };
  });

/** Reloads `page` and checks that it runs `build`, whole. */
async function reloadAndCheck(page, build, marker, what) {
  await page.reload();
  await waitForScreen(page, 'secret', 30_000);
  assert.deepEqual(await runningBuild(page), { boot: build.boot, js: [build.js], wasm: [build.wasm], marker }, what);
}

const cacheOf = (build) => `kiln-${build.version}`;

test('a new build copied over the live folder file by file is installed only once complete; meanwhile the tab runs the old version whole', async (t) => {
  const live = await copyOf(current.dir);
  const site = await startDeployServer({ root: live });
  t.after(() => site.close());
  const { page, problems, context } = await openKiln(t, browser, site.url);
  await waitForScreen(page, 'secret', 30_000);
  await waitForServiceWorkerControl(page);
  assert.deepEqual(await cacheNames(page), [cacheOf(current)]);

  // The worst order: the new sw.js (the new file list) first, the new page last, the old
  // version's files removed at the end.
  const nextFiles = await filesUnder(next.dir);
  const obsolete = (await filesUnder(live)).filter((f) => !nextFiles.includes(f));
  assert.ok(obsolete.includes(current.qrLoader), 'the old QR worker start script goes away');
  const copies = ['sw.js', ...nextFiles.filter((f) => f !== 'sw.js' && f !== 'index.html'), 'index.html'];
  const steps = [...copies.map((f) => ({ copy: f })), ...obsolete.map((f) => ({ remove: f }))];
  let complete = false;
  let checks = 0;
  for (const step of steps) {
    if (step.copy) {
      await writeFile(join(live, step.copy), await readFile(join(next.dir, step.copy)));
      complete = step.copy === 'index.html';
    } else {
      await rm(join(live, step.remove));
    }
    const what = `after ${step.copy ? `copying ${step.copy}` : `removing ${step.remove}`}`;
    if (!complete) {
      await reloadAndCheck(page, current, '', `${what}: the tab runs the old version`);
      const state = await updateCheck(page);
      checks += 1;
      assert.deepEqual(state, { waiting: false, caches: [cacheOf(current)] }, `${what}: nothing of the incomplete version is installed`);
      assert.equal(await page.getByText(BANNER).count(), 0, `${what}: no update is offered`);
    } else {
      const state = await updateCheck(page);
      assert.deepEqual(state, { waiting: true, caches: [cacheOf(current), cacheOf(next)].sort() }, `${what}: the complete version is installed`);
      await reloadAndCheck(page, current, '', `${what}: the tab still runs the old version`);
      await page.getByText(BANNER).waitFor({ timeout: 30_000 });
    }
  }
  t.diagnostic(`${checks} update checks with an incomplete deployment, none installed it`);
  assert.ok(checks >= 10, 'the deployment was checked at every step');

  // A second tab switches to the new version ...
  const other = await context.newPage();
  const otherProblems = watchPageProblems(other);
  await other.goto(site.url);
  await waitForScreen(other, 'secret', 30_000);
  await other.getByText(BANNER).waitFor({ timeout: 30_000 });
  await Promise.all([other.waitForEvent('load', { timeout: 30_000 }), other.getByRole('button', { name: 'Reload now' }).click()]);
  await waitForScreen(other, 'secret', 30_000);
  assert.deepEqual(await runningBuild(other), { boot: next.boot, js: [next.js], wasm: [next.wasm], marker: 'next' });

  // ... while the first keeps running the old one, and its QR worker (which the server no
  // longer has) comes from the old version's cache.
  const fromServer = site.log.length;
  const workerScripts = [];
  page.on('request', (request) => /kiln-qr-worker-loader-/.test(request.url()) && workerScripts.push(new URL(request.url()).pathname.slice(1)));
  await byTestId(page, 'qr-file').setInputFiles(GITHUB_QR);
  await waitForScreen(page, 'review', 30_000);
  assert.equal(await byTestId(page, 'account-issuer').innerText(), 'GitHub');
  assert.deepEqual(workerScripts, [current.qrLoader], 'the old tab started its own version of the QR worker');
  const manifest = await page.evaluate((path) => fetch(`./${path}`).then((r) => r.text()), MANIFEST);
  assert.equal(manifest, current.manifestText, 'a file changed in place still comes from the running version');
  assert.deepEqual(site.log.slice(fromServer).map((r) => r.path), [], 'nothing was fetched from the server');
  assert.deepEqual(await runningBuild(page), { boot: current.boot, js: [current.js], wasm: [current.wasm], marker: '' });
  assert.deepEqual((await cacheNames(page)).sort(), [cacheOf(current), cacheOf(next)].sort(), 'the old cache stays while a tab uses it');

  // "Reload now" in the old tab reloads it cleanly into the new version; the old cache goes.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await waitForScreen(page, 'secret');
  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), page.getByRole('button', { name: 'Reload now' }).click()]);
  await waitForScreen(page, 'secret', 30_000);
  assert.deepEqual(await runningBuild(page), { boot: next.boot, js: [next.js], wasm: [next.wasm], marker: 'next' });
  await page.waitForFunction((name) => caches.keys().then((keys) => keys.join() === name), cacheOf(next), { timeout: 10_000 });
  problems.assertNone('the first tab');
  otherProblems.assertNone('the second tab');
});

test('a file whose bytes were changed under the same name is refused: the version is not installed and the old one keeps serving', async (t) => {
  // The next build with one byte of its WebAssembly changed, sw.js untouched.
  const tampered = await copyOf(next.dir);
  const wasm = await readFile(join(tampered, next.wasm));
  wasm[wasm.length >> 1] ^= 0x01;
  await writeFile(join(tampered, next.wasm), wasm);

  const site = await startDeployServer({ root: current.dir });
  t.after(() => site.close());
  const { page, problems } = await openKiln(t, browser, site.url);
  await waitForScreen(page, 'secret', 30_000);
  await waitForServiceWorkerControl(page);

  site.deploy(tampered);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    await reloadAndCheck(page, current, '', `attempt ${attempt}: the old version keeps serving`);
    assert.deepEqual(await updateCheck(page), { waiting: false, caches: [cacheOf(current)] }, `attempt ${attempt}: refused`);
    assert.equal(await page.getByText(BANNER).count(), 0, 'no update is offered');
  }
  // The old version still works: a QR code is decoded.
  await byTestId(page, 'qr-file').setInputFiles(GITHUB_QR);
  await waitForScreen(page, 'review', 30_000);

  // The same sw.js with the right bytes installs: the refusal was the changed byte.
  site.deploy(next.dir);
  assert.deepEqual(await updateCheck(page), { waiting: true, caches: [cacheOf(current), cacheOf(next)].sort() });
  problems.assertNone();
});
