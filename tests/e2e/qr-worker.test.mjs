// The QR worker's life in real Chromium: not part of the first load, started by the first
// decode, replaced after a crash or a failed start, and let go when idle.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST_DIR, REPO_ROOT, startHarness, watchPageProblems } from './lib/harness.mjs';
import { MIME_TYPES } from './lib/static-server.mjs';
import { byTestId, qrDecodeOutcome, waitForScreen } from './lib/wizard-driver.mjs';

const M365_PNG = join(REPO_ROOT, 'tests/fixtures/qr/m365.png');
/** The worker's files in dist/: start script, glue and wasm, content-hashed by post-build.mjs. */
const WORKER = {};
let WORKER_FILES = [];
const isWorkerFile = (url) => WORKER_FILES.includes(new URL(url).pathname.split('/').pop());

/**
 * A minimal wasm module whose export `f` executes `unreachable`: the same trap a Rust panic
 * becomes with panic = "abort". (type () -> (), one function, exported as "f", body: unreachable.)
 */
const TRAP_WASM = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: func () -> ()
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export section: "f" = function 0
  0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // code: no locals, unreachable, end
];
/** A worker that starts like Kiln's and traps in wasm on its first job. */
const CRASHING_WORKER = `
  const trap = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(TRAP_WASM)})));
  self.onmessage = () => trap.exports.f();
  self.postMessage({ ready: true });
`;

let h;
before(async () => {
  const files = await readdir(DIST_DIR);
  const only = (re) => {
    const found = files.filter((f) => re.test(f));
    assert.equal(found.length, 1, `dist/ has one file matching ${re}: ${found}`);
    return found[0];
  };
  WORKER.loader = only(/^kiln-qr-worker-loader-[0-9a-f]{16}\.js$/);
  WORKER.glue = only(/^kiln-qr-worker-[0-9a-f]{16}\.js$/);
  WORKER.wasm = only(/^kiln-qr-worker-[0-9a-f]{16}_bg\.wasm$/);
  WORKER_FILES = Object.values(WORKER);
  h = await startHarness();
});
after(() => h?.close());

/** Opens the app recording every request the page and its workers make. */
async function openRecording() {
  const requests = [];
  const opened = await h.openApp('', {
    beforeLoad: async (page) => {
      page.on('request', (request) => requests.push(request.url()));
    },
  });
  await waitForScreen(opened.page, 'secret');
  return { ...opened, requests };
}

/**
 * Serves dist/ like the harness, except that the first requests for some files get a faulty
 * answer (`faults`: file name → list of {status, type, body}, used up in order), and sw.js is
 * a service worker without a fetch handler: the app's own would answer from its cache, and
 * Playwright cannot route requests a service worker answers. Returns the hit counts per file.
 */
async function startFaultyServer(faults) {
  const hits = {};
  const server = createServer(async (req, res) => {
    const file = new URL(req.url, 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    hits[file] = (hits[file] ?? 0) + 1;
    const fault = faults[file]?.shift();
    if (file === 'sw.js') {
      res.writeHead(200, { 'content-type': MIME_TYPES['.js'] });
      res.end('// no fetch handler: every request goes to the network\n');
    } else if (fault) {
      res.writeHead(fault.status ?? 200, { 'content-type': fault.type ?? MIME_TYPES['.js'] });
      res.end(fault.body);
    } else {
      const body = file.includes('..') ? null : await readFile(join(DIST_DIR, file)).catch(() => null);
      res.writeHead(body ? 200 : 404, {
        'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body ?? 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${server.address().port}/`, hits };
}
const servers = [];
after(() => servers.forEach((server) => server.closeAllConnections?.() ?? server.close()));

/** Opens the app from `url` in a fresh context, with problems watched from the start. */
async function openAt(url, { ignore } = {}) {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  const problems = watchPageProblems(page, { ignore });
  await page.goto(url);
  await waitForScreen(page, 'secret');
  return { page, problems };
}

/** Uploads the Microsoft 365 fixture; returns 'review' or the error shown on step 1. */
async function uploadM365(page) {
  await byTestId(page, 'qr-file').setInputFiles(M365_PNG);
  const outcome = await qrDecodeOutcome(page, 40_000);
  if (outcome === 'review') assert.equal(await byTestId(page, 'account-issuer').innerText(), 'Microsoft');
  return outcome;
}

/** Back from the review to step 1. */
async function backToSecret(page) {
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await waitForScreen(page, 'secret');
}

test('the first load does not fetch the QR worker; the first decode fetches its loader, glue and wasm', async (t) => {
  const { page, problems, requests } = await openRecording();
  // The wizard is interactive: the file input and the text box are there.
  await byTestId(page, 'qr-file').waitFor({ state: 'attached' });
  await byTestId(page, 'secret-text').waitFor();
  await page.waitForLoadState('networkidle');
  const firstLoad = requests.map((url) => new URL(url).pathname.split('/').pop());
  t.diagnostic(`first load: ${firstLoad.join(', ')}`);
  assert.deepEqual(requests.filter(isWorkerFile), [], 'the worker must not be part of the first load');
  assert.ok(firstLoad.some((file) => file.endsWith('_bg.wasm')), 'the app wasm itself was fetched');

  assert.equal(await uploadM365(page), 'review');
  const fetched = requests.filter(isWorkerFile).map((url) => new URL(url).pathname.split('/').pop());
  assert.deepEqual([...new Set(fetched)].sort(), [...WORKER_FILES].sort());
  problems.assertNone();
});

test('a worker that traps on a job becomes a plain error, and the next decode starts a fresh worker that works', async () => {
  const server = await startFaultyServer({ [WORKER.loader]: [{ body: CRASHING_WORKER }] });
  const { page, problems } = await openAt(server.url);
  const first = await uploadM365(page);
  assert.match(first, /Kiln['’]s QR reader stopped unexpectedly\. Try again/);
  assert.equal(await uploadM365(page), 'review', 'the second decode should use a fresh worker');
  assert.equal(server.hits[WORKER.loader], 2, 'a new worker was started after the crash');
  problems.assertNone();
});

test('a worker whose wasm cannot be loaded fails at once with a plain error; the next decode retries', async () => {
  const server = await startFaultyServer({
    [WORKER.wasm]: [{ status: 404, type: 'text/plain', body: 'not found' }],
  });
  // The deliberate 404 is the point of this test.
  const { page, problems } = await openAt(server.url, { ignore: [/kiln-qr-worker-[0-9a-f]+_bg\.wasm/] });
  const started = Date.now();
  assert.match(await uploadM365(page), /Kiln['’]s QR reader stopped unexpectedly/);
  assert.ok(Date.now() - started < 20_000, 'reported without waiting for the 30 s start timeout');
  assert.equal(await uploadM365(page), 'review');
  assert.equal(server.hits[WORKER.wasm], 2);
  problems.assertNone();
});

test('an idle worker is let go after 10 s (its memory with it); the next decode starts a new one', async () => {
  const { page, problems, requests } = await openRecording();
  assert.equal(await uploadM365(page), 'review');
  const loaders = () => requests.filter((url) => url.endsWith(`/${WORKER.loader}`)).length;
  assert.equal(loaders(), 1);
  await backToSecret(page);
  await page.waitForTimeout(11_000);
  assert.equal(await uploadM365(page), 'review');
  assert.equal(loaders(), 2, 'the idle worker was terminated, so a new one was started');
  problems.assertNone();
});
