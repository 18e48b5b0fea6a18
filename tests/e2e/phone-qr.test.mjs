// Issue #15: "Show as QR code for a phone app", in real Chromium. The QR code the page draws is
// taken from the page as pixels (a screenshot of the element) and decoded twice, by ZBar's
// `zbarimg` (Debian zbar-tools, an independent decoder) and by Kiln's own decoder (`kiln inspect
// --image`); Kiln's classifier must read back the account the test typed: issuer (spaces,
// non-ASCII letters), account, SHA-1 or SHA-256, 30 or 60 s, 6 digits and the secret. The code is
// not in the DOM when masked, after the page is hidden, or once another account is picked; showing
// it fetches nothing but the encoder worker’s own files, nothing lands in storage, and once hidden
// no text copy of the secret is left in the app’s WebAssembly memory. The encoder
// (kiln-qr-encode) is in that worker's wasm only, never in the app's first load.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DIST_DIR, screenshot, startHarness } from './lib/harness.mjs';
import { openKiln } from './lib/app-session.mjs';
import { base32Encode, burnAndVerify } from './lib/burn-flow.mjs';
import { kilnInspect, run } from './lib/kiln-cli.mjs';
import { MIGRATION, migrationUri } from './lib/reference-otp.mjs';
import { findSecretInText, keepWasmMemory, wasmMemoryHits } from './lib/secret-search.mjs';
import { axeLedger, byTestId, shootBothWidths, submitSecretText, waitForScreen } from './lib/wizard-driver.mjs';

/** The encoder worker's files, content-hashed by scripts/post-build.mjs. */
const ENCODER_FILE = /\/kiln-qr-encode-worker(-loader)?-[0-9a-f]{16}(_bg\.wasm|\.js)$/;

let h;
let scratch;
before(async () => {
  h = await startHarness();
  scratch = await mkdtemp(join(tmpdir(), 'kiln-phone-qr-'));
});
after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A fresh random account with these settings, and the enrollment link that carries it. */
function accountFor({ issuer, name, algorithm, period, bytes }) {
  const seed = randomBytes(bytes);
  const base32 = base32Encode(seed);
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(name)}`;
  return {
    issuer,
    name,
    algorithm,
    period,
    seed,
    base32,
    hex: seed.toString('hex'),
    uri: `otpauth://totp/${label}?secret=${base32}&issuer=${encodeURIComponent(issuer)}&algorithm=${algorithm}&digits=6&period=${period}`,
  };
}

/** Asserts Kiln's classification (`kiln --json inspect --reveal`) is exactly `account`. */
function assertSameAccount(json, account, how) {
  assert.equal(json.kind, 'totp', `${how}: ${JSON.stringify(json)}`);
  assert.equal(json.issuer, account.issuer, `${how}: issuer`);
  assert.equal(json.account, account.name, `${how}: account`);
  assert.equal(json.algorithm, account.algorithm, `${how}: algorithm`);
  assert.equal(json.digits, 6, `${how}: digits`);
  assert.equal(json.period, account.period, `${how}: period`);
  assert.equal(json.secret_base32.replace(/\s+/g, ''), account.base32, `${how}: secret`);
}

/**
 * Takes the QR code the page shows as a PNG (Chromium's screenshot of the element), decodes it
 * with zbarimg and with Kiln's decoder, classifies both with Kiln's classifier, and checks both
 * are `account`. Returns the text zbarimg read.
 */
async function assertShownQrIs(page, account, name) {
  const png = join(scratch, `${name}.png`);
  await byTestId(page, 'phone-qr-code').screenshot({ path: png });
  const zbar = await run('zbarimg', ['--raw', '-q', png]);
  assert.equal(zbar.status, 0, `zbarimg found no QR code in ${name}: ${zbar.stderr}`);
  const text = zbar.stdout.replace(/\n$/, '');
  assert.match(text, /^otpauth:\/\/totp\//, 'an otpauth link');
  assertSameAccount(await kilnInspect({ text }), account, `${name}, zbarimg’s text`);
  assertSameAccount(await kilnInspect({ image: png }), account, `${name}, Kiln’s decoder`);
  return text;
}

/** Makes the document report `state` ('hidden' or 'visible') and fires visibilitychange. */
const setVisibility = (page, state) =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

/** True when no drawing of a QR code is anywhere in the DOM. */
const noQrInDom = (page) =>
  page.evaluate(() => !document.querySelector('[data-testid="phone-qr-code"]') && !document.documentElement.outerHTML.includes('crispEdges'));

/** localStorage, sessionStorage and IndexedDB are all empty. */
async function assertNothingStored(page) {
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    databases: ((await indexedDB.databases?.()) ?? []).length,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, databases: 0 }, 'nothing stored');
}

