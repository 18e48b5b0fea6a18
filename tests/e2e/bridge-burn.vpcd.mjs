// Issue #18 (web half): the page burns a token through the real `kiln bridge`, end to end:
// Chromium → WebSocket → kiln bridge → pcscd → vpcd → the simulated token (kiln-sim-vpcd).
// Expectations come from the simulator's view of the token and RFC 6238 (reference-otp),
// never from the app.
//
// Not a `*.test.mjs`: pcscd and vpcd are shared by the whole machine, so scripts/test.sh runs
// this file on its own, after scripts/start-pcscd.sh, under `flock -o /tmp/kiln-vpcd.lock`:
//   flock -o /tmp/kiln-vpcd.lock node --test bridge-burn.vpcd.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CHROMIUM_ARGS, launchChromium, startHarness, watchPageProblems } from './lib/harness.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { randomAccount } from './lib/burn-flow.mjs';
import { base32Decode, totp } from './lib/reference-otp.mjs';
import { download, keyboardActivate, keyboardFill, parseCsv, pressAndFinish } from './lib/batch-driver.mjs';
import { startVpcdToken, startKilnBridge, freePort, VPCD_READER } from './lib/bridge-rig.mjs';
import {
  axeLedger,
  byTestId,
  burnAndWait,
  identifyToken,
  shootBothWidths,
  spaced,
  submitSecretText,
  waitForAttribute,
  waitForScreen,
} from './lib/wizard-driver.mjs';

let h;
let origin;
before(async () => {
  h = await startHarness();
  origin = new URL(h.url).origin;
});
after(() => h?.close());

/** A token that erases its seed on a clock write (OTPC-P2-i), with an old seed. */
const TOKEN = { serial: '8659622000123', seedHex: '0102030405060708090A0B0C0D0E0F1011121314', clockOffset: -40 };

/** Pastes the account and goes to the Reader step. */
async function reachReaderStep(page, account) {
  await waitForScreen(page, 'secret', 30_000);
  await submitSecretText(page, account.uri);
  await byTestId(page, 'review-continue').click();
  await waitForScreen(page, 'preview');
  await byTestId(page, 'preview-continue').click();
  await waitForScreen(page, 'connect');
}

/** Connects to the bridge at `bridge.address`, pairs with its code and chooses the vpcd reader. */
async function pairAndChoose(page, bridge) {
  await connectToBridge(page, bridge.address);
  assert.equal(await bridgeOutcome(page, 'code'), 'code');
  await byTestId(page, 'bridge-code').fill(await bridge.code());
  await byTestId(page, 'bridge-pair').click();
  assert.equal(await bridgeOutcome(page, 'readers'), 'readers');
  await page.locator(`[data-testid="bridge-reader"][data-name="${VPCD_READER}"] [data-testid="bridge-choose"]`).click();
  await byTestId(page, 'reader-name').waitFor();
}

/** Sets the bridge's address and clicks "Connect to the bridge". */
async function connectToBridge(page, address) {
  await page.getByText('The bridge runs on another port').click();
  await byTestId(page, 'bridge-address').fill(address);
  await byTestId(page, 'connect-bridge').click();
}

/** Waits until the bridge choice reaches `stage` or shows an error; returns which. */
async function bridgeOutcome(page, stage) {
  await page
    .locator(`[data-testid="bridge-choice"][data-stage="${stage}"], [data-testid="bridge-error"]`)
    .first()
    .waitFor({ timeout: 20_000 });
  const error = byTestId(page, 'bridge-error');
  return (await error.count()) > 0 ? `error: ${(await error.innerText()).trim()}` : stage;
}