/** Presses the toggle and waits for the drawing. */
async function showQr(page) {
  const toggle = byTestId(page, 'phone-qr-toggle');
  assert.equal(await toggle.innerText(), 'Show as QR code for a phone app');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  await byTestId(page, 'phone-qr-code').locator('svg').waitFor({ timeout: 30_000 });
  assert.equal(await toggle.innerText(), 'Hide the QR code');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
}

const CASES = [
  { issuer: 'Zürich Kantonalbank', name: 'ève.müller@example.ch', algorithm: 'SHA1', period: 30, bytes: 20 },
  { issuer: 'Société Générale', name: 'jean françois', algorithm: 'SHA256', period: 60, bytes: 32 },
  { issuer: 'Ørsted Energy A/S', name: 'björn@example.dk', algorithm: 'SHA256', period: 30, bytes: 32 },
  { issuer: 'Example Mail', name: 'alice@example.org', algorithm: 'SHA1', period: 60, bytes: 20 },
];

test('the phone-app QR on the review decodes (zbarimg and Kiln) to the same account, is masked until asked, and fetches only its worker', async (t) => {
  const { page, problems, context } = await h.openApp('', { context: { viewport: { width: 1280, height: 900 } } });
  const requests = [];
  context.on('request', (request) => requests.push({ url: request.url(), fromServiceWorker: Boolean(request.serviceWorker()) }));
  await waitForScreen(page, 'secret', 30_000);
  const origin = new URL(page.url()).origin;
  const axe = axeLedger(page);
  const accounts = CASES.map(accountFor);
  let encoderFetched = false;
  for (const [i, account] of accounts.entries()) {
    if (i > 0) {
      await page.getByRole('button', { name: 'Back' }).click();
      await waitForScreen(page, 'secret');
    }
    await submitSecretText(page, account.uri);
    assert.equal(await byTestId(page, 'account-issuer').innerText(), account.issuer);
    // Masked: no drawing in the page, only the button and why a copy weakens the token.
    assert.ok(await noQrInDom(page), 'masked until asked');
    assert.match(await byTestId(page, 'phone-qr-why').innerText(), /second key/);
    assert.match(await byTestId(page, 'phone-qr-why').innerText(), /something you have/);
    if (i === 0) {
      const pageRequests = requests.filter((r) => !r.fromServiceWorker).map((r) => r.url);
      assert.ok(!pageRequests.some((url) => ENCODER_FILE.test(new URL(url).pathname)), `the encoder is not loaded with the page: ${pageRequests}`);
      await shootBothWidths(page, 'phone-qr-masked');
      await axe.check('review, phone QR masked');
    }

    const before = requests.length;
    await showQr(page);
    const during = requests.slice(before);
    for (const { url, fromServiceWorker } of during) {
      assert.equal(new URL(url).origin, origin, `same origin only: ${url}`);
      if (!fromServiceWorker) assert.match(new URL(url).pathname, ENCODER_FILE, 'only the encoder worker’s own files');
      assert.deepEqual(findSecretInText(account, url), [], 'no secret in a URL');
    }
    if (during.some((r) => /_bg\.wasm$/.test(r.url) && !r.fromServiceWorker)) encoderFetched = true;
    // No way to save it as a file: inline SVG, no image, no link.
    const area = byTestId(page, 'phone-qr');
    assert.equal(await area.locator('img, a, canvas').count(), 0, 'no <img>, link or canvas');
    assert.equal(await area.locator('[download], [href^="data:"], [src^="data:"]').count(), 0, 'nothing downloadable');
    const text = await assertShownQrIs(page, account, `review-${i}`);
    assert.ok(!text.includes(' '), 'the link is percent-encoded');
    if (i === 0) {
      await shootBothWidths(page, 'phone-qr-shown');
      await axe.check('review, phone QR shown');
    }

    // Hide: gone from the DOM, not covered.
    await byTestId(page, 'phone-qr-toggle').click();
    assert.ok(await noQrInDom(page), 'hidden by the toggle');
  }
  assert.ok(encoderFetched, 'the encoder worker’s wasm was fetched when first asked');

  // Hidden when the page is hidden, and stays hidden when it is visible again.
  await showQr(page);
  await setVisibility(page, 'hidden');
  await page.waitForFunction(() => !document.querySelector('[data-testid="phone-qr-code"]'));
  assert.ok(await noQrInDom(page), 'hidden with the page');
  await setVisibility(page, 'visible');
  assert.ok(await noQrInDom(page), 'still hidden when the page is visible again');
  assert.equal(await byTestId(page, 'phone-qr-toggle').innerText(), 'Show as QR code for a phone app');
  await assertNothingStored(page);
  problems.assertNone();
  axe.assertClean();
});