test('a whole wizard burn through the real kiln bridge: the token holds the seed and shows the RFC 6238 codes', async (t) => {
  const card = await startVpcdToken(TOKEN);
  t.after(() => card.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const account = randomAccount();
  const { page, problems } = await h.openApp();
  const axe = axeLedger(page);
  await reachReaderStep(page, account);

  const command = await byTestId(page, 'bridge-command').innerText();
  assert.equal(command.trim(), `kiln bridge --allow-origin ${origin}`, 'the start command names this page');
  await shootBothWidths(page, 'bridge-reader-step');
  await axe.check('reader step with the bridge choice');

  await connectToBridge(page, bridge.address);
  assert.equal(await bridgeOutcome(page, 'code'), 'code');
  const code = await bridge.code();
  await byTestId(page, 'bridge-code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await shootBothWidths(page, 'bridge-pairing');
  await axe.check('pairing code');
  await byTestId(page, 'bridge-pair').click();
  assert.equal(await bridgeOutcome(page, 'readers'), 'readers');
  const listed = page.locator(`[data-testid="bridge-reader"][data-name="${VPCD_READER}"]`);
  await listed.waitFor();
  assert.equal(await listed.getAttribute('data-card'), 'true', 'the token is on the reader');
  assert.equal(await listed.getAttribute('data-in-use'), 'false');
  await shootBothWidths(page, 'bridge-readers');
  await axe.check('reader list');
  await listed.locator('[data-testid="bridge-choose"]').click();
  assert.equal(await byTestId(page, 'reader-name').innerText(), VPCD_READER);

  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  await identifyToken(page);
  assert.equal(await byTestId(page, 'token-serial').innerText(), TOKEN.serial);
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');
  const outcome = await burnAndWait(page);
  assert.equal(outcome, 'success', await byTestId(page, 'burn-status').innerText());

  const { token } = await card.state();
  assert.equal(token.seed_hex, account.hex.toUpperCase(), 'the token holds the new seed');
  assert.equal(token.displayed_code, totp(account.seed, token.device_time), 'the token shows the RFC 6238 code');
  assert.ok(Math.abs(token.device_time - Date.now() / 1000) < 5, 'the burn set the token clock to now');

  await byTestId(page, 'burn-continue').click();
  await waitForScreen(page, 'verify');
  const shown = (await card.state()).token.displayed_code;
  await byTestId(page, 'verify-code').fill(spaced(shown));
  await byTestId(page, 'verify-check').click();
  assert.equal(await waitForAttribute(page, 'verify-result', 'data-state', ['match', 'mismatch']), 'match');
  assert.doesNotMatch(bridge.stdout() + bridge.stderr(), new RegExp(account.hex, 'i'), 'the seed is not in the bridge log');
  axe.assertClean();
  problems.assertNone();
});

test('a page the bridge does not allow is told the exact --allow-origin to add; a stopped bridge is "not running"', async (t) => {
  const bridge = await startKilnBridge({ allowOrigins: ['https://kiln.example.org'] });
  t.after(() => bridge.close());
  const { page, problems } = await h.openApp('', {
    // Chromium logs the refused /hello and WebSocket attempts; they are what this test provokes.
    ignore: [/ERR_CONNECTION_REFUSED/, /Failed to load resource/],
  });
  await reachReaderStep(page, randomAccount());
  await connectToBridge(page, bridge.address);
  const refused = await bridgeOutcome(page, 'code');
  assert.match(refused, /does not accept this page/);
  assert.ok(refused.endsWith(`start it again with: kiln bridge --allow-origin ${origin} --port ${bridge.port}`), refused);
  await shootBothWidths(page, 'bridge-origin-not-allowed');

  const nothing = await freePort();
  await byTestId(page, 'bridge-address').fill(`127.0.0.1:${nothing}`);
  await byTestId(page, 'connect-bridge').click();
  await page.getByText(`nothing answers on port ${nothing}`).waitFor();
  assert.match(await byTestId(page, 'bridge-error').innerText(), /not running/);
  problems.assertNone();
});

test('without the pairing code a page gets nothing: no reader list, not even the readers message', async (t) => {
  const card = await startVpcdToken(TOKEN);
  t.after(() => card.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const { page, problems } = await h.openApp();
  await reachReaderStep(page, randomAccount());
  await connectToBridge(page, bridge.address);
  assert.equal(await bridgeOutcome(page, 'code'), 'code');
  const right = await bridge.peekCode();
  const wrong = right.replace(/^./, (d) => String((Number(d) + 1) % 10));
  await byTestId(page, 'bridge-code').fill(wrong);
  await byTestId(page, 'bridge-pair').click();
  assert.match(await bridgeOutcome(page, 'readers'), /not the pairing code/);
  assert.equal(await byTestId(page, 'bridge-readers').count(), 0, 'no reader list without the code');
  assert.equal(await page.getByText(VPCD_READER).count(), 0, 'no reader name on the page');

  // The same, as any script on an allowed page could try it: straight to the protocol.
  const answers = await page.evaluate(async (port) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const frames = [];
    ws.onmessage = (event) => frames.push(JSON.parse(event.data));
    ws.send(JSON.stringify({ id: 1, type: 'readers', session: '0123456789abcdef0123456789abcdef' }));
    ws.send(JSON.stringify({ id: 2, type: 'readers' }));
    ws.send(JSON.stringify({ id: 3, type: 'connect', session: '0123456789abcdef0123456789abcdef', reader: 'Virtual PCD 00 00' }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    ws.close();
    return frames;
  }, bridge.port);
  assert.equal(answers.length, 3, JSON.stringify(answers));
  for (const answer of answers) {
    assert.equal(answer.type, 'error', JSON.stringify(answer));
    assert.equal(answer.readers, undefined);
  }
  assert.deepEqual(answers.map((a) => a.id).sort(), [1, 2, 3]);
  const { token } = await card.state();
  assert.deepEqual(token.received, [], 'nothing reached the token');
  await shootBothWidths(page, 'bridge-wrong-code');
  problems.assertNone();
});

test('the token taken off mid-burn (after the seed write reached it) is reported as unknown, never as burned', async (t) => {
  const card = await startVpcdToken(TOKEN);
  t.after(() => card.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const account = randomAccount();
  const { page, problems } = await h.openApp();
  await reachReaderStep(page, account);
  await pairAndChoose(page, bridge);
  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  await identifyToken(page);
  await byTestId(page, 'identify-continue').click();
  await waitForScreen(page, 'burn');

  await card.fault({ ins: 'write_seed', fault: 'removed_after' });
  const outcome = await burnAndWait(page);
  assert.equal(outcome, 'unknown', await byTestId(page, 'burn-status').innerText());
  const { token } = await card.state();
  assert.ok(token.executed.includes('WriteSeed'), `the seed write reached the token: ${token.executed}`);
  await shootBothWidths(page, 'bridge-card-removed');
  problems.assertNone();
});

test('an expired pairing is said plainly and the Reader step asks to pair again', async (t) => {
  const card = await startVpcdToken(TOKEN);
  t.after(() => card.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin], sessionTimeout: 2 });
  t.after(() => bridge.close());
  const { page, problems } = await h.openApp();
  await reachReaderStep(page, randomAccount());
  await pairAndChoose(page, bridge);
  await byTestId(page, 'connect-continue').click();
  await waitForScreen(page, 'identify');
  await new Promise((resolve) => setTimeout(resolve, 3_500)); // longer than --session-timeout 2
  await identifyToken(page);
  const error = await byTestId(page, 'identify-error').innerText();
  assert.match(error, /pairing with the bridge has expired.*Reader step/, error);
  assert.equal(await byTestId(page, 'token-serial').count(), 0);
  const { token } = await card.state();
  assert.deepEqual(token.received, [], 'nothing reached the token after the session ended');
  await shootBothWidths(page, 'bridge-session-expired');
  problems.assertNone();
});

test('Batch burns through the bridge too: the Entra CSV holds the seed the token holds', async (t) => {
  const card = await startVpcdToken(TOKEN);
  t.after(() => card.close());
  const bridge = await startKilnBridge({ allowOrigins: [origin] });
  t.after(() => bridge.close());
  const { page, problems } = await h.openApp('', {
    context: { viewport: { width: 1280, height: 900 }, acceptDownloads: true },
  });
  await waitForScreen(page, 'secret', 30_000);
  await keyboardActivate(page, 'tool-batch');
  await waitForScreen(page, 'batch');
  await keyboardFill(page, 'batch-users', 'alice@example.com');
  await pairAndChoose(page, bridge);
  await keyboardActivate(page, 'batch-start');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'batch-next');
  assert.equal(await pressAndFinish(page, () => page.keyboard.press('Enter')), 'ready');
  const { token } = await card.state();
  assert.ok(token.seed_hex, 'the token got a seed');
  const csv = parseCsv(await download(page, 'entra-csv'));
  assert.equal(csv.length, 2, JSON.stringify(csv));
  const [upn, serial, secret] = csv[1];
  assert.deepEqual([upn, serial], ['alice@example.com', TOKEN.serial]);
  assert.equal(base32Decode(secret).toString('hex').toUpperCase(), token.seed_hex, 'the file holds the seed the token holds');
  assert.equal(totp(base32Decode(secret), token.device_time), token.displayed_code, 'RFC 6238 code on the token');
  await shootBothWidths(page, 'bridge-batch');
  problems.assertNone();
});

test('a page whose Local Network Access was declined is told so (not "not running"), with where to allow it', async (t) => {
  // The page is served as if it were on the internet (a "public" address space), so Chromium's
  // Local Network Access rules apply to its requests to 127.0.0.1, and the permission is
  // declined as a user would decline the prompt.
  const server = await startStaticServer({ root: new URL('../../dist', import.meta.url).pathname });
  t.after(() => server.close());
  const { port } = new URL(server.url);
  const browser = await launchChromium({ args: [...CHROMIUM_ARGS, `--ip-address-space-overrides=127.0.0.1:${port}=public`] });
  t.after(() => browser.close());
  const bridge = await startKilnBridge({ allowOrigins: [new URL(server.url).origin] });
  t.after(() => bridge.close());
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchPageProblems(page, { ignore: [/ERR_|Failed to load resource|blocked by CORS policy: Permission was denied .* address space/i] });
  await page.goto(server.url);
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  for (const name of ['local-network-access', 'loopback-network', 'local-network']) {
    await cdp.send('Browser.setPermission', {
      permission: { name },
      setting: 'denied',
      origin: new URL(server.url).origin,
      browserContextId: targetInfo.browserContextId,
    });
  }
  await reachReaderStep(page, randomAccount());
  await connectToBridge(page, bridge.address);
  const outcome = await bridgeOutcome(page, 'code');
  assert.match(outcome, /local network was declined.*allow “Local network access”/, outcome);
  assert.doesNotMatch(outcome, /not running/);
  await shootBothWidths(page, 'bridge-local-network-declined');
  problems.assertNone();
});