test('the phone-app QR hides when another account of an export is picked, and then shows that account', async () => {
  const { page, problems } = await h.openApp('', { context: { viewport: { width: 1280, height: 900 } } });
  await waitForScreen(page, 'secret', 30_000);
  const accounts = [
    { issuer: 'Büro Nord', name: 'anna@example.org' },
    { issuer: 'Café Süd', name: 'bruno@example.org' },
  ].map(({ issuer, name }) => ({ ...accountFor({ issuer, name, algorithm: 'SHA1', period: 30, bytes: 20 }) }));
  const uri = migrationUri(
    accounts.map((a) => ({ secret: a.seed, name: a.name, issuer: a.issuer, algorithm: MIGRATION.algorithm.sha1, digits: MIGRATION.digits.six, type: MIGRATION.type.totp })),
  );
  await submitSecretText(page, uri);
  await byTestId(page, 'migration-account-1').check();
  await showQr(page);
  await assertShownQrIs(page, accounts[0], 'export-0');
  await byTestId(page, 'migration-account-2').check();
  await page.waitForFunction(() => !document.querySelector('[data-testid="phone-qr-code"]'));
  assert.ok(await noQrInDom(page), 'another account: the old QR is gone');
  await showQr(page);
  await assertShownQrIs(page, accounts[1], 'export-1');
  await assertNothingStored(page);
  problems.assertNone();
});

test('after the burn, the Done step offers the same QR, it decodes to the burned account, and leaves no copy of the link in memory', async (t) => {
  const { sim, page, problems } = await openKiln(t, h.browser, h.url, { initScripts: [keepWasmMemory] });
  // burn-flow checks the token's codes for 30 s SHA-1.
  const account = accountFor({ issuer: 'Privacy Test', name: 'leak-check@example.org', algorithm: 'SHA1', period: 30, bytes: 20 });
  await burnAndVerify(page, sim, account, { reveal: false });
  assert.ok(await noQrInDom(page), 'masked on the Done step');
  await showQr(page);
  await assertShownQrIs(page, account, 'done');
  await screenshot(page, 'phone-qr-done-shown');
  // Printing the hand-out never prints the QR code.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await byTestId(page, 'phone-qr-code').isVisible(), false, 'not printed');
  await page.emulateMedia({ media: 'screen' });
  await byTestId(page, 'phone-qr-toggle').click();
  assert.ok(await noQrInDom(page), 'hidden by the toggle');
  // The seed stays (for "Burn another token"), but the link written for the QR code was wiped.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  const afterHide = await wasmMemoryHits(page, account);
  assert.ok(afterHide.size > 0, 'the WebAssembly memory was found');
  assert.deepEqual(afterHide.hits.filter((hit) => !hit.startsWith('raw seed')), [], 'no text copy of the secret in WebAssembly memory');
  await byTestId(page, 'start-over').click();
  await waitForScreen(page, 'secret');
  assert.ok(await noQrInDom(page), 'gone with the account');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
  assert.deepEqual((await wasmMemoryHits(page, account)).hits, [], 'no copy of the secret after start over');
  await assertNothingStored(page);
  problems.assertNone();
});

test('the QR encoder is only in its on-demand worker: the app wasm loaded at first does not contain it', async (t) => {
  const files = await readdir(DIST_DIR);
  const one = (pattern) => {
    const found = files.filter((f) => pattern.test(f));
    assert.equal(found.length, 1, `one ${pattern} in dist/: ${found}`);
    return found[0];
  };
  const app = await readFile(join(DIST_DIR, one(/^kiln-web-[0-9a-f]+_bg\.wasm$/)));
  const worker = await readFile(join(DIST_DIR, one(/^kiln-qr-encode-worker-[0-9a-f]{16}_bg\.wasm$/)));
  // kiln-qr-encode's own text: its SVG writer and its refusal.
  for (const marker of ['shape-rendering="crispEdges"', 'too long for a QR code']) {
    assert.ok(worker.includes(Buffer.from(marker)), `the encoder worker has "${marker}"`);
    assert.equal(app.includes(Buffer.from(marker)), false, `the app wasm has no "${marker}"`);
  }
  const index = await readFile(join(DIST_DIR, 'index.html'), 'utf8');
  const loader = index.match(/<meta name="kiln-qr-encode-worker" content="\.\/(kiln-qr-encode-worker-loader-[0-9a-f]{16}\.js)"/)?.[1];
  assert.ok(loader && files.includes(loader), 'the page names its build’s encoder worker start script');
  assert.doesNotMatch(index, /kiln-qr-encode-worker-[0-9a-f]{16}(_bg\.wasm|\.js)/, 'the page itself loads no encoder file');
  const sw = await readFile(join(DIST_DIR, 'sw.js'), 'utf8');
  assert.match(sw, /kiln-qr-encode-worker-[0-9a-f]{16}_bg\.wasm/, 'precached for offline use');
  t.diagnostic(`app wasm ${app.length} B, encoder worker wasm ${worker.length} B`);
});
